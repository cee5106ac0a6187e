// NEAR-MISS (must stay unported): every thread of the block adds the block's sum with atomicAdd, so each block's
// share is counted blockDim.x times (the guard `if (threadIdx.x == 0)` is missing).
#include <cuda_runtime.h>

__global__ void total_sum_all_threads_add(const float* __restrict__ x, float* __restrict__ out, int n) {
  __shared__ float sh[256];
  float acc = 0.0f;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) acc += x[i];
  sh[threadIdx.x] = acc;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
    __syncthreads();
  }
  atomicAdd(out, sh[0]);
}

void launch_total_sum_all_threads_add(const float* x, float* out, int n) {
  total_sum_all_threads_add<<<64, 256>>>(x, out, n);
}
