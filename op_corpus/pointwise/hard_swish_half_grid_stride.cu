// Hard-swish on fp16: y = x * min(max(x + 3, 0), 6) / 6, computed in fp32.
// Style: grid-stride loop over __half data, __half2float / __float2half, fminf/fmaxf.
#include <cuda_runtime.h>
#include <cuda_fp16.h>

__global__ void hard_swish_f16(const __half* __restrict__ x, __half* __restrict__ y, int n) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
    float v = __half2float(x[i]);
    float r = v * fminf(fmaxf(v + 3.0f, 0.0f), 6.0f) / 6.0f;
    y[i] = __float2half(r);
  }
}
