// Per-block maxima of |x| (the first kernel of a two-pass absmax, e.g. for a quantisation scale): a grid-strided
// loop, then warp shuffles, per-warp maxima through shared memory and a second shuffle level in warp 0. Thread 0
// writes its block's maximum.
#include <cuda_runtime.h>

__inline__ __device__ float warp_max(float v) {
  for (int offset = 16; offset > 0; offset >>= 1) v = fmaxf(v, __shfl_down_sync(0xffffffffu, v, offset));
  return v;
}

__global__ void block_partial_absmax(const float* __restrict__ x, float* __restrict__ block_max, int n) {
  __shared__ float warp_results[32];
  float m = 0.0f;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) m = fmaxf(m, fabsf(x[i]));
  m = warp_max(m);
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  if (lane == 0) warp_results[warp] = m;
  __syncthreads();
  if (warp == 0) {
    m = lane < blockDim.x / 32 ? warp_results[lane] : 0.0f;
    m = warp_max(m);
    if (lane == 0) block_max[blockIdx.x] = m;
  }
}

void launch_block_partial_absmax(const float* x, float* block_max, int n) {
  block_partial_absmax<<<80, 512>>>(x, block_max, n);
}
