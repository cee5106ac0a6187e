// RMSNorm over the last axis of a row-major [rows, cols] matrix, one block per row:
// y[r, c] = x[r, c] * rsqrt(mean_c(x[r, c]^2) + eps) * gamma[c].
// The sum of squares is reduced inside each warp with __shfl_down_sync, then across warps through
// shared memory (blockDim.x must be a multiple of 32, at most 1024).
#include <cuda_runtime.h>

__device__ __forceinline__ float warp_sum(float v) {
  for (int offset = warpSize / 2; offset > 0; offset >>= 1) {
    v += __shfl_down_sync(0xffffffffu, v, offset);
  }
  return v;
}

__global__ void rmsnorm(const float* __restrict__ x, const float* __restrict__ gamma, float* __restrict__ y,
                        int rows, int cols, float eps) {
  __shared__ float warpSums[32];
  __shared__ float invRms;
  int row = blockIdx.x;
  if (row >= rows) return;
  const float* xr = x + static_cast<size_t>(row) * cols;
  float* yr = y + static_cast<size_t>(row) * cols;
  int lane = threadIdx.x % warpSize;
  int warp = threadIdx.x / warpSize;

  float ss = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    float v = xr[c];
    ss += v * v;
  }
  ss = warp_sum(ss);
  if (lane == 0) warpSums[warp] = ss;
  __syncthreads();
  if (warp == 0) {
    int nWarps = blockDim.x / warpSize;
    ss = lane < nWarps ? warpSums[lane] : 0.0f;
    ss = warp_sum(ss);
    if (lane == 0) invRms = rsqrtf(ss / cols + eps);
  }
  __syncthreads();

  float inv = invRms;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    yr[c] = xr[c] * inv * gamma[c];
  }
}
