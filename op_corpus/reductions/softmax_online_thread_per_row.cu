// Softmax with the online max and sum in one serial pass per row (one thread per row), then the outputs.
#include <cuda_runtime.h>

__global__ void softmax_online_thread_per_row(const float* __restrict__ x, float* __restrict__ y, int rows, int cols) {
  int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  float m = -INFINITY, s = 0.0f;
  for (int c = 0; c < cols; ++c) {
    float v = x[r * cols + c];
    float m_new = v > m ? v : m;
    s = s * expf(m - m_new) + expf(v - m_new);
    m = m_new;
  }
  for (int c = 0; c < cols; ++c) y[r * cols + c] = expf(x[r * cols + c] - m) / s;
}

void launch_softmax_online_thread_per_row(const float* x, float* y, int rows, int cols) {
  softmax_online_thread_per_row<<<(rows + 255) / 256, 256>>>(x, y, rows, cols);
}
