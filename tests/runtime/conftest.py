"""Fixtures to compile and run small C++ programs against the CPU runtimes."""
from __future__ import annotations

import subprocess
import textwrap

import pytest

from cuda2cann.validate.toolchain import BuildRequest, Runtime, build_executable


def run_cpp(source: str, runtime: Runtime, *, args: tuple[str, ...] = (), timeout: float = 60) -> subprocess.CompletedProcess:
    """Compile `source` (dedented) against `runtime` and run it; returns the finished process."""
    exe = build_executable(BuildRequest(textwrap.dedent(source), runtime))
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def cuda_cpu():
    return lambda source, **kw: run_cpp(source, Runtime.CUDA_CPU, **kw)


@pytest.fixture
def cann_cpu():
    return lambda source, **kw: run_cpp(source, Runtime.CANN_CPU, **kw)
