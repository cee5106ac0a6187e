// AXPY accumulated in place: y += alpha * x. Style: in-place `+=`, scalar alpha, bounds guard.
#include <cuda_runtime.h>

__global__ void axpy_accumulate(int n, float alpha, const float* __restrict__ x, float* __restrict__ y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    y[i] += alpha * x[i];
  }
}
