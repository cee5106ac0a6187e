"""A real pre-commit run in a temporary git repository, with the hook that .pre-commit-hooks.yaml declares.

The hook's `language: python` would make pre-commit pip-install cuda2cann and torch into its own environment,
which needs the network; the test keeps every other field of the declared hook and runs the installed
`cuda2cann` through `language: system`, as docs/workflows.md's local-hook recipe does.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.scan.helpers import HOST, KERNEL_OK, write

yaml = pytest.importorskip("yaml", reason="PyYAML comes with pre-commit, a dev dependency")

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.skipif(not (BIN / "pre-commit").exists() or shutil.which("git") is None,
                                reason="pre-commit (a dev dependency) or git is not installed")


def declared_hook() -> dict:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    return hook


def test_the_declared_hook_runs_cuda2cann_check_on_the_changed_files():
    hook = declared_hook()
    assert hook["entry"] == "cuda2cann check" and hook["pass_filenames"] is True
    assert {"cuda", "c++", "python", "cmake"} <= set(hook["types_or"])


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def pre_commit(repo: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "pre-commit"), "run"], cwd=repo, env=env, capture_output=True, text=True, timeout=300)


def test_pre_commit_blocks_new_unported_cuda_and_checks_only_staged_files(tmp_path):
    hook = {**declared_hook(), "language": "system", "entry": f"{BIN / 'cuda2cann'} check"}
    repo = write(tmp_path / "repo", {".pre-commit-config.yaml": yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]}),
                                     "ok.cu": KERNEL_OK, "README.md": "cudaMallocManaged\n"})
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    git(repo, "init", "-q")
    git(repo, "add", ".")
    clean = pre_commit(repo, env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout

    write(repo, {"host.cpp": HOST, "untracked.cpp": "void g(float* p) { cudaMallocManaged(&p, 1); }\n"})
    git(repo, "add", "host.cpp")
    blocked = pre_commit(repo, env)
    assert blocked.returncode == 1 and "Failed" in blocked.stdout
    assert "host.cpp:5:3: C2C301 cudaMallocManaged" in blocked.stdout
    assert "untracked.cpp" not in blocked.stdout  # pre-commit passed only the staged files

    write(repo, {"host.cpp": HOST.replace("cudaMallocManaged(&p, n);", "cudaMallocManaged(&p, n);  // cuda2cann: ignore[C2C301]")})
    git(repo, "add", "host.cpp")
    accepted = pre_commit(repo, env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
