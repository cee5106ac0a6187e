// Attention softmax with an additive key mask (BERT-style): v = x[r,c] * scale + mask[c] (mask is 0 or -10000 per key), y = softmax(v) per row; block per row, shared max and sum trees, strided write.
#include <cuda_runtime.h>
#include <math.h>

__global__ void additive_mask_softmax(const float* __restrict__ scores, const float* __restrict__ key_mask,
                                      float* __restrict__ probs, float scale, int rows, int cols) {
  __shared__ float red[256];
  const int row = blockIdx.x;
  if (row >= rows) return;
  const float* s = scores + (size_t)row * cols;
  float* p = probs + (size_t)row * cols;

  float m = -INFINITY;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    m = fmaxf(m, s[c] * scale + key_mask[c]);
  }
  red[threadIdx.x] = m;
  __syncthreads();
  for (int k = blockDim.x / 2; k > 0; k >>= 1) {
    if (threadIdx.x < k) red[threadIdx.x] = fmaxf(red[threadIdx.x], red[threadIdx.x + k]);
    __syncthreads();
  }
  m = red[0];
  __syncthreads();

  float z = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    float e = __expf(s[c] * scale + key_mask[c] - m);
    p[c] = e;
    z += e;
  }
  red[threadIdx.x] = z;
  __syncthreads();
  for (int k = blockDim.x / 2; k > 0; k >>= 1) {
    if (threadIdx.x < k) red[threadIdx.x] += red[threadIdx.x + k];
    __syncthreads();
  }
  const float inv_z = 1.0f / red[0];
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    p[c] *= inv_z;
  }
}

void launch_additive_mask_softmax(const float* scores, const float* key_mask, float* probs, int head_dim, int rows,
                                  int cols, cudaStream_t stream) {
  additive_mask_softmax<<<rows, 256, 0, stream>>>(scores, key_mask, probs, rsqrtf((float)head_dim), rows, cols);
}
