// Block barriers, warp collectives (__syncwarp, shuffles, votes, matches, reductions) and fences.
// They need the fiber scheduler; a kernel launched with SyncMode::Loop that calls one anyway stops
// with a fault instead of computing something no GPU would.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include "cuda_cpu/scheduler.h"

namespace cuda_cpu::detail {

inline Scheduler& scheduler_for(const char* primitive) {
  if (!tls.scheduler) {
    if (!tls.shared) {
      std::fprintf(stderr, "cuda-cpu: error: %s called outside a kernel\n", primitive);
      std::abort();
    }
    fault(std::string("kernel called ") + primitive + " but was launched without fibers (SyncMode::Loop)");
  }
  return *tls.scheduler;
}

inline Scheduler::BarrierResult block_barrier(const char* primitive, int predicate) {
  return scheduler_for(primitive).barrier(primitive, predicate);
}

template <class R, class T>
R warp_collective(const char* primitive, unsigned mask, const T& value, int param, int width, Combine combine) {
  static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= kLaneBytes, "warp collectives move small trivially copyable values");
  const void* result = scheduler_for(primitive).warp_collective(primitive, mask, &value, sizeof(T), param, width, combine);
  alignas(R) unsigned char storage[sizeof(R)];
  std::memcpy(storage, result, sizeof(R));
  return *std::launder(reinterpret_cast<R*>(storage));
}

template <class T>
T lane_value(const WarpLanes& w, long lane) {
  alignas(T) unsigned char storage[sizeof(T)];
  std::memcpy(storage, w.lanes[lane].value, sizeof(T));
  return *std::launder(reinterpret_cast<T*>(storage));
}

enum class Shfl { Idx, Up, Down, Xor };

// Source lane per PTX shfl.sync: within segments of `width` lanes; a source outside the segment (or
// a lane not taking part, whose value CUDA leaves undefined) yields the caller's own value.
template <class T, Shfl kind>
void shfl_combine(const WarpLanes& w, unsigned lane, void* out) {
  const long width = w.lanes[lane].width, p = w.lanes[lane].param, l = lane;
  const long first = l & ~(width - 1), last = first + width - 1;
  long src = l;
  switch (kind) {
    case Shfl::Idx: src = first + (p & (width - 1)); break;
    case Shfl::Up: src = l - p >= first ? l - p : l; break;
    case Shfl::Down: src = l + p <= last ? l + p : l; break;
    case Shfl::Xor: src = (l ^ p) <= last ? l ^ p : l; break;
  }
  if (!w.takes_part(src)) src = l;
  std::memcpy(out, w.lanes[src].value, sizeof(T));
}

// `param` is the source lane (Idx), the delta (Up, Down) or the lane mask (Xor); a delta or lane mask
// reaching past the warp is passed as 32, which always selects the caller's own value.
template <class T, Shfl kind>
T shuffle(const char* primitive, unsigned mask, const T& var, int param, int width) {
  if (width < 1 || width > 32 || (width & (width - 1)))
    fault(std::string(primitive) + ": width " + std::to_string(width) + " is not a power of two in [1, 32]");
  return warp_collective<T>(primitive, mask, var, param, width, &shfl_combine<T, kind>);
}

struct Ballot {
  unsigned bits, group;
};

inline void ballot_combine(const WarpLanes& w, unsigned, void* out) {
  Ballot b{0, w.group};
  for (long l = 0; l < 32; ++l)
    if (w.takes_part(l) && lane_value<int>(w, l)) b.bits |= 1u << l;
  std::memcpy(out, &b, sizeof b);
}

inline Ballot ballot(const char* primitive, unsigned mask, int predicate) {
  return warp_collective<Ballot>(primitive, mask, predicate, 0, 32, &ballot_combine);
}

template <class T, bool all>
void match_combine(const WarpLanes& w, unsigned lane, void* out) {
  unsigned same = 0;
  for (long l = 0; l < 32; ++l)
    if (w.takes_part(l) && std::memcmp(w.lanes[l].value, w.lanes[lane].value, sizeof(T)) == 0) same |= 1u << l;
  if (all && same != w.group) same = 0;
  std::memcpy(out, &same, sizeof same);
}

