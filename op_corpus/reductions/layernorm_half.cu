// LayerNorm on fp16 rows with fp32 statistics: block per row, __half2float loads, extern __shared__ trees for mean and (x-mean)^2, __float2half stores with gamma/beta in half.
#include <cuda_runtime.h>
#include <cuda_fp16.h>

__global__ void layernorm_half_kernel(const __half* __restrict__ x, const __half* __restrict__ gamma,
                                      const __half* __restrict__ beta, __half* __restrict__ y,
                                      int rows, int cols, float eps) {
  extern __shared__ float red[];
  const int row = blockIdx.x;
  if (row >= rows) return;
  const int tid = threadIdx.x;
  const __half* xr = x + (size_t)row * cols;
  __half* yr = y + (size_t)row * cols;

  float s = 0.f;
  for (int c = tid; c < cols; c += blockDim.x) s += __half2float(xr[c]);
  red[tid] = s;
  __syncthreads();
  for (int k = blockDim.x / 2; k > 0; k >>= 1) {
    if (tid < k) red[tid] += red[tid + k];
    __syncthreads();
  }
  const float mu = red[0] / (float)cols;
  __syncthreads();

  float v = 0.f;
  for (int c = tid; c < cols; c += blockDim.x) {
    const float d = __half2float(xr[c]) - mu;
    v += d * d;
  }
  red[tid] = v;
  __syncthreads();
  for (int k = blockDim.x / 2; k > 0; k >>= 1) {
    if (tid < k) red[tid] += red[tid + k];
    __syncthreads();
  }
  const float inv_std = rsqrtf(red[0] / (float)cols + eps);

  for (int c = tid; c < cols; c += blockDim.x) {
    const float n = (__half2float(xr[c]) - mu) * inv_std;
    yr[c] = __float2half(n * __half2float(gamma[c]) + __half2float(beta[c]));
  }
}

void layernorm_half(const __half* x, const __half* gamma, const __half* beta, __half* y, int rows, int cols, float eps,
                    cudaStream_t stream) {
  const int threads = 256;
  layernorm_half_kernel<<<rows, threads, threads * sizeof(float), stream>>>(x, gamma, beta, y, rows, cols, eps);
}
