// Softmax over the rows of a [rows, cols] matrix with one thread per row: three serial loops (max, sum of
// exponentials, normalised outputs), the naive form many first ports start from.
#include <cuda_runtime.h>

__global__ void softmax_thread_per_row(const float* __restrict__ x, float* __restrict__ y, int rows, int cols) {
  int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  const float* xr = x + (size_t)r * cols;
  float m = -INFINITY;
  for (int c = 0; c < cols; ++c) m = fmaxf(m, xr[c]);
  float s = 0.0f;
  for (int c = 0; c < cols; ++c) s += expf(xr[c] - m);
  float inv = 1.0f / s;
  for (int c = 0; c < cols; ++c) y[(size_t)r * cols + c] = expf(xr[c] - m) * inv;
}

void launch_softmax_thread_per_row(const float* x, float* y, int rows, int cols) {
  softmax_thread_per_row<<<(rows + 127) / 128, 128>>>(x, y, rows, cols);
}
