// Row L1 norm sum_c |x[r,c]| of a [rows, cols] fp32 matrix: one block per row, fabsf accumulation, static shared tree.
#include <cuda_runtime.h>
#include <math.h>

#define BLOCK_SIZE 256

__global__ void row_l1_norm(const float* __restrict__ x, float* __restrict__ norms, int rows, int cols) {
  __shared__ float s_partial[BLOCK_SIZE];
  int row = blockIdx.x;
  if (row >= rows) return;
  const float* xr = x + static_cast<size_t>(row) * cols;

  float acc = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    acc += fabsf(xr[c]);
  }
  s_partial[threadIdx.x] = acc;
  __syncthreads();

  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) {
      s_partial[threadIdx.x] += s_partial[threadIdx.x + s];
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    norms[row] = s_partial[0];
  }
}

void row_l1_norm_launch(const float* x, float* norms, int rows, int cols) {
  row_l1_norm<<<rows, BLOCK_SIZE>>>(x, norms, rows, cols);
}
