// Hard-sigmoid in fp32: y = clamp(x / 6 + 0.5, 0, 1). Style: clamp with fminf/fmaxf, early-return guard.
#include <cuda_runtime.h>

__global__ void hard_sigmoid_f32(const float* __restrict__ x, float* __restrict__ y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) {
    return;
  }
  y[i] = fminf(fmaxf(x[i] / 6.0f + 0.5f, 0.0f), 1.0f);
}
