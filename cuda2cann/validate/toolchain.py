"""Compiling C++ programs against the cuda-cpu and cann-cpu runtimes, cached by content hash.

Every artifact is keyed by the SHA-256 of its sources, the runtime headers, the flags and the
compiler's version, so a warm cache never recompiles and an edited header always does.
"""
from __future__ import annotations

import enum
import functools
import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

RUNTIME_ROOT = Path(__file__).parent / "runtime"
CACHE_ENV = "CUDA2CANN_CACHE_DIR"
CXX_ENV = "CXX"
BUILD_TIMEOUT_S = 300


class Runtime(enum.Enum):
    """Which CPU model of a programming model a program is compiled against."""

    CUDA_CPU = "cuda_cpu"
    CANN_CPU = "cann_cpu"

    @property
    def include_dirs(self) -> tuple[Path, ...]:
        return (RUNTIME_ROOT / self.value, RUNTIME_ROOT / "common")


class BuildError(RuntimeError):
    """The host compiler rejected a program; `log` holds its diagnostics."""

    def __init__(self, message: str, log: str) -> None:
        super().__init__(f"{message}\n{log}")
        self.log = log


@dataclass(frozen=True)
class BuildRequest:
    """One executable: a main translation unit plus the files it includes."""

    #: text of the translation unit that holds `main`
    main_source: str
    runtime: Runtime
    #: extra include directories (the user's source folder, for instance)
    include_dirs: tuple[Path, ...] = ()
    #: files whose content must invalidate the cache although they are only #included
    dependencies: tuple[Path, ...] = ()
    defines: tuple[str, ...] = ()
    opt_level: str = "-O2"
    extra_flags: tuple[str, ...] = field(default_factory=tuple)


def cache_dir() -> Path:
    root = os.environ.get(CACHE_ENV) or os.path.join(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"), "cuda2cann")
    return Path(root) / "builds"


def compiler() -> str:
    return os.environ.get(CXX_ENV, "g++")


@functools.cache
def compiler_identity(cxx: str) -> str:
    try:
        out = subprocess.run([cxx, "--version"], capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise BuildError(f"cannot run the C++ compiler {cxx!r}", str(exc)) from exc
    return out.splitlines()[0] if out else cxx


def _runtime_headers(runtime: Runtime) -> list[Path]:
    return sorted(p for d in runtime.include_dirs for p in d.rglob("*") if p.is_file())


def compile_flags(request: BuildRequest) -> list[str]:
    flags = ["-std=c++17", request.opt_level, "-pthread", "-fno-strict-aliasing", "-w"]
    flags += [f"-I{d}" for d in (*request.include_dirs, *request.runtime.include_dirs)]
    flags += [f"-D{d}" for d in request.defines]
    return flags + list(request.extra_flags)


def build_key(request: BuildRequest) -> str:
    h = hashlib.sha256()
    h.update(compiler_identity(compiler()).encode())
    h.update("\0".join(compile_flags(request)).encode())
    h.update(request.main_source.encode())
    for path in (*_runtime_headers(request.runtime), *sorted(request.dependencies)):
        h.update(str(path.name).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:32]


def build_executable(request: BuildRequest) -> Path:
    """Return the path of the compiled program, compiling it only when the cache lacks it."""
    key = build_key(request)
    target = cache_dir() / key / "prog"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="build-", dir=target.parent) as tmp:
        src = Path(tmp) / "main.cpp"
        src.write_text(request.main_source)
        out = Path(tmp) / "prog"
        cmd = [compiler(), *compile_flags(request), str(src), "-o", str(out)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S)
        except subprocess.TimeoutExpired as exc:
            raise BuildError(f"compilation timed out after {BUILD_TIMEOUT_S} s", " ".join(cmd)) from exc
        if proc.returncode != 0:
            raise BuildError(f"compilation failed ({request.runtime.value})", proc.stderr[-20000:])
        shutil.copy2(src, target.parent / "main.cpp")
        os.replace(out, target)  # atomic: a concurrent build of the same key is harmless
    return target