template <class T, class Op>
void reduce_combine(const WarpLanes& w, unsigned, void* out) {
  bool first = true;
  T acc{};
  for (long l = 0; l < 32; ++l) {
    if (!w.takes_part(l)) continue;
    T v = lane_value<T>(w, l);
    acc = first ? v : Op()(acc, v);
    first = false;
  }
  std::memcpy(out, &acc, sizeof acc);
}

struct AddOp {  // wraps around, as the hardware does
  template <class T> T operator()(T a, T b) const { return static_cast<T>(static_cast<unsigned>(a) + static_cast<unsigned>(b)); }
};
struct MinOp { template <class T> T operator()(T a, T b) const { return b < a ? b : a; } };
struct MaxOp { template <class T> T operator()(T a, T b) const { return a < b ? b : a; } };
struct AndOp { template <class T> T operator()(T a, T b) const { return a & b; } };
struct OrOp { template <class T> T operator()(T a, T b) const { return a | b; } };
struct XorOp { template <class T> T operator()(T a, T b) const { return a ^ b; } };

template <class T, class Op>
T warp_reduce(const char* primitive, unsigned mask, T value) {
  return warp_collective<T>(primitive, mask, value, 0, 32, &reduce_combine<T, Op>);
}

// Lanes of the caller's warp that are running: in Loop mode, all lanes that exist.
inline unsigned running_lanes() {
  if (tls.scheduler) return tls.scheduler->live_lanes();
  const unsigned n = block_size(), warp_first = linear_thread_id() / 32 * 32;
  return n - warp_first >= 32 ? ~0u : (1u << (n - warp_first)) - 1;
}

}  // namespace cuda_cpu::detail

// ---- block barriers ----
inline void __syncthreads() { cuda_cpu::detail::block_barrier("__syncthreads()", 0); }
inline int __syncthreads_count(int predicate) { return cuda_cpu::detail::block_barrier("__syncthreads_count()", predicate).count; }
inline int __syncthreads_and(int predicate) {
  auto r = cuda_cpu::detail::block_barrier("__syncthreads_and()", predicate);
  return r.count == r.participants;
}
inline int __syncthreads_or(int predicate) { return cuda_cpu::detail::block_barrier("__syncthreads_or()", predicate).count > 0; }

// ---- warp collectives ----
inline void __syncwarp(unsigned mask = 0xffffffffu) {
  const char nothing = 0;
  cuda_cpu::detail::scheduler_for("__syncwarp()").warp_collective("__syncwarp()", mask, &nothing, 1, 0, 32, nullptr);
}

template <class T>
T __shfl_sync(unsigned mask, T var, int srcLane, int width = warpSize) {
  using namespace cuda_cpu::detail;
  return shuffle<T, Shfl::Idx>("__shfl_sync()", mask, var, srcLane & 31, width);
}
template <class T>
T __shfl_up_sync(unsigned mask, T var, unsigned int delta, int width = warpSize) {
  using namespace cuda_cpu::detail;
  return shuffle<T, Shfl::Up>("__shfl_up_sync()", mask, var, delta < 32 ? int(delta) : 32, width);
}
template <class T>
T __shfl_down_sync(unsigned mask, T var, unsigned int delta, int width = warpSize) {
  using namespace cuda_cpu::detail;
  return shuffle<T, Shfl::Down>("__shfl_down_sync()", mask, var, delta < 32 ? int(delta) : 32, width);
}
template <class T>
T __shfl_xor_sync(unsigned mask, T var, int laneMask, int width = warpSize) {
  using namespace cuda_cpu::detail;
  return shuffle<T, Shfl::Xor>("__shfl_xor_sync()", mask, var, laneMask & ~31 ? 32 : laneMask, width);
}

