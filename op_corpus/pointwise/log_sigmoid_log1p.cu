// Log-sigmoid, numerically stable: y = min(x, 0) - log1p(exp(-|x|)).
// Style: log1pf / expf / fabsf / fminf composite, early-return guard.
#include <cuda_runtime.h>

__global__ void log_sigmoid_f32(const float* __restrict__ x, float* __restrict__ y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  float v = x[i];
  y[i] = fminf(v, 0.0f) - log1pf(expf(-fabsf(v)));
}
