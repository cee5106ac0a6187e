// Leaky ReLU: y = x > 0 ? x : alpha * x, one thread per element with a bounds guard.
#include <cuda_runtime.h>

__global__ void leaky_relu(const float* __restrict__ x, float* __restrict__ y, float alpha, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    float v = x[i];
    y[i] = v > 0.0f ? v : alpha * v;
  }
}
