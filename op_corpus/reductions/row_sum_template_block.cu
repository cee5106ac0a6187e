// Row sum with a compile-time block size: template <int BLOCK> kernel striding by BLOCK and starting the shared tree at BLOCK / 2 (block per row, __launch_bounds__).
#include <cuda_runtime.h>

template <int BLOCK>
__global__ void __launch_bounds__(BLOCK) row_sum_tpl(const float* __restrict__ x, float* __restrict__ out, int rows,
                                                     int cols) {
  __shared__ float sh[BLOCK];
  const int row = blockIdx.x;
  if (row >= rows) return;
  const float* xr = x + (size_t)row * cols;

  float acc = 0.0f;
  for (int c = threadIdx.x; c < cols; c += BLOCK) acc += xr[c];
  sh[threadIdx.x] = acc;
  __syncthreads();
#pragma unroll
  for (int s = BLOCK / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) out[row] = sh[0];
}

void launch_row_sum_tpl(const float* x, float* out, int rows, int cols) {
  row_sum_tpl<256><<<rows, 256>>>(x, out, rows, cols);
}
