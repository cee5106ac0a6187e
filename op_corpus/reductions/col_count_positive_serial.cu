// Per-column count of positive entries (e.g. active tokens per expert from router scores), one thread per column:
// an exact int32 column reduction.
#include <cuda_runtime.h>

__global__ void col_count_positive_serial(const float* __restrict__ x, int* __restrict__ count, int rows, int cols) {
  int c = blockIdx.x * blockDim.x + threadIdx.x;
  if (c >= cols) return;
  int n = 0;
  for (int r = 0; r < rows; ++r) n += x[r * cols + c] > 0.0f ? 1 : 0;
  count[c] = n;
}

void launch_col_count_positive_serial(const float* x, int* count, int rows, int cols) {
  col_count_positive_serial<<<(cols + 255) / 256, 256>>>(x, count, rows, cols);
}
