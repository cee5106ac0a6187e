// The second kernel of a two-pass grid reduction: one block sums the per-block partial results of the first
// (block-strided accumulation, then a shared-memory tree; thread 0 writes the total). On Ascend it becomes a
// multi-core full reduction. The first kernel of the pair is block_partial_sums.cu.
#include <cuda_runtime.h>

__global__ void sum_partials_single_block(const float* __restrict__ partial, float* __restrict__ out, int n) {
  __shared__ float sh[256];
  float acc = 0.0f;
  for (int i = threadIdx.x; i < n; i += blockDim.x) acc += partial[i];
  sh[threadIdx.x] = acc;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) out[0] = sh[0];
}

void launch_sum_partials_single_block(const float* partial, float* out, int n) {
  sum_partials_single_block<<<1, 256>>>(partial, out, n);
}
