"""pre-commit latency: `cuda2cann check` on ten files, wall time including process start.

    python benchmarks/precommit_latency.py [--runs 7]

Three file sets of ten: C/C++/CUDA only (the common commit), the same with two Python files that mention CUDA
(libcst is imported then), and ten files without any CUDA. Prints the median and the worst wall time of each.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scan_throughput import HOST, PYTHON, ROOT

CLI = Path(sys.executable).parent / "cuda2cann"


def file_sets(root: Path) -> dict[str, list[str]]:
    corpus = sorted((ROOT / "op_corpus").rglob("*.cu"))[:6]
    names = []
    for i, src in enumerate(corpus):
        (root / f"k{i}.cu").write_text(src.read_text())
        names.append(f"k{i}.cu")
    for i in range(4):
        (root / f"ops{i}.cpp").write_text(HOST.format(i=i))
        names.append(f"ops{i}.cpp")
    for i in range(2):
        (root / f"train{i}.py").write_text(PYTHON)
    for i in range(10):
        (root / f"plain{i}.cpp").write_text(f"int f{i}(int a) {{ return a + {i}; }}\n")
    return {"10 CUDA/C++ files": names, "8 CUDA/C++ + 2 Python files": [*names[:8], "train0.py", "train1.py"],
            "10 files without CUDA": [f"plain{i}.cpp" for i in range(10)]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for label, files in file_sets(root).items():
            times = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                subprocess.run([str(CLI), "check", *files], cwd=root, capture_output=True, check=False)
                times.append(time.perf_counter() - t0)
            print(f"{label}: median {statistics.median(times):.3f} s, worst {max(times):.3f} s ({args.runs} runs)")


if __name__ == "__main__":
    main()
