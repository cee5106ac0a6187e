// Threshold and sign in one pass: y = x > threshold ? x : value; s = sign(x) in {-1, 0, 1}.
// Style: two outputs per kernel, if / else-if chain on the value, scalar parameters.
#include <cuda_runtime.h>

__global__ void threshold_sign_f32(const float* __restrict__ x, float* __restrict__ y, float* __restrict__ s,
                                   float threshold, float value, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    float v = x[i];
    y[i] = (v > threshold) ? v : value;
    float sg;
    if (v > 0.0f) {
      sg = 1.0f;
    } else if (v < 0.0f) {
      sg = -1.0f;
    } else {
      sg = 0.0f;
    }
    s[i] = sg;
  }
}
