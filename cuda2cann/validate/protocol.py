"""Python side of the driver file protocol (mirrors runtime/common/c2c_driver_io.h)."""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

TENSOR, INT, FLOAT = 0, 1, 2


@dataclass(frozen=True)
class ArgValue:
    """One kernel argument as the driver receives it."""

    kind: int
    data: bytes = b""
    number: float = 0

    @staticmethod
    def tensor(array: np.ndarray | bytes) -> ArgValue:
        raw = array if isinstance(array, bytes) else np.ascontiguousarray(array).tobytes()
        return ArgValue(TENSOR, raw)


def write_input(path: Path, launch: list[int], args: list[ArgValue]) -> None:
    parts = [b"C2CI", struct.pack("<I", len(launch)), struct.pack(f"<{len(launch)}Q", *launch),
             struct.pack("<I", len(args))]
    for a in args:
        parts.append(struct.pack("<B", a.kind))
        if a.kind == TENSOR:
            parts += [struct.pack("<Q", len(a.data)), a.data]
        elif a.kind == INT:
            parts.append(struct.pack("<q", int(a.number)))
        else:
            parts.append(struct.pack("<d", float(a.number)))
    path.write_bytes(b"".join(parts))


def read_output(path: Path) -> list[bytes]:
    """The tensors a driver wrote back, in argument order."""
    data = path.read_bytes()
    if data[:4] != b"C2CO":
        raise ValueError(f"{path}: not a driver output file")
    (count,), pos, out = struct.unpack_from("<I", data, 4), 8, []
    for _ in range(count):
        (size,) = struct.unpack_from("<Q", data, pos)
        pos += 8
        out.append(data[pos:pos + size])
        pos += size
    if pos != len(data):
        raise ValueError(f"{path}: trailing bytes in driver output")
    return out
