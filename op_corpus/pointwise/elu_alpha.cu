// ELU: y = x > 0 ? x : alpha * (exp(x) - 1). Style: ternary, expf, scalar alpha, early-return guard.
#include <cuda_runtime.h>

__global__ void elu_f32(const float* __restrict__ x, float* __restrict__ y, float alpha, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  const float v = x[i];
  y[i] = v > 0.0f ? v : alpha * (expf(v) - 1.0f);
}
