// NEAR-MISS (must stay unported): an online softmax whose running maximum starts at -INFINITY. Threads that see no
// element (rows shorter than the block) keep (-inf, 0), and merging two of them computes exp(-inf - -inf) = NaN,
// which then poisons the row's sum: the CUDA kernel returns NaN for every row of fewer than 256 elements.
// cuda2cann reports the merge of empty lanes instead of translating a kernel whose original is wrong there.
#include <cuda_runtime.h>

__global__ void softmax_online_empty_lanes(const float* __restrict__ x, float* __restrict__ y, int cols) {
  __shared__ float s_max[256];
  __shared__ float s_sum[256];
  const float* xr = x + static_cast<size_t>(blockIdx.x) * cols;
  float m = -INFINITY, s = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    const float m_new = fmaxf(m, xr[c]);
    s = s * __expf(m - m_new) + __expf(xr[c] - m_new);
    m = m_new;
  }
  s_max[threadIdx.x] = m;
  s_sum[threadIdx.x] = s;
  __syncthreads();
  for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
    if (threadIdx.x < stride) {
      const float m_ab = fmaxf(s_max[threadIdx.x], s_max[threadIdx.x + stride]);
      s_sum[threadIdx.x] = s_sum[threadIdx.x] * __expf(s_max[threadIdx.x] - m_ab) +
                           s_sum[threadIdx.x + stride] * __expf(s_max[threadIdx.x + stride] - m_ab);
      s_max[threadIdx.x] = m_ab;
    }
    __syncthreads();
  }
  for (int c = threadIdx.x; c < cols; c += blockDim.x)
    y[static_cast<size_t>(blockIdx.x) * cols + c] = __expf(xr[c] - s_max[0]) / s_sum[0];
}

void launch_softmax_online_empty_lanes(const float* x, float* y, int rows, int cols) {
  softmax_online_empty_lanes<<<rows, 256>>>(x, y, cols);
}
