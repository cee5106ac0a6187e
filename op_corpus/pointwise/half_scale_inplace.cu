// In-place fp16 scale + bias with half intrinsics: x = x * s + b, where s and b arrive as float and are converted once.
// Style: in-place __half update, __float2half of scalars, __hmul / __hadd, bounds guard.
#include <cuda_runtime.h>
#include <cuda_fp16.h>

__global__ void half_scale_bias_inplace(__half* x, float s, float b, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    const __half hs = __float2half(s);
    const __half hb = __float2half(b);
    x[i] = __hadd(__hmul(x[i], hs), hb);
  }
}
