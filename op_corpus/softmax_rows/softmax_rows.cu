// Row-wise softmax of a row-major [rows, cols] matrix, one block of SOFTMAX_BLOCK threads per row:
// block max reduction, y = exp(x - max) with a block sum reduction, then y *= 1 / sum.
#include <cuda_runtime.h>
#include <math.h>

#define SOFTMAX_BLOCK 256

__global__ void softmax_rows(const float* __restrict__ x, float* __restrict__ y, int rows, int cols) {
  __shared__ float red[SOFTMAX_BLOCK];
  int row = blockIdx.x;
  if (row >= rows) return;
  const float* xr = x + static_cast<size_t>(row) * cols;
  float* yr = y + static_cast<size_t>(row) * cols;
  int tid = threadIdx.x;

  float m = -INFINITY;
  for (int c = tid; c < cols; c += blockDim.x) m = fmaxf(m, xr[c]);
  red[tid] = m;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (tid < s) red[tid] = fmaxf(red[tid], red[tid + s]);
    __syncthreads();
  }
  float rowMax = red[0];
  __syncthreads();  // everyone has read red[0] before it is reused for the sum

  float sum = 0.0f;
  for (int c = tid; c < cols; c += blockDim.x) {
    float e = expf(xr[c] - rowMax);
    yr[c] = e;
    sum += e;
  }
  red[tid] = sum;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (tid < s) red[tid] += red[tid + s];
    __syncthreads();
  }
  float inv = 1.0f / red[0];
  for (int c = tid; c < cols; c += blockDim.x) yr[c] *= inv;
}
