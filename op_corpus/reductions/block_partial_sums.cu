// The first kernel of a grid-level two-pass sum: each block reduces its share of a grid-strided loop and thread 0
// writes it to partial[blockIdx.x]. Block b's share is the segments [(j * gridDim.x + b) * blockDim.x, + blockDim.x)
// of x, so the values depend on the launch the host chose: the port takes gridDim.x and blockDim.x as parameters.
// The second kernel of the pair is sum_partials_single_block.cu.
#include <cuda_runtime.h>

__global__ void block_partial_sums(const float* __restrict__ x, float* __restrict__ partial, int n) {
  __shared__ float sh[256];
  float acc = 0.0f;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) acc += x[i];
  sh[threadIdx.x] = acc;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) partial[blockIdx.x] = sh[0];
}

void launch_block_partial_sums(const float* x, float* partial, int n) {
  block_partial_sums<<<64, 256>>>(x, partial, n);
}
