// Per-block counts of elements above a threshold (int32, exact): a grid-strided count, a shared-memory tree, and
// thread 0 writes the block's count (a histogram-free first pass of a stream compaction).
#include <cuda_runtime.h>

__global__ void block_count_above(const float* __restrict__ x, int* __restrict__ counts, float threshold, int n) {
  __shared__ int sh[128];
  int c = 0;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) c += x[i] > threshold ? 1 : 0;
  sh[threadIdx.x] = c;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) counts[blockIdx.x] = sh[0];
}

void launch_block_count_above(const float* x, int* counts, float threshold, int n) {
  block_count_above<<<96, 128>>>(x, counts, threshold, n);
}
