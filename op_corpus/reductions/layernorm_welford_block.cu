// LayerNorm with one block per row and Welford statistics: every thread runs Welford's update over its strided
// elements, then a shared-memory tree merges the threads' (count, mean, m2) triples with Chan's formula (skipping
// merges of two empty triples), and the block normalises the row.
#include <cuda_runtime.h>

constexpr int kThreads = 256;

__global__ void layernorm_welford_block(const float* __restrict__ x, const float* __restrict__ gamma,
                                        const float* __restrict__ beta, float* __restrict__ y, int hidden, float eps) {
  __shared__ int s_count[kThreads];
  __shared__ float s_mean[kThreads];
  __shared__ float s_m2[kThreads];
  const float* xr = x + static_cast<size_t>(blockIdx.x) * hidden;
  int count = 0;
  float mean = 0.0f, m2 = 0.0f;
  for (int c = threadIdx.x; c < hidden; c += blockDim.x) {
    const float v = xr[c];
    ++count;
    const float delta = v - mean;
    mean += delta / count;
    m2 += delta * (v - mean);
  }
  s_count[threadIdx.x] = count;
  s_mean[threadIdx.x] = mean;
  s_m2[threadIdx.x] = m2;
  __syncthreads();
  for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
    if (threadIdx.x < stride) {
      const int n_a = s_count[threadIdx.x], n_b = s_count[threadIdx.x + stride];
      const int n_ab = n_a + n_b;
      if (n_ab > 0) {
        const float delta = s_mean[threadIdx.x + stride] - s_mean[threadIdx.x];
        const float w_b = static_cast<float>(n_b) / n_ab;
        s_mean[threadIdx.x] += delta * w_b;
        s_m2[threadIdx.x] += s_m2[threadIdx.x + stride] + delta * delta * n_a * w_b;
      }
      s_count[threadIdx.x] = n_ab;
    }
    __syncthreads();
  }
  const float mu = s_mean[0];
  const float rstd = rsqrtf(s_m2[0] / hidden + eps);
  float* yr = y + static_cast<size_t>(blockIdx.x) * hidden;
  for (int c = threadIdx.x; c < hidden; c += blockDim.x) yr[c] = (xr[c] - mu) * rstd * gamma[c] + beta[c];
}

void launch_layernorm_welford_block(const float* x, const float* gamma, const float* beta, float* y, int rows,
                                    int hidden, float eps) {
  layernorm_welford_block<<<rows, kThreads>>>(x, gamma, beta, y, hidden, eps);
}
