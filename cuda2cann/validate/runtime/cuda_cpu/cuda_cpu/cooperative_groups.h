// Cooperative groups: the thread block, statically sized warp tiles and a grid handle, built on the
// block barrier and warp collectives (a tile's collectives use the tile's lanes as mask and width).
#pragma once
#include <cstdint>
#include "cuda_cpu/context.h"
#include "cuda_cpu/sync.h"

namespace cooperative_groups {

class thread_block {
 public:
  void sync() const { __syncthreads(); }
  unsigned int thread_rank() const { return cuda_cpu::detail::linear_thread_id(); }
  unsigned int size() const { return cuda_cpu::detail::block_size(); }
  unsigned long long num_threads() const { return size(); }
  dim3 group_index() const { return blockIdx; }
  dim3 thread_index() const { return threadIdx; }
  dim3 group_dim() const { return blockDim; }
  dim3 dim_threads() const { return blockDim; }
};

inline thread_block this_thread_block() { return {}; }

// A tile of N consecutive threads of the block (N a power of two up to 32, so it lies in one warp).
template <unsigned N>
class thread_block_tile {
  static_assert(N >= 1 && N <= 32 && (N & (N - 1)) == 0, "tile sizes are powers of two up to 32");

 public:
  // `parent` is the size of the tile (or block) partitioned, which meta_group_rank counts within.
  explicit thread_block_tile(unsigned int parent) : parent_(parent) {}

  unsigned mask() const { return static_cast<unsigned>((uint64_t(1) << N) - 1) << (lane() & ~(N - 1)); }
  void sync() const { __syncwarp(mask()); }
  unsigned int thread_rank() const { return lane() & (N - 1); }
  static constexpr unsigned int size() { return N; }
  static constexpr unsigned long long num_threads() { return N; }
  unsigned int meta_group_rank() const { return cuda_cpu::detail::linear_thread_id() % parent_ / N; }
  unsigned int meta_group_size() const { return (parent_ + N - 1) / N; }

  template <class T>
  T shfl(T v, int src) const { return __shfl_sync(mask(), v, src, N); }
  template <class T>
  T shfl_up(T v, unsigned delta) const { return __shfl_up_sync(mask(), v, delta, N); }
  template <class T>
  T shfl_down(T v, unsigned delta) const { return __shfl_down_sync(mask(), v, delta, N); }
  template <class T>
  T shfl_xor(T v, unsigned lane_mask) const { return __shfl_xor_sync(mask(), v, static_cast<int>(lane_mask), N); }
  int any(int predicate) const { return __any_sync(mask(), predicate); }
  int all(int predicate) const { return __all_sync(mask(), predicate); }
  // Bit i stands for the tile's thread of rank i.
  unsigned ballot(int predicate) const { return __ballot_sync(mask(), predicate) >> (lane() & ~(N - 1)); }

 private:
  static unsigned lane() { return cuda_cpu::detail::linear_thread_id() % 32; }
  unsigned int parent_;
};

template <unsigned N>
thread_block_tile<N> tiled_partition(const thread_block& block) { return thread_block_tile<N>(block.size()); }
template <unsigned N, unsigned M>
thread_block_tile<N> tiled_partition(const thread_block_tile<M>&) {
  static_assert(N <= M, "a tile is partitioned into smaller tiles");
  return thread_block_tile<N>(M);
}

// The grid: ranks and sizes only; grid-wide synchronisation is not modelled.
class grid_group {
 public:
  unsigned long long thread_rank() const {
    const unsigned long long gx = gridDim.x, gy = gridDim.y;
    const unsigned long long block = blockIdx.x + gx * (blockIdx.y + gy * blockIdx.z);
    return block * cuda_cpu::detail::block_size() + cuda_cpu::detail::linear_thread_id();
  }
  unsigned long long size() const {
    return static_cast<unsigned long long>(gridDim.x) * gridDim.y * gridDim.z * cuda_cpu::detail::block_size();
  }
  unsigned long long num_threads() const { return size(); }
  bool is_valid() const { return true; }
  void sync() const { cuda_cpu::detail::fault("grid_group::sync() (grid-wide synchronisation) is not supported by cuda-cpu"); }
};

inline grid_group this_grid() { return {}; }

template <class Group>
void sync(const Group& g) { g.sync(); }

}  // namespace cooperative_groups
