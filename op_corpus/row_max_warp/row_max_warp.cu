// Row maxima of a row-major [rows, cols] matrix with one warp per row: each lane scans a strided
// slice, then a butterfly of __shfl_xor_sync leaves the row maximum in every lane.
// Launch: blockDim = (32, ROWS_PER_BLOCK), gridDim.x = ceil(rows / ROWS_PER_BLOCK).
#include <cuda_runtime.h>
#include <math.h>

__global__ void row_max_warp(const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
  int row = blockIdx.x * blockDim.y + threadIdx.y;
  if (row >= rows) return;  // uniform across the warp: all 32 lanes share threadIdx.y
  const float* xr = x + static_cast<size_t>(row) * cols;

  float m = -INFINITY;
  for (int c = threadIdx.x; c < cols; c += warpSize) {
    m = fmaxf(m, xr[c]);
  }
  for (int offset = warpSize / 2; offset > 0; offset >>= 1) {
    m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, offset));
  }
  if (threadIdx.x == 0) {
    out[row] = m;
  }
}
