// CUDA atomics as real atomics (blocks run in parallel OS threads): GCC __atomic builtins, and
// compare-and-swap loops on the bit pattern for floating point and 16-bit types. Sequentially
// consistent, which is at least as strong as any CUDA scope.
#pragma once
#include <cstdint>
#include <cstring>
#include "cuda_cpu/half.h"

namespace cuda_cpu::detail {

template <class Bits, class T>
Bits to_bits(T v) {
  static_assert(sizeof(Bits) == sizeof(T));
  Bits b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}
template <class T, class Bits>
T from_bits(Bits b) {
  T v;
  std::memcpy(static_cast<void*>(&v), &b, sizeof v);
  return v;
}

template <class T>
using BitsOf = std::conditional_t<sizeof(T) == 2, uint16_t, std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>;

// Atomically replaces *address by f(old) and returns old.
template <class T, class F>
T atomic_update(T* address, F f) {
  using Bits = BitsOf<T>;
  auto* word = reinterpret_cast<Bits*>(address);
  Bits old = __atomic_load_n(word, __ATOMIC_SEQ_CST);
  while (!__atomic_compare_exchange_n(word, &old, to_bits<Bits>(f(from_bits<T>(old))), false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
  }
  return from_bits<T>(old);
}

// fmaxf/fminf semantics: a NaN operand yields the other one.
inline float max_of(float a, float b) { return b > a || a != a ? b : a; }
inline float min_of(float a, float b) { return b < a || a != a ? b : a; }

}  // namespace cuda_cpu::detail

#define CUDA_CPU_INTEGER_ATOMICS(T)                                                                                   \
  inline T atomicAdd(T* a, T v) { return __atomic_fetch_add(a, v, __ATOMIC_SEQ_CST); }                               \
  inline T atomicExch(T* a, T v) { return __atomic_exchange_n(a, v, __ATOMIC_SEQ_CST); }                             \
  inline T atomicAnd(T* a, T v) { return __atomic_fetch_and(a, v, __ATOMIC_SEQ_CST); }                               \
  inline T atomicOr(T* a, T v) { return __atomic_fetch_or(a, v, __ATOMIC_SEQ_CST); }                                 \
  inline T atomicXor(T* a, T v) { return __atomic_fetch_xor(a, v, __ATOMIC_SEQ_CST); }                               \
  inline T atomicMax(T* a, T v) { return cuda_cpu::detail::atomic_update(a, [v](T old) { return old < v ? v : old; }); } \
  inline T atomicMin(T* a, T v) { return cuda_cpu::detail::atomic_update(a, [v](T old) { return v < old ? v : old; }); } \
  inline T atomicCAS(T* a, T compare, T v) {                                                                          \
    __atomic_compare_exchange_n(a, &compare, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);                           \
    return compare;                                                                                                   \
  }

inline int atomicSub(int* a, int v) { return __atomic_fetch_sub(a, v, __ATOMIC_SEQ_CST); }
inline unsigned int atomicSub(unsigned int* a, unsigned int v) { return __atomic_fetch_sub(a, v, __ATOMIC_SEQ_CST); }
CUDA_CPU_INTEGER_ATOMICS(int)
CUDA_CPU_INTEGER_ATOMICS(unsigned int)
CUDA_CPU_INTEGER_ATOMICS(unsigned long long)
#undef CUDA_CPU_INTEGER_ATOMICS

inline long long atomicMax(long long* a, long long v) {
  return cuda_cpu::detail::atomic_update(a, [v](long long old) { return old < v ? v : old; });
}
inline long long atomicMin(long long* a, long long v) {
  return cuda_cpu::detail::atomic_update(a, [v](long long old) { return v < old ? v : old; });
}
inline unsigned short atomicCAS(unsigned short* a, unsigned short compare, unsigned short v) {
  __atomic_compare_exchange_n(a, &compare, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  return compare;
}

// ((old >= limit) ? 0 : old + 1) and (((old == 0) || (old > limit)) ? limit : old - 1), as in CUDA.
inline unsigned int atomicInc(unsigned int* a, unsigned int limit) {
  return cuda_cpu::detail::atomic_update(a, [limit](unsigned int old) { return old >= limit ? 0u : old + 1; });
}
inline unsigned int atomicDec(unsigned int* a, unsigned int limit) {
  return cuda_cpu::detail::atomic_update(a, [limit](unsigned int old) { return old == 0 || old > limit ? limit : old - 1; });
}

inline float atomicAdd(float* a, float v) { return cuda_cpu::detail::atomic_update(a, [v](float old) { return old + v; }); }
inline double atomicAdd(double* a, double v) { return cuda_cpu::detail::atomic_update(a, [v](double old) { return old + v; }); }
inline float atomicExch(float* a, float v) { return cuda_cpu::detail::atomic_update(a, [v](float) { return v; }); }
// CUDA has no float atomicMax/atomicMin and kernels often define their own: as templates, these give
// way to a user's plain function of the same signature instead of clashing with it.
template <class = void>
float atomicMax(float* a, float v) {
  return cuda_cpu::detail::atomic_update(a, [v](float old) { return cuda_cpu::detail::max_of(old, v); });
}
template <class = void>
float atomicMin(float* a, float v) {
  return cuda_cpu::detail::atomic_update(a, [v](float old) { return cuda_cpu::detail::min_of(old, v); });
}
inline __half atomicAdd(__half* a, __half v) { return cuda_cpu::detail::atomic_update(a, [v](__half old) { return old + v; }); }
inline __nv_bfloat16 atomicAdd(__nv_bfloat16* a, __nv_bfloat16 v) {
  return cuda_cpu::detail::atomic_update(a, [v](__nv_bfloat16 old) { return old + v; });
}
inline __half2 atomicAdd(__half2* a, __half2 v) { return cuda_cpu::detail::atomic_update(a, [v](__half2 old) { return __hadd2(old, v); }); }
inline __nv_bfloat162 atomicAdd(__nv_bfloat162* a, __nv_bfloat162 v) {
  return cuda_cpu::detail::atomic_update(a, [v](__nv_bfloat162 old) { return __hadd2(old, v); });
}

// Scoped variants: every scope is the whole machine here.
template <class T, class U>
auto atomicAdd_block(T* a, U v) { return atomicAdd(a, v); }
template <class T, class U>
auto atomicAdd_system(T* a, U v) { return atomicAdd(a, v); }
template <class T, class U>
auto atomicMax_block(T* a, U v) { return atomicMax(a, v); }
template <class T, class U>
auto atomicMin_block(T* a, U v) { return atomicMin(a, v); }
template <class T, class U>
auto atomicExch_block(T* a, U v) { return atomicExch(a, v); }
template <class T, class U>
auto atomicCAS_block(T* a, U compare, U v) { return atomicCAS(a, compare, v); }
