// <cooperative_groups/reduce.h> for cuda-cpu: cg::reduce over a tile and its operators. Every thread
// of the tile receives the result, combined by a butterfly of shfl_xor steps.
#pragma once
#include <type_traits>
#include "../cooperative_groups.h"

namespace cooperative_groups {

template <class T>
struct plus {
  T operator()(T a, T b) const { return a + b; }
};
template <class T>
struct less {  // as a reduction: the smaller value
  T operator()(T a, T b) const { return b < a ? b : a; }
};
template <class T>
struct greater {  // as a reduction: the larger value
  T operator()(T a, T b) const { return a < b ? b : a; }
};
template <class T>
struct bit_and {
  T operator()(T a, T b) const { return a & b; }
};
template <class T>
struct bit_or {
  T operator()(T a, T b) const { return a | b; }
};
template <class T>
struct bit_xor {
  T operator()(T a, T b) const { return a ^ b; }
};

template <unsigned N, class T, class Op>
std::decay_t<T> reduce(const thread_block_tile<N>& tile, T&& value, Op op) {
  std::decay_t<T> v = value;
  for (unsigned offset = N / 2; offset > 0; offset /= 2) v = op(v, tile.shfl_xor(v, offset));
  return v;
}

}  // namespace cooperative_groups
