// Softmax with the online (single-pass) max and sum, a warp per row: each lane keeps (m, s) with s rescaled
// whenever m grows, the lanes combine their pairs with a shuffle butterfly, then the outputs are written.
// m starts at -FLT_MAX, not -INFINITY: lanes without elements would otherwise combine to exp(-inf + inf) = NaN.
#include <cfloat>
#include <cuda_runtime.h>

__global__ void softmax_online_warp(const float* __restrict__ x, float* __restrict__ y, int rows, int cols) {
  int row = blockIdx.x * blockDim.y + threadIdx.y;
  if (row >= rows) return;
  const float* xr = x + (size_t)row * cols;
  float m = -FLT_MAX, s = 0.0f;
  for (int c = threadIdx.x; c < cols; c += 32) {
    float v = xr[c];
    float m_new = fmaxf(m, v);
    s = s * __expf(m - m_new) + __expf(v - m_new);
    m = m_new;
  }
  for (int offset = 16; offset > 0; offset >>= 1) {
    float m_other = __shfl_xor_sync(0xffffffffu, m, offset);
    float s_other = __shfl_xor_sync(0xffffffffu, s, offset);
    float m_new = fmaxf(m, m_other);
    s = s * __expf(m - m_new) + s_other * __expf(m_other - m_new);
    m = m_new;
  }
  float inv = 1.0f / s;
  for (int c = threadIdx.x; c < cols; c += 32) y[(size_t)row * cols + c] = __expf(xr[c] - m) * inv;
}

void launch_softmax_online_warp(const float* x, float* y, int rows, int cols) {
  dim3 block(32, 8);
  softmax_online_warp<<<(rows + 7) / 8, block>>>(x, y, rows, cols);
}
