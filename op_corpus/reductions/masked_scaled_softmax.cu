// Masked scaled softmax (Megatron-style): v = mask[r,c] ? -10000 : x[r,c] * scale, then y = softmax(v) per row; block per row, max and sum trees, strided write.
#include <cuda_runtime.h>
#include <math.h>
#include <stdint.h>

#define SMX_BLOCK 256

__global__ void scaled_masked_softmax(const float* __restrict__ x, const uint8_t* __restrict__ mask,
                                      float* __restrict__ y, float scale, int rows, int cols) {
  __shared__ float red[SMX_BLOCK];
  int row = blockIdx.x;
  if (row >= rows) return;
  const size_t base = (size_t)row * cols;
  int tid = threadIdx.x;

  float mx = -INFINITY;
  for (int c = tid; c < cols; c += blockDim.x) {
    float v = mask[base + c] ? -10000.0f : x[base + c] * scale;
    mx = fmaxf(mx, v);
  }
  red[tid] = mx;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (tid < s) red[tid] = fmaxf(red[tid], red[tid + s]);
    __syncthreads();
  }
  mx = red[0];
  __syncthreads();

  float sum = 0.0f;
  for (int c = tid; c < cols; c += blockDim.x) {
    float v = mask[base + c] ? -10000.0f : x[base + c] * scale;
    sum += expf(v - mx);
  }
  red[tid] = sum;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (tid < s) red[tid] += red[tid + s];
    __syncthreads();
  }
  sum = red[0];

  for (int c = tid; c < cols; c += blockDim.x) {
    float v = mask[base + c] ? -10000.0f : x[base + c] * scale;
    y[base + c] = expf(v - mx) / sum;
  }
}

void launch_scaled_masked_softmax(const float* x, const uint8_t* mask, float* y, float scale, int rows, int cols) {
  scaled_masked_softmax<<<rows, SMX_BLOCK>>>(x, mask, y, scale, rows, cols);
}
