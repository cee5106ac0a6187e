// int32 scale then clamp: y = min(max(x * k, lo), hi). Style: int32 kernel, scalar multiply, min/max, early return.
#include <cuda_runtime.h>

__global__ void scale_clamp_int32(const int32_t* __restrict__ x, int32_t* __restrict__ y, int k, int lo, int hi, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  int v = x[i] * k;
  y[i] = max(lo, min(v, hi));
}
