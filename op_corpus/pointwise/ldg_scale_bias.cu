// Read-only-cache loads: y = x * scale + bias. Style: `__ldg(&x[i])` loads (common in inference engines), scalars, bounds guard.
#include <cuda_runtime.h>

__global__ void ldg_scale_bias_f32(const float* __restrict__ x, float* __restrict__ y, float scale, float bias, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    y[i] = __ldg(&x[i]) * scale + bias;
  }
}
