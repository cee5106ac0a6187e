// Per-row population variance by two serial passes in one thread per row (mean, then mean squared deviation).
#include <cuda_runtime.h>

__global__ void row_variance_serial(const float* __restrict__ x, float* __restrict__ var, int rows, int cols) {
  int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  float s = 0.0f;
  for (int c = 0; c < cols; ++c) s += x[r * cols + c];
  float mean = s / cols;
  float d2 = 0.0f;
  for (int c = 0; c < cols; ++c) {
    float d = x[r * cols + c] - mean;
    d2 += d * d;
  }
  var[r] = d2 / cols;
}

void launch_row_variance_serial(const float* x, float* var, int rows, int cols) {
  row_variance_serial<<<(rows + 127) / 128, 128>>>(x, var, rows, cols);
}
