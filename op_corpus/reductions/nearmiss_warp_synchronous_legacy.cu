// NEAR-MISS (must stay unported): the legacy unrolled last warp, `volatile` and without __syncwarp(). It relies on the
// 32 lanes of a warp running in lockstep, which Volta and later GPUs do not guarantee (independent thread
// scheduling): lane 0 may read sdata[16] before lane 16 has added sdata[48] into it. cuda2cann reports the missing
// barrier between the steps instead of translating what the kernel only usually computes.
#include <cuda_runtime.h>

__device__ void warp_reduce_legacy(volatile float* sdata, unsigned int tid) {
  sdata[tid] += sdata[tid + 32];
  sdata[tid] += sdata[tid + 16];
  sdata[tid] += sdata[tid + 8];
  sdata[tid] += sdata[tid + 4];
  sdata[tid] += sdata[tid + 2];
  sdata[tid] += sdata[tid + 1];
}

__global__ void row_sum_warp_synchronous(const float* __restrict__ x, float* __restrict__ out, int cols) {
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
  if (tid < 32) warp_reduce_legacy(sdata, tid);
  if (tid == 0) out[blockIdx.x] = sdata[0];
}

void launch_row_sum_warp_synchronous(const float* x, float* out, int rows, int cols) {
  row_sum_warp_synchronous<<<rows, 256>>>(x, out, cols);
}
