// Row sum with one warp per row (row = blockIdx.x * blockDim.y + threadIdx.y), lanes stride by warpSize, __shfl_xor_sync butterfly, lane 0 stores.
#include <cuda_runtime.h>

__global__ void row_sum_warp_xor(const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
  int row = blockIdx.x * blockDim.y + threadIdx.y;
  if (row >= rows) return;
  const float* xr = x + (size_t)row * cols;

  float sum = 0.0f;
  for (int c = threadIdx.x; c < cols; c += warpSize) {
    sum += xr[c];
  }
#pragma unroll
  for (int mask = 16; mask > 0; mask >>= 1) {
    sum += __shfl_xor_sync(0xffffffff, sum, mask);
  }
  if (threadIdx.x == 0) {
    out[row] = sum;
  }
}

void launch_row_sum_warp_xor(const float* x, float* out, int rows, int cols, cudaStream_t stream) {
  dim3 block(32, 8);
  dim3 grid((rows + block.y - 1) / block.y);
  row_sum_warp_xor<<<grid, block, 0, stream>>>(x, out, rows, cols);
}
