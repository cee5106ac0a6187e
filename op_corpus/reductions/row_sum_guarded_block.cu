// Row sum with the row guard wrapping the body (`if (row < rows) { ... }`, block-uniform) instead of an early return: block per row, strided accumulation, static shared tree.
#include <cuda_runtime.h>

__global__ void row_sum_guarded(const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
  __shared__ float sh[256];
  int row = blockIdx.x;
  if (row < rows) {
    float acc = 0.0f;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) {
      acc += x[row * cols + c];
    }
    sh[threadIdx.x] = acc;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
      if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
      __syncthreads();
    }
    if (threadIdx.x == 0) out[row] = sh[0];
  }
}

void launch_row_sum_guarded(const float* x, float* out, int rows, int cols) {
  row_sum_guarded<<<rows, 256>>>(x, out, rows, cols);
}
