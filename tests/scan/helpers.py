"""Small source trees for the scan/check tests, written into tmp_path."""
from __future__ import annotations

import textwrap
from pathlib import Path

from click.testing import CliRunner

from cuda2cann.cli import main

KERNEL_OK = """\
#include <cuda_runtime.h>
__global__ void scale(const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = 2.0f * x[i];
}
"""
KERNEL_BAD = """\
__global__ void total(const float* x, float* out, int n) {
  int k = 0;
  while (k < n) { k++; }
  out[0] = x[k];
}
"""
HOST = """\
#include <cuda_runtime.h>
void run(float* x, float* y, int n) {
  float* p;
  cudaMalloc(&p, n);
  cudaMallocManaged(&p, n);
  scale<<<(n + 255) / 256, 256>>>(x, y, n);
}
"""
PYTHON = """\
import torch
model = torch.nn.Linear(2, 2).cuda()
torch.cuda.synchronize()
with torch.cuda.nvtx.range("x"):
    pass
"""
CMAKE = """\
cmake_minimum_required(VERSION 3.18)
project(demo LANGUAGES CXX CUDA)  # the CUDA language
find_package(CUDAToolkit REQUIRED)
# find_package(CUDA) in a comment is not a finding
set(CMAKE_CUDA_ARCHITECTURES 80)
"""
MAKEFILE = "ops.o: ops.cu\n\tnvcc -c ops.cu -o ops.o -lcudart\n"


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content))
    return root


def project(root: Path) -> Path:
    """A small project with every kind of file."""
    return write(root, {"csrc/scale.cu": KERNEL_OK, "csrc/total.cu": KERNEL_BAD, "csrc/host.cpp": HOST,
                        "train.py": PYTHON, "CMakeLists.txt": CMAKE, "Makefile": MAKEFILE, "README.md": "cudaMalloc\n",
                        "util.cpp": "int add(int a, int b) { return a + b; }\n"})


def invoke(*args: str):
    """Run the CLI in-process (the current folder is the test's: use monkeypatch.chdir)."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)
