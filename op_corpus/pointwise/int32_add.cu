// Element-wise int32 addition: c = a + b. Style: int32 kernel, bounds guard.
#include <cuda_runtime.h>

__global__ void add_int32(const int* __restrict__ a, const int* __restrict__ b, int* __restrict__ c, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    c[i] = a[i] + b[i];
  }
}
