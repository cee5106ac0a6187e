"""Which files of a tree cuda2cann reads, by name: CUDA, C/C++, Python and build scripts.

    classify("kernels/add.cu") == "cuda"; classify("CMakeLists.txt") == "build"; classify("README.md") is None

A name-based decision is cheap enough for trees of thousands of files; content decides later (a binary file
named `.cu` is skipped, a C++ file that never mentions CUDA costs one regular-expression search).
"""
from __future__ import annotations

from pathlib import PurePath

KINDS = ("cuda", "cpp", "python", "build")

_SUFFIXES = {
    ".cu": "cuda", ".cuh": "cuda",
    **dict.fromkeys((".c", ".cc", ".cpp", ".cxx", ".c++", ".h", ".hh", ".hpp", ".hxx", ".h++", ".inl", ".ipp", ".tpp"), "cpp"),
    ".py": "python",
    ".cmake": "build", ".mk": "build",
}
_BUILD_NAMES = {"CMakeLists.txt", "Makefile", "makefile", "GNUmakefile"}
#: bytes read to tell a binary file: git's own heuristic (a NUL byte in the first 8000 bytes)
BINARY_PROBE = 8000


def classify(path: str | PurePath) -> str | None:
    """The kind of the file (one of KINDS), or None when cuda2cann has nothing to look for in it."""
    name = PurePath(path).name
    if name in _BUILD_NAMES:
        return "build"
    return _SUFFIXES.get(PurePath(name).suffix.lower())


def is_binary(head: bytes) -> bool:
    """Whether the first bytes of a file look binary (contain a NUL byte)."""
    return b"\0" in head[:BINARY_PROBE]
