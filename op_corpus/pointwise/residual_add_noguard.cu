// Residual add: y = x + r. Style: NO bounds guard — the launcher requires n to be a multiple of the block size,
// as many inference engines do for hidden sizes.
#include <cuda_runtime.h>

__global__ void residual_add_f32(const float* __restrict__ x, const float* __restrict__ r, float* __restrict__ y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  y[i] = x[i] + r[i];
}

void residual_add(const float* x, const float* r, float* y, int n) {
  // n % 128 == 0 is a precondition of this launcher
  residual_add_f32<<<n / 128, 128>>>(x, r, y);
}
