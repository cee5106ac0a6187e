// Row sums of an int32 matrix (e.g. tokens kept per sequence from a 0/1 mask), block per row: strided int
// accumulation and a shared-memory tree; an exact int32 row reduction.
#include <cuda_runtime.h>

__global__ void row_sum_int_block(const int* __restrict__ x, int* __restrict__ out, int rows, int cols) {
  __shared__ int sh[256];
  int row = blockIdx.x;
  if (row >= rows) return;
  int acc = 0;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) acc += x[row * cols + c];
  sh[threadIdx.x] = acc;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) out[row] = sh[0];
}

void launch_row_sum_int_block(const int* x, int* out, int rows, int cols) {
  row_sum_int_block<<<rows, 256>>>(x, out, rows, cols);
}
