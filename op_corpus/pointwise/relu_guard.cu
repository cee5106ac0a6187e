// ReLU in fp32: y = x > 0 ? x : 0. Style: one thread per element with an `if (i < n)` guard, ternary on the value.
#include <cuda_runtime.h>

__global__ void relu_f32(const float* __restrict__ x, float* __restrict__ y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    float v = x[i];
    y[i] = v > 0.0f ? v : 0.0f;
  }
}

void launch_relu_f32(const float* x, float* y, int n, cudaStream_t stream) {
  const int threads = 256;
  const int blocks = (n + threads - 1) / threads;
  relu_f32<<<blocks, threads, 0, stream>>>(x, y, n);
}
