// Softmax with the online max and sum, one block per row: each thread keeps (m, s) over its strided elements, a
// shared-memory tree merges the pairs (s rescaled to the larger maximum), then the block writes the outputs.
// m starts at -FLT_MAX so that threads without elements merge to (-FLT_MAX, 0) instead of exp(-inf + inf) = NaN.
#include <cfloat>
#include <cuda_runtime.h>

__global__ void softmax_online_block(const float* __restrict__ x, float* __restrict__ y, int cols) {
  __shared__ float s_max[256];
  __shared__ float s_sum[256];
  const float* xr = x + static_cast<size_t>(blockIdx.x) * cols;
  float m = -FLT_MAX, s = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    const float v = xr[c];
    const float m_new = fmaxf(m, v);
    s = s * __expf(m - m_new) + __expf(v - m_new);
    m = m_new;
  }
  s_max[threadIdx.x] = m;
  s_sum[threadIdx.x] = s;
  __syncthreads();
  for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
    if (threadIdx.x < stride) {
      const float m_a = s_max[threadIdx.x], m_b = s_max[threadIdx.x + stride];
      const float m_ab = fmaxf(m_a, m_b);
      s_sum[threadIdx.x] = s_sum[threadIdx.x] * __expf(m_a - m_ab) + s_sum[threadIdx.x + stride] * __expf(m_b - m_ab);
      s_max[threadIdx.x] = m_ab;
    }
    __syncthreads();
  }
  const float row_max = s_max[0], inv_sum = 1.0f / s_sum[0];
  float* yr = y + static_cast<size_t>(blockIdx.x) * cols;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) yr[c] = __expf(xr[c] - row_max) * inv_sum;
}

void launch_softmax_online_block(const float* x, float* y, int rows, int cols) {
  softmax_online_block<<<rows, 256>>>(x, y, cols);
}
