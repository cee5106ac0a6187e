"""Element types shared by the IR, the harness and the backends.

One table row per dtype: its numpy storage, and how each programming model spells it.
bfloat16 has no numpy type; it is stored as uint16 bit patterns and widened through float32.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DType:
    """An element type: `name` is the spelling used in specs and the IR."""

    name: str
    #: numpy dtype used to hold the raw elements
    storage: np.dtype
    #: C++ spelling on the CUDA side and on the AscendC side
    cuda: str
    ascendc: str
    is_float: bool

    @property
    def itemsize(self) -> int:
        return self.storage.itemsize

    @property
    def is_integer(self) -> bool:
        return not self.is_float and self.name != "bool"


_ROWS = [
    DType("float32", np.dtype(np.float32), "float", "float", True),
    DType("float16", np.dtype(np.float16), "__half", "half", True),
    DType("bfloat16", np.dtype(np.uint16), "__nv_bfloat16", "bfloat16_t", True),
    DType("float64", np.dtype(np.float64), "double", "double", True),
    DType("int8", np.dtype(np.int8), "int8_t", "int8_t", False),
    DType("uint8", np.dtype(np.uint8), "uint8_t", "uint8_t", False),
    DType("int16", np.dtype(np.int16), "int16_t", "int16_t", False),
    DType("uint16", np.dtype(np.uint16), "uint16_t", "uint16_t", False),
    DType("int32", np.dtype(np.int32), "int32_t", "int32_t", False),
    DType("uint32", np.dtype(np.uint32), "uint32_t", "uint32_t", False),
    DType("int64", np.dtype(np.int64), "int64_t", "int64_t", False),
    DType("uint64", np.dtype(np.uint64), "uint64_t", "uint64_t", False),
    DType("bool", np.dtype(np.bool_), "bool", "bool", False),
]
DTYPES: dict[str, DType] = {d.name: d for d in _ROWS}
ALIASES = {"float": "float32", "half": "float16", "fp32": "float32", "fp16": "float16", "bf16": "bfloat16",
           "double": "float64", "int": "int32"}


def dtype(name: str) -> DType:
    """Look a dtype up by name or alias; raises KeyError with the known names."""
    key = ALIASES.get(name, name)
    if key not in DTYPES:
        raise KeyError(f"unknown dtype {name!r}; known: {', '.join(DTYPES)}")
    return DTYPES[key]


def bf16_to_float32(bits: np.ndarray) -> np.ndarray:
    return (bits.astype(np.uint32) << 16).view(np.float32)


def float32_to_bf16(values: np.ndarray) -> np.ndarray:
    """Round-to-nearest-even float32 → bfloat16 bit patterns (NaN stays NaN)."""
    u = np.ascontiguousarray(values, dtype=np.float32).view(np.uint32)
    rounded = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)
    nan = np.isnan(values)
    return np.where(nan, ((u >> 16) | 0x40).astype(np.uint16), rounded)


def to_float64(raw: np.ndarray, dt: DType) -> np.ndarray:
    """Widen raw elements to float64 for comparison and reporting."""
    if dt.name == "bfloat16":
        return bf16_to_float32(raw).astype(np.float64)
    return raw.astype(np.float64)


def from_float64(values: np.ndarray, dt: DType) -> np.ndarray:
    """Narrow generated float64 values to the raw storage of `dt` (round to nearest even)."""
    if dt.name == "bfloat16":
        return float32_to_bf16(values.astype(np.float32))
    if dt.is_float:
        return values.astype(dt.storage)
    if dt.name == "bool":
        return values != 0
    info = np.iinfo(dt.storage)
    return np.clip(np.rint(values), info.min, info.max).astype(dt.storage)
