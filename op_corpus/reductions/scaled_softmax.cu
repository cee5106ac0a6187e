// Scaled softmax of attention scores, y = softmax(x * scale) per row (scale = 1/sqrt(d)): block per row, scale applied before max/sum, result written in a strided loop.
#include <cuda_runtime.h>
#include <math.h>

__global__ void scaled_softmax_fwd(float* __restrict__ dst, const float* __restrict__ src, const float scale,
                                   const int rows, const int cols) {
  __shared__ float sdata[256];
  const int row = blockIdx.x;
  if (row >= rows) return;
  const float* in = src + (size_t)row * cols;
  float* out = dst + (size_t)row * cols;

  float local_max = -INFINITY;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    local_max = fmaxf(local_max, in[c] * scale);
  }
  sdata[threadIdx.x] = local_max;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sdata[threadIdx.x] = fmaxf(sdata[threadIdx.x], sdata[threadIdx.x + s]);
    __syncthreads();
  }
  const float max_val = sdata[0];
  __syncthreads();

  float local_sum = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    local_sum += expf(in[c] * scale - max_val);
  }
  sdata[threadIdx.x] = local_sum;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sdata[threadIdx.x] += sdata[threadIdx.x + s];
    __syncthreads();
  }
  const float inv_sum = 1.0f / sdata[0];

  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    out[c] = expf(in[c] * scale - max_val) * inv_sum;
  }
}

void scaled_softmax(float* dst, const float* src, int head_dim, int rows, int cols) {
  const float scale = 1.0f / sqrtf((float)head_dim);
  scaled_softmax_fwd<<<rows, 256>>>(dst, src, scale, rows, cols);
}
