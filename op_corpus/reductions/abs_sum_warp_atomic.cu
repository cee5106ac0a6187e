// L1 norm of a vector: grid-stride per-thread partials, a __shfl_down_sync sum inside each warp, and one atomicAdd
// per warp (lane 0).
#include <cuda_runtime.h>

__device__ __forceinline__ float warp_sum(float v) {
  for (int offset = warpSize / 2; offset > 0; offset >>= 1) v += __shfl_down_sync(0xffffffffu, v, offset);
  return v;
}

__global__ void abs_sum_warp_atomic(const float* __restrict__ x, float* __restrict__ out, int n) {
  float acc = 0.0f;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) acc += fabsf(x[i]);
  acc = warp_sum(acc);
  if ((threadIdx.x & (warpSize - 1)) == 0) atomicAdd(out, acc);
}

void launch_abs_sum_warp_atomic(const float* x, float* out, int n) {
  int blocks = (n + 255) / 256;
  abs_sum_warp_atomic<<<blocks < 512 ? blocks : 512, 256>>>(x, out, n);
}
