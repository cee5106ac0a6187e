// Column sums by a 2-D grid: every (row, col) thread adds its element into out[col] with atomicAdd.
#include <cuda_runtime.h>

__global__ void col_sum_atomic_2d(const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
  int c = blockIdx.x * blockDim.x + threadIdx.x;
  int r = blockIdx.y * blockDim.y + threadIdx.y;
  if (r < rows && c < cols) atomicAdd(&out[c], x[r * cols + c]);
}

void launch_col_sum_atomic_2d(const float* x, float* out, int rows, int cols) {
  dim3 block(32, 8), grid((cols + 31) / 32, (rows + 7) / 8);
  col_sum_atomic_2d<<<grid, block>>>(x, out, rows, cols);
}
