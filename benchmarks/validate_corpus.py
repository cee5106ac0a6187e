"""Benchmark: time to validate the whole op_corpus, with a cold and then a warm build cache.

    python benchmarks/validate_corpus.py [--cases N] [--jobs J]

Both runs use the same seed and a fresh, private cache folder, so the cold run compiles every
driver and the warm run compiles none; the ratio is what the cache saves. Not a test: nothing here
asserts a time.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(cache: Path, cases: int, jobs: int, report: Path) -> float:
    env = {**os.environ, "CUDA2CANN_CACHE_DIR": str(cache)}
    cmd = [sys.executable, "-m", "cuda2cann", "validate", str(ROOT / "op_corpus"), "--cases", str(cases),
           "--seed", "1", "--jobs", str(jobs), "--no-devices", "--json", str(report)]
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=False, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cache, report = Path(tmp) / "cache", Path(tmp) / "report.json"
        cold = run(cache, args.cases, args.jobs, report)
        warm = run(cache, args.cases, args.jobs, report)
        doc = json.loads(report.read_text())
    ops = len(doc["results"])
    cases = sum(r["cases"] for r in doc["results"])
    print(f"operators: {ops}, cases: {cases}, summary: {doc['summary']}")
    print(f"cold cache: {cold:7.2f} s  ({cold / max(ops, 1):.2f} s per operator)")
    print(f"warm cache: {warm:7.2f} s  ({warm / max(ops, 1):.2f} s per operator)")
    print(f"warm/cold:  {warm / cold:7.3f}")


if __name__ == "__main__":
    main()
