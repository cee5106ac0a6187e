// Leaky ReLU in fp32: y = x if x >= 0 else negative_slope * x.
// Style: if/else on the value, scalar parameter, bounds guard.
#include <cuda_runtime.h>

__global__ void leaky_relu_ifelse(const float* x, float* y, float negative_slope, int n) {
  int idx = blockIdx.x * blockDim.x + threadIdx.x;
  if (idx < n) {
    float v = x[idx];
    float r;
    if (v >= 0.0f) {
      r = v;
    } else {
      r = negative_slope * v;
    }
    y[idx] = r;
  }
}
