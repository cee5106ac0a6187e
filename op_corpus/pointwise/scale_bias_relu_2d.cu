// Fused scale + bias + ReLU over a [rows, cols] matrix: out = max(alpha * x + beta, 0).
// Style: 2-D grid (row from blockIdx.y, col from blockIdx.x) with `if (row < rows && col < cols)`, scalar parameters.
#include <cuda_runtime.h>

__global__ void scale_bias_relu_2d(const float* __restrict__ x, float* __restrict__ out,
                                   int rows, int cols, float alpha, float beta) {
  int row = blockIdx.y * blockDim.y + threadIdx.y;
  int col = blockIdx.x * blockDim.x + threadIdx.x;
  if (row < rows && col < cols) {
    float v = alpha * x[row * cols + col] + beta;
    out[row * cols + col] = fmaxf(v, 0.0f);
  }
}

void launch_scale_bias_relu_2d(const float* x, float* out, int rows, int cols, float alpha, float beta) {
  dim3 block(32, 8);
  dim3 grid((cols + block.x - 1) / block.x, (rows + block.y - 1) / block.y);
  scale_bias_relu_2d<<<grid, block>>>(x, out, rows, cols, alpha, beta);
}
