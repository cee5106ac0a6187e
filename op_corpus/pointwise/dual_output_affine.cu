// Two affine views of one input: y = x * a and z = x + b.
// Style: several outputs per kernel, scalar parameters, bounds guard.
#include <cuda_runtime.h>

__global__ void scale_and_shift(const float* __restrict__ x, float* __restrict__ y, float* __restrict__ z,
                                float a, float b, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    float v = x[i];
    y[i] = v * a;
    z[i] = v + b;
  }
}
