// Clamp int32 values into [lo, hi], one thread per element with a bounds guard.
#include <cuda_runtime.h>

__global__ void clamp_int32(const int* __restrict__ x, int* __restrict__ y, int lo, int hi, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    y[i] = max(lo, min(x[i], hi));
  }
}
