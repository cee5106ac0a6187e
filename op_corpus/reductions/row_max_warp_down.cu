// Row max with one warp per row: lanes stride by 32, a __shfl_down_sync reduction in a __device__ helper (complete in lane 0), store under threadIdx.x == 0.
#include <cuda_runtime.h>
#include <math.h>

#define WARP_SIZE 32
#define ROWS_PER_BLOCK 4

__device__ __forceinline__ float warp_reduce_max(float val) {
  for (int offset = WARP_SIZE / 2; offset > 0; offset >>= 1) {
    val = fmaxf(val, __shfl_down_sync(0xffffffffu, val, offset));
  }
  return val;
}

__global__ void row_max_warp_down(const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
  const int row = blockIdx.x * blockDim.y + threadIdx.y;
  if (row >= rows) return;
  const float* xr = x + static_cast<size_t>(row) * cols;

  float m = -INFINITY;
  for (int c = threadIdx.x; c < cols; c += WARP_SIZE) {
    m = fmaxf(m, xr[c]);
  }
  m = warp_reduce_max(m);
  if (threadIdx.x == 0) out[row] = m;
}

void launch_row_max_warp_down(const float* x, float* out, int rows, int cols) {
  dim3 block(WARP_SIZE, ROWS_PER_BLOCK);
  row_max_warp_down<<<(rows + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK, block>>>(x, out, rows, cols);
}
