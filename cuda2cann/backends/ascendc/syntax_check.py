"""Check generated AscendC against the real CANN headers with the host compiler (-fsyntax-only).

The recipe is reference/ascendc_facts.md §7. The CANN toolkit is an outside oracle: point
`CUDA2CANN_CANN_ROOT` (or `cann_root`) at an installed toolkit root such as
`/usr/local/Ascend/ascend-toolkit/8.1.RC1`; its headers are never part of this project.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

CANN_ROOT_ENV = "CUDA2CANN_CANN_ROOT"
DEFINES = ("__CCE_AICORE__=220", "__DAV_C220__", "_GLIBCXX_USE_CXX11_ABI=0", "__CCE_KT_TEST__=1", "ASCENDC_CPU_DEBUG=1",
           "ASCENDC_DEBUG=1")


def cann_root() -> Path | None:
    value = os.environ.get(CANN_ROOT_ENV)
    return Path(value) if value and Path(value).is_dir() else None


def include_dirs(root: Path) -> list[Path]:
    arch = next((d for d in ("aarch64-linux", "x86_64-linux") if (root / d / "ascendc" / "include").is_dir()), "aarch64-linux")
    a = root / arch / "ascendc" / "include"
    return [root / "tools" / "tikicpulib" / "lib" / "include", root / arch / "include", a / "basic_api", a / "basic_api" / "impl",
            a / "basic_api" / "interface", a / "highlevel_api", a / "highlevel_api" / "lib", a / "highlevel_api" / "impl",
            a / "highlevel_api" / "lib" / "matmul"]


def syntax_check(kernel: Path, root: Path) -> list[str]:
    """Compiler errors of `kernel` against the CANN headers under `root` (empty when it compiles)."""
    cmd = ["g++", "-std=c++17", "-fsyntax-only", *(f"-D{d}" for d in DEFINES), *(f"-I{d}" for d in include_dirs(root)),
           f"-I{kernel.parent}", str(kernel)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    return [line for line in proc.stderr.splitlines() if ": error:" in line]
