// ReLU6 through a __device__ helper written with early returns: y = min(max(x, 0), 6).
// Style: helper function with `if (...) return ...;` branches (common in hand-written activations), bounds guard.
#include <cuda_runtime.h>

__device__ __forceinline__ float relu6(float v) {
  if (v < 0.0f) return 0.0f;
  if (v > 6.0f) return 6.0f;
  return v;
}

__global__ void relu6_f32(const float* __restrict__ x, float* __restrict__ y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    y[i] = relu6(x[i]);
  }
}
