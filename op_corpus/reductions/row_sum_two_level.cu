// Row sum by a two-level reduction: __shfl_down_sync inside each warp, lane 0 of each warp writes sh[warp], warp 0 reduces the warp sums.
#include <cuda_runtime.h>

__inline__ __device__ float warp_reduce_sum(float v) {
  for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_down_sync(0xffffffff, v, offset);
  return v;
}

__global__ void row_sum_two_level(const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
  __shared__ float sh[32];
  int row = blockIdx.x;
  if (row >= rows) return;
  int lane = threadIdx.x % 32;
  int warp = threadIdx.x / 32;
  const float* xr = x + (size_t)row * cols;

  float v = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) v += xr[c];
  v = warp_reduce_sum(v);
  if (lane == 0) sh[warp] = v;
  __syncthreads();

  v = (threadIdx.x < blockDim.x / 32) ? sh[lane] : 0.0f;
  if (warp == 0) v = warp_reduce_sum(v);
  if (threadIdx.x == 0) out[row] = v;
}

void launch_row_sum_two_level(const float* x, float* out, int rows, int cols) {
  row_sum_two_level<<<rows, 256>>>(x, out, rows, cols);
}
