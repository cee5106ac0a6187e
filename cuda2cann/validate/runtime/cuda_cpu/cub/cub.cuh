// <cub/cub.cuh> for cuda-cpu: the block- and warp-wide reductions of CUB (BlockReduce, WarpReduce) and their
// operators, written on the cuda-cpu block barrier and warp shuffles. As in CUB, a block reduction's result is
// defined in thread 0 only and a warp reduction's in lane 0 only; the other threads get their own input back,
// so a kernel that relies on an undefined result shows a mismatch. The temporary storage must not be reused
// without a __syncthreads() in between (CUB's rule): this model does not hide that bug either.
#pragma once
#include <string>

#include "../cuda_cpu/context.h"
#include "../cuda_cpu/sync.h"

namespace cub {

struct Sum {
  template <class T>
  T operator()(const T& a, const T& b) const { return a + b; }
};
struct Max {
  template <class T>
  T operator()(const T& a, const T& b) const { return a < b ? b : a; }
};
struct Min {
  template <class T>
  T operator()(const T& a, const T& b) const { return b < a ? b : a; }
};

enum BlockReduceAlgorithm { BLOCK_REDUCE_RAKING_COMMUTATIVE_ONLY, BLOCK_REDUCE_RAKING, BLOCK_REDUCE_WARP_REDUCTIONS };

template <class T, int BLOCK_DIM_X, BlockReduceAlgorithm ALGORITHM = BLOCK_REDUCE_WARP_REDUCTIONS, int BLOCK_DIM_Y = 1,
          int BLOCK_DIM_Z = 1, int LEGACY_PTX_ARCH = 0>
class BlockReduce {
  static constexpr int kThreads = BLOCK_DIM_X * BLOCK_DIM_Y * BLOCK_DIM_Z;

 public:
  struct TempStorage {
    T slot[kThreads];
  };

  explicit BlockReduce(TempStorage& storage) : storage_(storage) {
    if (cuda_cpu::detail::block_size() != static_cast<unsigned>(kThreads))
      cuda_cpu::detail::fault("cub::BlockReduce for " + std::to_string(kThreads) + " threads used in a block of " +
                              std::to_string(cuda_cpu::detail::block_size()));
  }

  template <class ReductionOp>
  T Reduce(T input, ReductionOp op) { return Reduce(input, op, kThreads); }

  // The first num_valid threads contribute; thread 0 combines them in rank order.
  template <class ReductionOp>
  T Reduce(T input, ReductionOp op, int num_valid) {
    const unsigned rank = cuda_cpu::detail::linear_thread_id();
    storage_.slot[rank] = input;
    __syncthreads();
    if (rank != 0) return input;
    T total = storage_.slot[0];
    for (int i = 1; i < num_valid && i < kThreads; ++i) total = op(total, storage_.slot[i]);
    return total;
  }

  T Sum(T input) { return Reduce(input, cub::Sum()); }
  T Sum(T input, int num_valid) { return Reduce(input, cub::Sum(), num_valid); }

 private:
  TempStorage& storage_;
};

template <class T, int LOGICAL_WARP_THREADS = 32, int LEGACY_PTX_ARCH = 0>
class WarpReduce {
  static_assert(LOGICAL_WARP_THREADS >= 1 && LOGICAL_WARP_THREADS <= 32 &&
                    (LOGICAL_WARP_THREADS & (LOGICAL_WARP_THREADS - 1)) == 0,
                "cub::WarpReduce: logical warps of 1, 2, 4, ..., 32 threads");

 public:
  struct TempStorage {};

  explicit WarpReduce(TempStorage&) {}

  // Shift-down steps over the logical warp: lane 0 of each logical warp holds the result.
  template <class ReductionOp>
  T Reduce(T input, ReductionOp op) {
    T v = input;
    for (int offset = LOGICAL_WARP_THREADS / 2; offset > 0; offset /= 2) {
      T other = __shfl_down_sync(0xffffffffu, v, offset, LOGICAL_WARP_THREADS);
      if ((cuda_cpu::detail::linear_thread_id() % LOGICAL_WARP_THREADS) + offset < LOGICAL_WARP_THREADS) v = op(v, other);
    }
    return (cuda_cpu::detail::linear_thread_id() % LOGICAL_WARP_THREADS) == 0 ? v : input;
  }

  T Sum(T input) { return Reduce(input, cub::Sum()); }
};

}  // namespace cub
