// Smooth magnitude and log-magnitude: m = sqrt(x^2 + eps) with powf(x, 2.0f); l = log(|x| + eps).
// Style: powf, sqrtf, fabsf, logf; two outputs; scalar eps.
#include <cuda_runtime.h>

__global__ void smooth_magnitude(const float* __restrict__ x, float* __restrict__ m, float* __restrict__ l, float eps, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    float v = x[i];
    m[i] = sqrtf(powf(v, 2.0f) + eps);
    l[i] = logf(fabsf(v) + eps);
  }
}
