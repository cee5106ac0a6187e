// Product of each row's elements (e.g. a per-row likelihood), block per row: strided per-thread products combined
// by a shared-memory tree with *=.
#include <cuda_runtime.h>

__global__ void row_prod_block(const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
  __shared__ float sh[256];
  int row = blockIdx.x;
  if (row >= rows) return;
  float p = 1.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) p *= x[row * cols + c];
  sh[threadIdx.x] = p;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sh[threadIdx.x] *= sh[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) out[row] = sh[0];
}

void launch_row_prod_block(const float* x, float* out, int rows, int cols) {
  row_prod_block<<<rows, 256>>>(x, out, rows, cols);
}
