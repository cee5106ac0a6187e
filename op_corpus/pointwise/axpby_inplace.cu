// AXPBY: y = a * x + b * y, updated in place. Style: scalar parameters, in-place read-modify-write, grid-stride loop.
#include <cuda_runtime.h>

__global__ void axpby_f32(int n, float a, const float* __restrict__ x, float b, float* __restrict__ y) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
    y[i] = a * x[i] + b * y[i];
  }
}
