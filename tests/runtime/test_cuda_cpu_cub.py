"""cuda-cpu's CUB shim: BlockReduce / WarpReduce results are defined in thread 0 / lane 0 only (CUB's contract), and a
BlockReduce used in a block of another size is a fault, as on a GPU it is undefined behaviour."""
from __future__ import annotations

from tests.runtime.test_cuda_cpu import run

PROGRAM = r"""
#include <cuda_runtime.h>
#include <cub/cub.cuh>
#include <cstdio>

__global__ void block_sum(const float* in, float* out) {
  auto& temp = *cuda_cpu::block_shared<cub::BlockReduce<float, 64>::TempStorage>(1);
  float v = in[threadIdx.x];
  out[threadIdx.x] = cub::BlockReduce<float, 64>(temp).Sum(v);
}

__global__ void block_max(const float* in, float* out) {
  auto& temp = *cuda_cpu::block_shared<cub::BlockReduce<float, 64>::TempStorage>(2);
  out[threadIdx.x] = cub::BlockReduce<float, 64>(temp).Reduce(in[threadIdx.x], cub::Max());
}

__global__ void warp_sum(const float* in, float* out) {
  cub::WarpReduce<float>::TempStorage temp;
  out[threadIdx.x] = cub::WarpReduce<float>(temp).Sum(in[threadIdx.x]);
}

int main(int argc, char** argv) {
  float host[64], *in, *out;
  for (int i = 0; i < 64; ++i) host[i] = static_cast<float>(i + 1);
  cudaMalloc(&in, sizeof(host));
  cudaMalloc(&out, sizeof(host));
  cudaMemcpy(in, host, sizeof(host), cudaMemcpyHostToDevice);
  int threads = argc > 1 ? 32 : 64;  // a wrong block size on request
  auto mode = cuda_cpu::SyncMode::Fibers;
  if (cuda_cpu::launch(cuda_cpu::LaunchConfig(1, threads, 0, 0, mode), block_sum, in, out) != cudaSuccess) return 2;
  cudaMemcpy(host, out, sizeof(host), cudaMemcpyDeviceToHost);
  std::printf("sum %g %g %g\n", host[0], host[1], host[63]);
  cuda_cpu::launch(cuda_cpu::LaunchConfig(1, 64, 0, 0, mode), block_max, in, out);
  cudaMemcpy(host, out, sizeof(host), cudaMemcpyDeviceToHost);
  std::printf("max %g %g\n", host[0], host[5]);
  cuda_cpu::launch(cuda_cpu::LaunchConfig(1, 64, 0, 0, mode), warp_sum, in, out);
  cudaMemcpy(host, out, sizeof(host), cudaMemcpyDeviceToHost);
  std::printf("warp %g %g %g\n", host[0], host[32], host[1]);
  return 0;
}
"""


def test_block_and_warp_results_are_defined_in_thread_and_lane_zero_only():
    proc = run(PROGRAM)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines())
    assert lines["sum"].split() == ["2080", "2", "64"]  # thread 0: 1 + ... + 64; others: their own input
    assert lines["max"].split() == ["64", "6"]
    assert lines["warp"].split() == ["528", "1552", "2"]  # lanes 0 of both warps: 1..32 and 33..64


def test_block_reduce_in_a_block_of_another_size_is_a_fault():
    proc = run(PROGRAM, "wrong")
    assert proc.returncode != 0
    assert "cub::BlockReduce for 64 threads used in a block of 32" in proc.stdout + proc.stderr
