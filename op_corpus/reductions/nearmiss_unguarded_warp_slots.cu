// NEAR-MISS (must stay unported): a two-level row sum whose second level reads sh[lane] in every lane of warp 0.
// With 256 threads only sh[0..7] were written: lanes 8..31 add whatever sh[8..31] happen to hold, so the result
// depends on stale shared memory. The correct form reads `lane < blockDim.x / 32 ? sh[lane] : 0.0f`.
#include <cuda_runtime.h>

__device__ float warp_sum(float v) {
  for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_down_sync(0xffffffffu, v, offset);
  return v;
}

__global__ void row_sum_unguarded_slots(const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
  __shared__ float sh[32];
  int row = blockIdx.x;
  if (row >= rows) return;
  int lane = threadIdx.x % 32;
  int warp = threadIdx.x / 32;
  float v = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) v += x[(size_t)row * cols + c];
  v = warp_sum(v);
  if (lane == 0) sh[warp] = v;
  __syncthreads();
  if (warp == 0) {
    v = sh[lane];
    v = warp_sum(v);
    if (lane == 0) out[row] = v;
  }
}

void launch_row_sum_unguarded_slots(const float* x, float* out, int rows, int cols) {
  row_sum_unguarded_slots<<<rows, 256>>>(x, out, rows, cols);
}
