// Row sums in the style of the CUDA samples' later reductions: a halving loop that stops at 64 lanes, then the last
// warp's six steps written out in a helper on a volatile pointer, each followed by __syncwarp() (required since
// Volta: a warp no longer runs in lockstep). Thread 0 writes the row's sum.
#include <cuda_runtime.h>

__device__ void warp_reduce(volatile float* sdata, unsigned int tid) {
  sdata[tid] += sdata[tid + 32];
  __syncwarp();
  sdata[tid] += sdata[tid + 16];
  __syncwarp();
  sdata[tid] += sdata[tid + 8];
  __syncwarp();
  sdata[tid] += sdata[tid + 4];
  __syncwarp();
  sdata[tid] += sdata[tid + 2];
  __syncwarp();
  sdata[tid] += sdata[tid + 1];
}

__global__ void row_sum_unrolled_last_warp(const float* __restrict__ x, float* __restrict__ out, int cols) {
  __shared__ float sdata[256];
  const unsigned int tid = threadIdx.x;
  float acc = 0.0f;
  for (int c = tid; c < cols; c += blockDim.x) acc += x[static_cast<size_t>(blockIdx.x) * cols + c];
  sdata[tid] = acc;
  __syncthreads();
  for (unsigned int s = blockDim.x / 2; s > 32; s >>= 1) {
    if (tid < s) sdata[tid] += sdata[tid + s];
    __syncthreads();
  }
  if (tid < 32) warp_reduce(sdata, tid);
  if (tid == 0) out[blockIdx.x] = sdata[0];
}

void launch_row_sum_unrolled_last_warp(const float* x, float* out, int rows, int cols) {
  row_sum_unrolled_last_warp<<<rows, 256>>>(x, out, cols);
}
