// y = A v for a row-major [rows, cols] matrix, one thread per row with a serial dot product.
#include <cuda_runtime.h>

__global__ void matvec_thread_per_row(const float* __restrict__ A, const float* __restrict__ v, float* __restrict__ y,
                                      int rows, int cols) {
  int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  float s = 0.0f;
  for (int c = 0; c < cols; ++c) s += A[r * cols + c] * v[c];
  y[r] = s;
}

void launch_matvec_thread_per_row(const float* A, const float* v, float* y, int rows, int cols) {
  matvec_thread_per_row<<<(rows + 127) / 128, 128>>>(A, v, y, rows, cols);
}
