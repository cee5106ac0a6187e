// Per-row dot product with a shared weight vector, out[r] = sum_c x[r,c] * w[c] + bias (a GEMV / linear head with one output): block per row, shared tree.
#include <cuda_runtime.h>

__global__ void row_dot_weight(const float* __restrict__ x, const float* __restrict__ w, float bias,
                               float* __restrict__ out, int rows, int cols) {
  __shared__ float partial[256];
  int row = blockIdx.x;
  if (row >= rows) return;
  const float* xr = x + (size_t)row * cols;

  float dot = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    dot += xr[c] * w[c];
  }
  partial[threadIdx.x] = dot;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) partial[threadIdx.x] += partial[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) out[row] = partial[0] + bias;
}

void launch_row_dot_weight(const float* x, const float* w, float bias, float* out, int rows, int cols) {
  row_dot_weight<<<rows, 256>>>(x, w, bias, out, rows, cols);
}
