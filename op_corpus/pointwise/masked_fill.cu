// Masked fill: y = mask != 0 ? x : fill, with an int32 mask. Style: ternary on an int32 value selecting fp32 data,
// two input dtypes, scalar fill, bounds guard.
#include <cuda_runtime.h>

__global__ void masked_fill_f32(const float* __restrict__ x, const int* __restrict__ mask, float* __restrict__ y,
                                float fill, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    int m = mask[i];
    y[i] = m != 0 ? x[i] : fill;
  }
}
