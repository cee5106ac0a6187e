// SiLU on bf16 storage, computed in fp32: y = x * sigmoid(x). Style: __nv_bfloat16 in/out, bf16 conversion intrinsics.
#include <cuda_runtime.h>
#include <cuda_bf16.h>

__global__ void silu_bf16(const __nv_bfloat16* __restrict__ x, __nv_bfloat16* __restrict__ y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    float v = __bfloat162float(x[i]);
    y[i] = __float2bfloat16(v / (1.0f + expf(-v)));
  }
}
