// LayerNorm with one warp per row (the Apex / fused-norm layout for hidden sizes up to a few thousand): each lane
// runs Welford's update over its strided elements, a butterfly of shuffles merges the lanes' (count, mean, m2) with
// Chan's formula (guarding lanes that saw no element), and every lane normalises its elements.
#include <cuda_runtime.h>

__inline__ __device__ void welford_merge(int& n, float& mean, float& m2, int n_b, float mean_b, float m2_b) {
  const int n_ab = n + n_b;
  const float delta = mean_b - mean;
  const float w = n_ab == 0 ? 0.0f : static_cast<float>(n_b) / static_cast<float>(n_ab);
  mean += delta * w;
  m2 += m2_b + delta * delta * static_cast<float>(n) * w;
  n = n_ab;
}

__global__ void layernorm_welford_warp(const float* __restrict__ x, const float* __restrict__ gamma,
                                       const float* __restrict__ beta, float* __restrict__ y, int rows, int hidden,
                                       float eps) {
  const int row = blockIdx.x * blockDim.y + threadIdx.y;
  if (row >= rows) return;
  const float* xr = x + static_cast<size_t>(row) * hidden;
  int n = 0;
  float mean = 0.0f, m2 = 0.0f;
  for (int c = threadIdx.x; c < hidden; c += 32) {
    const float v = xr[c];
    n += 1;
    const float delta = v - mean;
    mean += delta / n;
    m2 += delta * (v - mean);
  }
  for (int offset = 16; offset > 0; offset >>= 1) {
    const int n_b = __shfl_xor_sync(0xffffffffu, n, offset);
    const float mean_b = __shfl_xor_sync(0xffffffffu, mean, offset);
    const float m2_b = __shfl_xor_sync(0xffffffffu, m2, offset);
    welford_merge(n, mean, m2, n_b, mean_b, m2_b);
  }
  const float rstd = rsqrtf(m2 / hidden + eps);
  float* yr = y + static_cast<size_t>(row) * hidden;
  for (int c = threadIdx.x; c < hidden; c += 32) yr[c] = (xr[c] - mean) * rstd * gamma[c] + beta[c];
}

void launch_layernorm_welford_warp(const float* x, const float* gamma, const float* beta, float* y, int rows,
                                   int hidden, float eps) {
  dim3 block(32, 4);
  layernorm_welford_warp<<<(rows + 3) / 4, block>>>(x, gamma, beta, y, rows, hidden, eps);
}
