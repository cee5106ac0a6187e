// Largest element of an int32 vector: grid-stride loop, atomicMax per element (an exact int32 reduction).
#include <cuda_runtime.h>

__global__ void int_max_grid_atomic(const int* __restrict__ x, int* __restrict__ out, int n) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) atomicMax(out, x[i]);
}

void launch_int_max_grid_atomic(const int* x, int* out, int n) {
  int blocks = (n + 255) / 256;
  int_max_grid_atomic<<<blocks < 320 ? blocks : 320, 256>>>(x, out, n);
}
