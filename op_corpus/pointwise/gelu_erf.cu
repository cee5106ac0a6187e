// Exact GELU (erf form): y = 0.5 x (1 + erf(x / sqrt(2))). Style: erff (may be reported unported), #define constant.
#include <cuda_runtime.h>

#define M_SQRT1_2_F 0.70710678118654752f

__global__ void gelu_erf_f32(const float* __restrict__ x, float* __restrict__ y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    float v = x[i];
    y[i] = 0.5f * v * (1.0f + erff(v * M_SQRT1_2_F));
  }
}
