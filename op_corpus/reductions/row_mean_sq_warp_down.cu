// Row mean of squares (mean_c x^2) with one warp per row: lanes stride by warpSize, inline __shfl_down_sync loop from warpSize/2, store under threadIdx.x == 0.
#include <cuda_runtime.h>

__global__ void row_mean_sq_warp(const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
  int row = blockIdx.x * blockDim.y + threadIdx.y;
  if (row >= rows) return;
  const float* xr = x + (size_t)row * cols;

  float ss = 0.0f;
  for (int c = threadIdx.x; c < cols; c += warpSize) {
    float v = xr[c];
    ss += v * v;
  }
  for (int offset = warpSize / 2; offset > 0; offset /= 2) {
    ss += __shfl_down_sync(0xffffffff, ss, offset);
  }
  if (threadIdx.x == 0) out[row] = ss / (float)cols;
}

void launch_row_mean_sq_warp(const float* x, float* out, int rows, int cols) {
  dim3 block(32, 4);
  dim3 grid((rows + 3) / 4);
  row_mean_sq_warp<<<grid, block>>>(x, out, rows, cols);
}
