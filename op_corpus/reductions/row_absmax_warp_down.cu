// Per-token int8 quantisation scale, scale[r] = max_c |x[r,c]| / 127: one warp per row, lanes stride by 32, inline __shfl_down_sync max loop, lane 0 stores.
#include <cuda_runtime.h>
#include <math.h>

__global__ void per_token_absmax_scale(const float* __restrict__ x, float* __restrict__ scale, int rows, int cols) {
  int row = blockIdx.x * blockDim.y + threadIdx.y;
  if (row >= rows) return;
  const float* xr = x + (size_t)row * cols;

  float amax = 0.0f;
  for (int c = threadIdx.x; c < cols; c += 32) {
    amax = fmaxf(amax, fabsf(xr[c]));
  }
  for (int offset = 16; offset > 0; offset >>= 1) {
    amax = fmaxf(amax, __shfl_down_sync(0xffffffff, amax, offset));
  }
  if (threadIdx.x == 0) {
    scale[row] = amax / 127.0f;
  }
}

void launch_per_token_absmax_scale(const float* x, float* scale, int rows, int cols) {
  dim3 block(32, 4);
  per_token_absmax_scale<<<(rows + 3) / 4, block>>>(x, scale, rows, cols);
}
