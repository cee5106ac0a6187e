// Fused residual add + RMSNorm, one block per row: h = x + residual is written back (the new residual stream),
// y = h * rsqrt(mean(h^2) + eps) * w. The sum of squares is a two-level reduction (warp shuffles, then warp 0);
// the inverse RMS is published to every thread through a shared variable.
#include <cuda_runtime.h>

__device__ __forceinline__ float warp_sum(float v) {
  for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_xor_sync(0xffffffffu, v, offset);
  return v;
}

__global__ void rmsnorm_residual_two_level(const float* __restrict__ x, float* __restrict__ residual,
                                           const float* __restrict__ w, float* __restrict__ y, int rows, int cols,
                                           float eps) {
  __shared__ float warp_sums[32];
  __shared__ float inv_rms;
  int row = blockIdx.x;
  if (row >= rows) return;
  int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  float ss = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    float h = x[row * cols + c] + residual[row * cols + c];
    ss += h * h;
  }
  ss = warp_sum(ss);
  if (lane == 0) warp_sums[warp] = ss;
  __syncthreads();
  if (warp == 0) {
    ss = lane < blockDim.x / 32 ? warp_sums[lane] : 0.0f;
    ss = warp_sum(ss);
    if (lane == 0) inv_rms = rsqrtf(ss / cols + eps);
  }
  __syncthreads();
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    float h = x[row * cols + c] + residual[row * cols + c];
    y[row * cols + c] = h * inv_rms * w[c];
  }
}

void launch_rmsnorm_residual_two_level(const float* x, float* residual, const float* w, float* y, int rows, int cols,
                                       float eps) {
  rmsnorm_residual_two_level<<<rows, 256>>>(x, residual, w, y, rows, cols, eps);
}
