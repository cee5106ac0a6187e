"""Run a compiled artifact in a subprocess with a time and a memory limit.

A segfault, an abort, a hang or an allocation failure of user code becomes a reported outcome,
never a crash or a hang of the harness.
"""
from __future__ import annotations

import os
import resource
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 60.0
    memory_bytes: int = 8 << 30


@dataclass(frozen=True)
class Completed:
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def describe(self) -> str:
        """One line saying how the process ended, with the tail of its stderr."""
        if self.timed_out:
            return "timed out (killed)"
        tail = self.stderr.strip().splitlines()[-6:]
        detail = (": " + " | ".join(tail)) if tail else ""
        if self.returncode < 0:
            try:
                name = signal.Signals(-self.returncode).name
            except ValueError:
                name = f"signal {-self.returncode}"
            return f"crashed with {name}{detail}"
        return f"exited with status {self.returncode}{detail}"


def _limit(memory_bytes: int):
    def apply() -> None:
        os.setsid()
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def run_limited(cmd: list[str], limits: Limits, env: dict[str, str] | None = None, cwd: Path | None = None) -> Completed:
    full_env = {**os.environ, "MALLOC_ARENA_MAX": "2", **(env or {})}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace",
                            env=full_env, cwd=cwd, preexec_fn=_limit(limits.memory_bytes))
    try:
        out, err = proc.communicate(timeout=limits.timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return Completed(proc.returncode, out, err, timed_out=True)
    return Completed(proc.returncode, out, err)
