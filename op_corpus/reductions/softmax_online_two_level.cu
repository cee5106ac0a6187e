// Softmax with the online max and sum, one block of 256 threads per row, merged in two levels: a butterfly of
// (max, sum) shuffles in each warp, the warps' pairs through shared memory, and a second butterfly in every warp
// (each lane reads all per-warp pairs), so every thread holds the row's max and sum before writing.
#include <cfloat>
#include <cuda_runtime.h>

__device__ __forceinline__ void warp_online_merge(float& m, float& s) {
  for (int offset = 16; offset > 0; offset >>= 1) {
    const float m_other = __shfl_xor_sync(0xffffffffu, m, offset);
    const float s_other = __shfl_xor_sync(0xffffffffu, s, offset);
    const float m_new = fmaxf(m, m_other);
    s = s * __expf(m - m_new) + s_other * __expf(m_other - m_new);
    m = m_new;
  }
}

__global__ void softmax_online_two_level(const float* __restrict__ x, float* __restrict__ y, int cols) {
  __shared__ float warp_m[32];
  __shared__ float warp_s[32];
  const float* xr = x + static_cast<size_t>(blockIdx.x) * cols;
  float m = -FLT_MAX, s = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    const float m_new = fmaxf(m, xr[c]);
    s = s * __expf(m - m_new) + __expf(xr[c] - m_new);
    m = m_new;
  }
  warp_online_merge(m, s);
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  if (lane == 0) {
    warp_m[warp] = m;
    warp_s[warp] = s;
  }
  __syncthreads();
  m = lane < blockDim.x / 32 ? warp_m[lane] : -FLT_MAX;
  s = lane < blockDim.x / 32 ? warp_s[lane] : 0.0f;
  warp_online_merge(m, s);
  const float inv = 1.0f / s;
  float* yr = y + static_cast<size_t>(blockIdx.x) * cols;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) yr[c] = __expf(xr[c] - m) * inv;
}

void launch_softmax_online_two_level(const float* x, float* y, int rows, int cols) {
  softmax_online_two_level<<<rows, 256>>>(x, y, cols);
}
