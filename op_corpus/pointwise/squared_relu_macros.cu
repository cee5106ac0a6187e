// Squared ReLU: y = relu(x)^2, scaled by a compile-time constant.
// Style: #define constants and function-like macros (SQR, RELU, CEIL_DIV), host launcher.
#include <cuda_runtime.h>

#define THREADS_PER_BLOCK 256
#define OUT_SCALE 0.5f
#define SQR(x) ((x) * (x))
#define RELU(x) ((x) > 0.0f ? (x) : 0.0f)
#define CEIL_DIV(a, b) (((a) + (b) - 1) / (b))

__global__ void squared_relu_f32(const float* __restrict__ x, float* __restrict__ y, int n) {
  int i = blockIdx.x * THREADS_PER_BLOCK + threadIdx.x;
  if (i < n) {
    y[i] = OUT_SCALE * SQR(RELU(x[i]));
  }
}

void squared_relu(const float* x, float* y, int n) {
  squared_relu_f32<<<CEIL_DIV(n, THREADS_PER_BLOCK), THREADS_PER_BLOCK>>>(x, y, n);
}
