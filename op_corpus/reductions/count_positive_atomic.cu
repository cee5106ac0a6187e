// Count of the positive elements of a vector: atomicAdd(count, 1) under a predicate (an exact int32 reduction).
#include <cuda_runtime.h>

__global__ void count_positive_atomic(const float* __restrict__ x, int* __restrict__ count, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n && x[i] > 0.0f) atomicAdd(count, 1);
}

void launch_count_positive_atomic(const float* x, int* count, int n) {
  count_positive_atomic<<<(n + 255) / 256, 256>>>(x, count, n);
}
