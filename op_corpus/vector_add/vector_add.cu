// z = x + y, one thread per element with a bounds guard.
#include <cuda_runtime.h>

__global__ void vector_add(const float* __restrict__ x, const float* __restrict__ y, float* __restrict__ z, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    z[i] = x[i] + y[i];
  }
}