inline unsigned __ballot_sync(unsigned mask, int predicate) {
  return cuda_cpu::detail::ballot("__ballot_sync()", mask, predicate).bits;
}
inline int __any_sync(unsigned mask, int predicate) {
  return cuda_cpu::detail::ballot("__any_sync()", mask, predicate).bits != 0;
}
inline int __all_sync(unsigned mask, int predicate) {
  auto b = cuda_cpu::detail::ballot("__all_sync()", mask, predicate);
  return b.bits == b.group;
}
inline int __uni_sync(unsigned mask, int predicate) {
  auto b = cuda_cpu::detail::ballot("__uni_sync()", mask, predicate);
  return b.bits == 0 || b.bits == b.group;
}
inline unsigned __activemask() { return cuda_cpu::detail::running_lanes(); }

template <class T>
unsigned __match_any_sync(unsigned mask, T value) {
  using namespace cuda_cpu::detail;
  return warp_collective<unsigned>("__match_any_sync()", mask, value, 0, 32, &match_combine<T, false>);
}
template <class T>
unsigned __match_all_sync(unsigned mask, T value, int* pred) {
  using namespace cuda_cpu::detail;
  unsigned m = warp_collective<unsigned>("__match_all_sync()", mask, value, 0, 32, &match_combine<T, true>);
  *pred = m != 0;
  return m;
}

#define CUDA_CPU_WARP_REDUCE(name, T, Op) \
  inline T name(unsigned mask, T v) { return cuda_cpu::detail::warp_reduce<T, cuda_cpu::detail::Op>(#name "()", mask, v); }
CUDA_CPU_WARP_REDUCE(__reduce_add_sync, unsigned, AddOp)
CUDA_CPU_WARP_REDUCE(__reduce_add_sync, int, AddOp)
CUDA_CPU_WARP_REDUCE(__reduce_min_sync, unsigned, MinOp)
CUDA_CPU_WARP_REDUCE(__reduce_min_sync, int, MinOp)
CUDA_CPU_WARP_REDUCE(__reduce_max_sync, unsigned, MaxOp)
CUDA_CPU_WARP_REDUCE(__reduce_max_sync, int, MaxOp)
CUDA_CPU_WARP_REDUCE(__reduce_and_sync, unsigned, AndOp)
CUDA_CPU_WARP_REDUCE(__reduce_or_sync, unsigned, OrOp)
CUDA_CPU_WARP_REDUCE(__reduce_xor_sync, unsigned, XorOp)
#undef CUDA_CPU_WARP_REDUCE

// Pre-CUDA-9 warp intrinsics: an implicit mask of the lanes still running.
template <class T>
T __shfl(T var, int srcLane, int width = warpSize) { return __shfl_sync(__activemask(), var, srcLane, width); }
template <class T>
T __shfl_up(T var, unsigned int delta, int width = warpSize) { return __shfl_up_sync(__activemask(), var, delta, width); }
template <class T>
T __shfl_down(T var, unsigned int delta, int width = warpSize) { return __shfl_down_sync(__activemask(), var, delta, width); }
template <class T>
T __shfl_xor(T var, int laneMask, int width = warpSize) { return __shfl_xor_sync(__activemask(), var, laneMask, width); }
inline unsigned __ballot(int predicate) { return __ballot_sync(__activemask(), predicate); }
inline int __any(int predicate) { return __any_sync(__activemask(), predicate); }
inline int __all(int predicate) { return __all_sync(__activemask(), predicate); }

// ---- fences and odds ----
// Blocks run in parallel OS threads, so fences are real fences.
inline void __threadfence() { std::atomic_thread_fence(std::memory_order_seq_cst); }
inline void __threadfence_block() { std::atomic_thread_fence(std::memory_order_seq_cst); }
inline void __threadfence_system() { std::atomic_thread_fence(std::memory_order_seq_cst); }
inline void __nanosleep(unsigned) {}
inline long long clock64() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
[[noreturn]] inline void __trap() { cuda_cpu::detail::fault("kernel executed __trap()"); }
[[noreturn]] inline void __brkpt() { cuda_cpu::detail::fault("kernel executed __brkpt()"); }
