// The first pass of the CUDA samples' reduction (one element per thread, no grid-stride loop): thread i loads
// x[i] or 0 past the end, the block combines its threads' elements in a shared-memory tree, and thread 0 writes the
// block's sum. Block b's sum covers [b * blockDim.x, (b + 1) * blockDim.x) clipped to n.
#include <cuda_runtime.h>

template <int kBlock>
__global__ void block_sums_once(const float* __restrict__ in, float* __restrict__ block_sums, int n) {
  __shared__ float sdata[kBlock];
  const unsigned int tid = threadIdx.x;
  const unsigned int i = blockIdx.x * blockDim.x + threadIdx.x;
  sdata[tid] = (i < n) ? in[i] : 0.0f;
  __syncthreads();
  for (unsigned int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (tid < s) sdata[tid] += sdata[tid + s];
    __syncthreads();
  }
  if (tid == 0) block_sums[blockIdx.x] = sdata[0];
}

void launch_block_sums_once(const float* in, float* block_sums, int n) {
  const int blocks = (n + 255) / 256;
  block_sums_once<256><<<blocks, 256>>>(in, block_sums, n);
}
