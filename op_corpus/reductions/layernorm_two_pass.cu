// LayerNorm over the last axis, two-pass statistics: mean tree, then variance as mean of (x - mean)^2 tree, then y = (x - mean) * rsqrtf(var + eps) * gamma[c] + beta[c].
#include <cuda_runtime.h>

__global__ void layernorm_fwd(const float* __restrict__ x, const float* __restrict__ gamma,
                              const float* __restrict__ beta, float* __restrict__ y,
                              int rows, int cols, float eps) {
  __shared__ float sh[256];
  int row = blockIdx.x;
  if (row >= rows) return;
  const float* xr = x + (size_t)row * cols;
  float* yr = y + (size_t)row * cols;

  float sum = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) sum += xr[c];
  sh[threadIdx.x] = sum;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
    __syncthreads();
  }
  float mean = sh[0] / cols;
  __syncthreads();

  float var_acc = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    float d = xr[c] - mean;
    var_acc += d * d;
  }
  sh[threadIdx.x] = var_acc;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
    __syncthreads();
  }
  float rstd = rsqrtf(sh[0] / cols + eps);

  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    yr[c] = (xr[c] - mean) * rstd * gamma[c] + beta[c];
  }
}

void layernorm_forward(const float* x, const float* gamma, const float* beta, float* y, int rows, int cols, float eps) {
  layernorm_fwd<<<rows, 256>>>(x, gamma, beta, y, rows, cols, eps);
}
