// Row max of a [rows, cols] fp32 matrix: one block per row, -INFINITY start, fmaxf accumulation and fmaxf shared-memory tree.
#include <cuda_runtime.h>
#include <math.h>

__global__ void row_max_block(const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
  __shared__ float sh[256];
  int row = blockIdx.x;
  if (row >= rows) return;

  float m = -INFINITY;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    m = fmaxf(m, x[(size_t)row * cols + c]);
  }
  sh[threadIdx.x] = m;
  __syncthreads();

  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) {
      sh[threadIdx.x] = fmaxf(sh[threadIdx.x], sh[threadIdx.x + s]);
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    out[row] = sh[0];
  }
}

void launch_row_max_block(const float* x, float* out, int rows, int cols) {
  row_max_block<<<rows, 256>>>(x, out, rows, cols);
}
