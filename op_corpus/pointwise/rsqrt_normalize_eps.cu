// Element-wise unit normalisation: y = x * rsqrt(x^2 + eps). Style: rsqrtf, scalar eps, grid-stride loop.
#include <cuda_runtime.h>

__global__ void rsqrt_normalize(const float* __restrict__ x, float* __restrict__ y, float eps, int n) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
    float v = x[i];
    y[i] = v * rsqrtf(v * v + eps);
  }
}
