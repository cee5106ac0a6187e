// Sum of squares of all elements into out[0]: one atomicAdd per element (the simplest full reduction).
#include <cuda_runtime.h>

__global__ void sum_squares_atomic(const float* __restrict__ x, float* __restrict__ out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) atomicAdd(out, x[i] * x[i]);
}

void launch_sum_squares_atomic(const float* x, float* out, int n, cudaStream_t stream) {
  cudaMemsetAsync(out, 0, sizeof(float), stream);
  sum_squares_atomic<<<(n + 255) / 256, 256, 0, stream>>>(x, out, n);
}
