"""Byte-range edits on source text: the only way cuda2cann changes a user's file.

Edits never overlap; everything outside them (formatting, comments) survives byte for byte.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Edit:
    """Replace bytes [start, end) by `text`."""

    start: int
    end: int
    text: bytes

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad edit range [{self.start}, {self.end})")


def apply_edits(source: bytes, edits: Iterable[Edit]) -> bytes:
    """Apply non-overlapping edits; raises ValueError naming the first overlap."""
    out, pos = [], 0
    for e in sorted(edits):
        if e.start < pos:
            raise ValueError(f"overlapping edits at byte {e.start}")
        if e.end > len(source):
            raise ValueError(f"edit [{e.start}, {e.end}) beyond the end of the source ({len(source)} bytes)")
        out += [source[pos:e.start], e.text]
        pos = e.end
    out.append(source[pos:])
    return b"".join(out)
