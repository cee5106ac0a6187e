"""Scan throughput on a large synthetic tree, against the raw tree-sitter parse time of the same files.

    python benchmarks/scan_throughput.py [--files 3000] [--jobs N]

The tree: every CUDA file of op_corpus/ replicated into numbered folders, plus generated host C++ (CUDA runtime
and cuBLAS calls, launches), Python training scripts (torch.cuda) and CMake files, about a quarter each. The
floor is tree-sitter parsing every CUDA/C++ file once in this process; `scan` parses each C-like file at least
twice (host-API scan; preprocessed kernel lifting) and lifts and plans every kernel, so the ratio says what the
analysis costs on top of parsing. Prints one line per measurement and the ratios.
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = """#include <cuda_runtime.h>
#include <cublas_v2.h>
__global__ void scale_{i}(const float* x, float* y, int n) {{
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = {i}.0f * x[i];
}}
void run_{i}(cublasHandle_t h, float* x, float* y, int n, cudaStream_t s) {{
  float* d; cudaMalloc(&d, n * sizeof(float));
  cudaMemcpyAsync(d, x, n * sizeof(float), cudaMemcpyHostToDevice, s);
  scale_{i}<<<(n + 255) / 256, 256, 0, s>>>(d, y, n);
  float alpha = 1.0f, beta = 0.0f;
  cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &alpha, d, n, y, n, &beta, y, n);
  cudaMallocManaged(&d, n);
  cudaStreamSynchronize(s); cudaFree(d);
}}
"""
PYTHON = """import torch
import torch.distributed as dist
model = torch.nn.Linear(8, 8).cuda()
dist.init_process_group(backend="nccl")
x = torch.randn(4, 8, device="cuda:0")
torch.cuda.synchronize()
scaler = torch.cuda.amp.GradScaler()
print(torch.cuda.get_device_name(0), x.is_cuda)
"""
CMAKE = ("cmake_minimum_required(VERSION 3.18)\nproject(p{i} LANGUAGES CXX CUDA)\nfind_package(CUDAToolkit)\n"
         "set(CMAKE_CUDA_ARCHITECTURES 80)\n")


def build_tree(root: Path, files: int) -> None:
    corpus = sorted((ROOT / "op_corpus").rglob("*.cu"))
    quarter = files // 4
    for i in range(files - 3 * quarter):
        src = corpus[i % len(corpus)]
        folder = root / f"cuda{i // 50:03d}"
        folder.mkdir(exist_ok=True)
        shutil.copy(src, folder / f"{i:05d}_{src.name}")
    for kind, count, text, name in (("host", quarter, HOST, "ops_{i}.cpp"), ("py", quarter, PYTHON, "train_{i}.py"),
                                    ("cmake", quarter, CMAKE, "CMakeLists.txt")):
        for i in range(count):
            folder = root / f"{kind}{i // 50:03d}" / (f"m{i}" if kind == "cmake" else "")
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name.format(i=i)).write_text(text.format(i=i) if kind != "py" else text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    from cuda2cann.frontend.cuda.parser import parse
    from cuda2cann.scan.analyse import ScanOptions, analyse
    from cuda2cann.scan.engine import default_jobs, scan_tree
    from cuda2cann.source.tree import walk_tree

    jobs = args.jobs or default_jobs()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build_tree(root, args.files)
        t0 = time.perf_counter()
        tree = walk_tree([root], cwd=root)
        walk = time.perf_counter() - t0
        c_like = [f.path.read_bytes() for f in tree.files if f.kind in ("cuda", "cpp")]
        t0 = time.perf_counter()
        for data in c_like:
            parse(data)
        parse_s = time.perf_counter() - t0
        scan_tree(walk_tree([ROOT / "op_corpus" / "vector_add"], cwd=root), ScanOptions())  # warm the imports
        per_kind: dict[str, list[float]] = {}
        for f in tree.files:  # the serial scan, file by file, timed per kind
            t0 = time.perf_counter()
            analyse(f, ScanOptions())
            per_kind.setdefault(f.kind, []).append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        serial = scan_tree(tree, ScanOptions(), jobs=1)
        serial_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        scan_tree(tree, ScanOptions(), jobs=jobs)
        parallel_s = time.perf_counter() - t0
    print(f"files: {len(tree.files)} ({len(c_like)} CUDA/C++), findings: {len(serial.findings)}, walk: {walk:.2f} s")
    print(f"raw tree-sitter parse of the CUDA/C++ files: {parse_s:.2f} s")
    for kind, times in sorted(per_kind.items()):
        print(f"  {kind}: {len(times)} files, {1000 * sum(times) / len(times):.1f} ms per file")
    c_like_s = sum(sum(per_kind.get(k, [])) for k in ("cuda", "cpp"))
    print(f"scan of the CUDA/C++ files alone: {c_like_s:.2f} s, ratio to parse {c_like_s / parse_s:.1f}")
    print(f"scan --jobs 1: {serial_s:.2f} s ({len(tree.files) / serial_s:.0f} files/s), ratio to parse {serial_s / parse_s:.1f}")
    print(f"scan --jobs {jobs}: {parallel_s:.2f} s ({len(tree.files) / parallel_s:.0f} files/s), "
          f"ratio to parse {parallel_s / parse_s:.1f}, speed-up {serial_s / parallel_s:.2f}")


if __name__ == "__main__":
    main()
