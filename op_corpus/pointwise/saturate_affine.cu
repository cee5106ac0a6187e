// Saturated affine map into [0, 1]: y = saturate(x * scale + bias). Style: __saturatef, scalar parameters, bounds guard.
#include <cuda_runtime.h>

__global__ void saturate_affine_f32(const float* __restrict__ x, float* __restrict__ y, float scale, float bias, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    y[i] = __saturatef(x[i] * scale + bias);
  }
}
