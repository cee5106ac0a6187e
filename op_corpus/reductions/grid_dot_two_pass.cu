// A grid-level two-pass dot product, both kernels in one file as real code writes it: the first kernel leaves one
// partial dot product per block (grid-strided loop, shared-memory tree), the second sums the partials in one block.
#include <cuda_runtime.h>

constexpr int kThreads = 256;

__global__ void dot_partials(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ partial,
                             int n) {
  __shared__ float cache[kThreads];
  float sum = 0.0f;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) sum += a[i] * b[i];
  cache[threadIdx.x] = sum;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) cache[threadIdx.x] += cache[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) partial[blockIdx.x] = cache[0];
}

__global__ void dot_finish(const float* __restrict__ partial, float* __restrict__ out, int blocks) {
  __shared__ float cache[kThreads];
  float sum = 0.0f;
  for (int i = threadIdx.x; i < blocks; i += blockDim.x) sum += partial[i];
  cache[threadIdx.x] = sum;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) cache[threadIdx.x] += cache[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) *out = cache[0];
}

void dot(const float* a, const float* b, float* partial, float* out, int n) {
  const int blocks = 128;
  dot_partials<<<blocks, kThreads>>>(a, b, partial, n);
  dot_finish<<<1, kThreads>>>(partial, out, blocks);
}
