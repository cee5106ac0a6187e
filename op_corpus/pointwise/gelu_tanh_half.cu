// GELU (tanh form) on fp16 storage, computed in fp32: y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
// Style: fp16 in/out with __half2float / __float2half, early-return guard, #define constants.
#include <cuda_runtime.h>
#include <cuda_fp16.h>

#define SQRT_2_OVER_PI 0.7978845608028654f
#define GELU_K 0.044715f

__global__ void gelu_tanh_f16(const __half* __restrict__ x, __half* __restrict__ y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  float v = __half2float(x[i]);
  float inner = SQRT_2_OVER_PI * (v + GELU_K * v * v * v);
  y[i] = __float2half(0.5f * v * (1.0f + tanhf(inner)));
}
