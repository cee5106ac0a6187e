// Nearest codebook entry per row (vector quantisation): one warp per row scans the distances with a stride of 32
// lanes, then a butterfly of (distance, index) shuffles leaves the first minimum in every lane.
#include <cuda_runtime.h>

__global__ void nearest_code(const float* __restrict__ dist, int* __restrict__ code, int rows, int codes) {
  const int row = blockIdx.x * blockDim.y + threadIdx.y;
  if (row >= rows) return;
  const float* d = dist + static_cast<size_t>(row) * codes;
  float best = INFINITY;
  int arg = 0;
  for (int c = threadIdx.x; c < codes; c += 32) {
    if (d[c] < best) {
      best = d[c];
      arg = c;
    }
  }
  for (int offset = 16; offset > 0; offset >>= 1) {
    const float other = __shfl_xor_sync(0xffffffffu, best, offset);
    const int other_arg = __shfl_xor_sync(0xffffffffu, arg, offset);
    const bool take = other < best || (other == best && other_arg < arg);
    best = take ? other : best;
    arg = take ? other_arg : arg;
  }
  if (threadIdx.x == 0) code[row] = arg;
}

void launch_nearest_code(const float* dist, int* code, int rows, int codes) {
  dim3 block(32, 8);
  nearest_code<<<(rows + 7) / 8, block>>>(dist, code, rows, codes);
}
