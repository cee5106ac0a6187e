// Sigmoid in fp32: y = 1 / (1 + exp(-x)). Style: early-return guard `if (i >= n) return;`, expf.
#include <cuda_runtime.h>

__global__ void sigmoid_f32(const float* x, float* y, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  y[i] = 1.0f / (1.0f + expf(-x[i]));
}
