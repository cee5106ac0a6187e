// Broadcast bias add over a row-major [rows, cols] matrix: y[r, c] = x[r, c] + bias[c].
// 2-D grid: x covers columns, y covers rows; threads outside the matrix do nothing.
#include <cuda_runtime.h>

__global__ void bias_add_2d(const float* __restrict__ x, const float* __restrict__ bias, float* __restrict__ y,
                            int rows, int cols) {
  int col = blockIdx.x * blockDim.x + threadIdx.x;
  int row = blockIdx.y * blockDim.y + threadIdx.y;
  if (row < rows && col < cols) {
    size_t idx = static_cast<size_t>(row) * cols + col;
    y[idx] = x[idx] + bias[col];
  }
}
