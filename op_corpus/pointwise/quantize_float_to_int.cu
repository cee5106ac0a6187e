// Quantise fp32 to int32 codes: q = clamp((int)(x * inv_scale), qmin, qmax).
// Style: float -> int cast (truncation), int clamp with min/max, scalar parameters.
#include <cuda_runtime.h>

__global__ void quantize_f32_int32(const float* __restrict__ x, int* __restrict__ q, float inv_scale,
                                   int qmin, int qmax, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    int v = (int)(x[i] * inv_scale);
    q[i] = min(max(v, qmin), qmax);
  }
}
