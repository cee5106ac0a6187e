// SAXPY: y = alpha * x + y, one thread per element with a bounds guard.
#include <cuda_runtime.h>

__global__ void saxpy(int n, float alpha, const float* __restrict__ x, float* __restrict__ y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    y[i] = alpha * x[i] + y[i];
  }
}
