// NEAR-MISS (must stay unported): the single-pass "last block" sum (threadfence reduction). Each block writes its
// partial, then takes a ticket with atomicInc; the block that draws the last ticket sums all partials. Which block
// finishes last depends on scheduling: the ticket (the old value atomicInc returns) orders the blocks, so the
// kernel is reported with that reason rather than translated.
#include <cuda_runtime.h>

__device__ unsigned int blocks_done = 0;

__global__ void last_block_sum(const float* __restrict__ x, float* __restrict__ partial, float* __restrict__ out, int n) {
  __shared__ float sh[256];
  __shared__ bool is_last;
  float acc = 0.0f;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) acc += x[i];
  sh[threadIdx.x] = acc;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    partial[blockIdx.x] = sh[0];
    __threadfence();
    unsigned int ticket = atomicInc(&blocks_done, gridDim.x);
    is_last = ticket == gridDim.x - 1;
  }
  __syncthreads();
  if (is_last && threadIdx.x == 0) {
    float total = 0.0f;
    for (int b = 0; b < gridDim.x; ++b) total += partial[b];
    *out = total;
    blocks_done = 0;
  }
}

void launch_last_block_sum(const float* x, float* partial, float* out, int n) {
  last_block_sum<<<64, 256>>>(x, partial, out, n);
}
