// Column maxima starting from the first row (a max-pool over dim 0), one thread per column.
#include <cuda_runtime.h>

__global__ void col_max_serial(const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
  int c = blockIdx.x * blockDim.x + threadIdx.x;
  if (c >= cols) return;
  float m = x[c];
  for (int r = 1; r < rows; ++r) m = fmaxf(m, x[r * cols + c]);
  out[c] = m;
}

void launch_col_max_serial(const float* x, float* out, int rows, int cols) {
  col_max_serial<<<(cols + 255) / 256, 256>>>(x, out, rows, cols);
}
