// GELU, tanh approximation: y = 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))).
// Grid-stride loop: a fixed-size grid covers any n.
#include <cuda_runtime.h>

#define GELU_SQRT_2_OVER_PI 0.7978845608028654f
#define GELU_COEFF 0.044715f

__global__ void gelu_tanh(const float* __restrict__ x, float* __restrict__ y, int n) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
    float v = x[i];
    float u = GELU_SQRT_2_OVER_PI * (v + GELU_COEFF * v * v * v);
    y[i] = 0.5f * v * (1.0f + tanhf(u));
  }
}
