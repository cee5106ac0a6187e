// Row sum of squares sum_c x[r,c]^2 (the statistic behind norms / weight decay): one block per row, static shared tree reduction.
#include <cuda_runtime.h>

constexpr int kBlock = 256;

__global__ void row_sum_squares_kernel(const float* __restrict__ x, float* __restrict__ sumsq, int rows, int cols) {
  __shared__ float buf[kBlock];
  int row = blockIdx.x;
  if (row >= rows) return;
  const float* xr = x + (size_t)row * cols;

  float local = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    float v = xr[c];
    local += v * v;
  }
  buf[threadIdx.x] = local;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) {
      buf[threadIdx.x] += buf[threadIdx.x + s];
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    sumsq[row] = buf[0];
  }
}

void row_sum_squares(const float* x, float* sumsq, int rows, int cols) {
  row_sum_squares_kernel<<<rows, kBlock>>>(x, sumsq, rows, cols);
}
