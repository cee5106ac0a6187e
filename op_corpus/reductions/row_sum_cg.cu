// Row sums with cooperative groups: cg::reduce inside each 32-thread tile, tile results through shared memory,
// the first tile reduces them.
#include <cooperative_groups.h>
#include <cooperative_groups/reduce.h>
#include <cuda_runtime.h>

namespace cg = cooperative_groups;

__global__ void row_sum_cg(const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
  __shared__ float tile_sums[32];
  cg::thread_block block = cg::this_thread_block();
  auto tile = cg::tiled_partition<32>(block);
  int row = blockIdx.x;
  if (row >= rows) return;
  float acc = 0.0f;
  for (int c = block.thread_rank(); c < cols; c += block.size()) acc += x[row * cols + c];
  acc = cg::reduce(tile, acc, cg::plus<float>());
  if (tile.thread_rank() == 0) tile_sums[tile.meta_group_rank()] = acc;
  block.sync();
  if (tile.meta_group_rank() == 0) {
    acc = tile.thread_rank() < block.size() / 32 ? tile_sums[tile.thread_rank()] : 0.0f;
    acc = cg::reduce(tile, acc, cg::plus<float>());
    if (tile.thread_rank() == 0) out[row] = acc;
  }
}

void launch_row_sum_cg(const float* x, float* out, int rows, int cols) {
  row_sum_cg<<<rows, 256>>>(x, out, rows, cols);
}
