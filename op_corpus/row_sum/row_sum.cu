// Row sums of a row-major [rows, cols] matrix: one block per row. Each thread accumulates a strided
// slice of the row, then the block combines the partial sums with a shared-memory tree reduction.
// blockDim.x must be a power of two; the launch passes blockDim.x floats of dynamic shared memory.
#include <cuda_runtime.h>

__global__ void row_sum(const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
  extern __shared__ float partial[];
  int row = blockIdx.x;
  if (row >= rows) return;
  const float* xr = x + static_cast<size_t>(row) * cols;

  float acc = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    acc += xr[c];
  }
  partial[threadIdx.x] = acc;
  __syncthreads();

  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) {
      partial[threadIdx.x] += partial[threadIdx.x + s];
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    out[row] = partial[0];
  }
}
