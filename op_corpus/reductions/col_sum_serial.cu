// Column sums of a row-major [rows, cols] matrix, one thread per column walking down the rows.
#include <cuda_runtime.h>

__global__ void col_sum_serial(const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
  int c = blockIdx.x * blockDim.x + threadIdx.x;
  if (c >= cols) return;
  float s = 0.0f;
  for (int r = 0; r < rows; ++r) s += x[(size_t)r * cols + c];
  out[c] = s;
}

void launch_col_sum_serial(const float* x, float* out, int rows, int cols) {
  col_sum_serial<<<(cols + 127) / 128, 128>>>(x, out, rows, cols);
}
