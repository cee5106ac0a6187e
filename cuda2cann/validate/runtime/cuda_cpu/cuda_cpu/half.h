// __half and __nv_bfloat16 (cuda_fp16.h / cuda_bf16.h) on the shared c2c::float16 / c2c::bfloat16
// storage types: IEEE binary16 and bfloat16 with correctly rounded arithmetic, operators as in
// cuda_fp16.hpp (half + half -> half), the conversion intrinsics with their rounding modes, and the
// paired types __half2 / __nv_bfloat162. Transcendental functions (hexp, ...) are computed in float
// and rounded once, which can differ from a GPU's approximations by one unit in the last place.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include "c2c_float16.h"
#include "cuda_cpu/math_functions.h"
#include "cuda_cpu/vector_types.h"

using __half = c2c::float16;
typedef __half half;
using __nv_bfloat16 = c2c::bfloat16;
typedef __nv_bfloat16 nv_bfloat16;

struct __half_raw {
  unsigned short x;
  __half_raw() = default;
  constexpr __half_raw(unsigned short bits) : x(bits) {}
  __half_raw(__half h) : x(h.bits) {}
  operator __half() const { return __half::from_bits(x); }
};
struct __nv_bfloat16_raw {
  unsigned short x;
  __nv_bfloat16_raw() = default;
  constexpr __nv_bfloat16_raw(unsigned short bits) : x(bits) {}
  __nv_bfloat16_raw(__nv_bfloat16 h) : x(h.bits) {}
  operator __nv_bfloat16() const { return __nv_bfloat16::from_bits(x); }
};

struct __align__(4) __half2 {
  __half x, y;
  __half2() = default;
  __half2(__half a, __half b) : x(a), y(b) {}
};
struct __align__(4) __nv_bfloat162 {
  __nv_bfloat16 x, y;
  __nv_bfloat162() = default;
  __nv_bfloat162(__nv_bfloat16 a, __nv_bfloat16 b) : x(a), y(b) {}
};
typedef __half2 half2;
typedef __nv_bfloat162 nv_bfloat162;
struct __half2_raw {
  unsigned short x, y;
};
struct __nv_bfloat162_raw {
  unsigned short x, y;
};

namespace cuda_cpu::detail {

// double -> float rounded to odd: a later rounding to 16 bits, in any mode, is then correct.
inline float to_float_odd(double d) {
  float f = static_cast<float>(d);
  double err = d - static_cast<double>(f);
  if (err != 0.0 && std::isfinite(f) && !(bit_cast<uint32_t>(f) & 1u)) f = std::nextafter(f, err > 0 ? INFINITY : -INFINITY);
  return f;
}

inline __half half_from(double d, c2c::Round r) { return __half::from_bits(c2c::float_to_half_bits(to_float_odd(d), r)); }
inline __nv_bfloat16 bf16_from(double d, c2c::Round r) { return __nv_bfloat16::from_bits(c2c::float_to_bf16_bits(to_float_odd(d), r)); }

// a*b + c with one rounding: the product of two 16-bit floats is exact in double, the sum is
// rounded to odd (from its exact TwoSum error) before the final rounding.
template <class H>
H fma_once(H a, H b, H c) {
  const double p = double(float(a)) * double(float(b)), q = float(c), s = p + q;
  const double bb = s - p, err = (p - (s - bb)) + (q - bb);
  double odd = s;
  if (err != 0.0 && std::isfinite(s) && !(bit_cast<uint64_t>(s) & 1u)) odd = std::nextafter(s, err > 0 ? INFINITY : -INFINITY);
  return H(odd);
}

template <class H>
bool is_nan(H h) { return std::isnan(float(h)); }
template <class H>
H canonical_nan() { return H::from_bits(0x7FFF); }
template <class H>
H saturate(H h) { return float(h) > 1.0f ? H(1.0f) : (float(h) > 0.0f ? h : H(0.0f)); }
template <class H>
H max_number(H a, H b) {  // __hmax: a NaN operand yields the other one
  if (is_nan(a) && is_nan(b)) return canonical_nan<H>();
  if (is_nan(a)) return b;
  if (is_nan(b)) return a;
  return float(a) < float(b) ? b : a;
}
template <class H>
H min_number(H a, H b) {
  if (is_nan(a) && is_nan(b)) return canonical_nan<H>();
  if (is_nan(a)) return b;
  if (is_nan(b)) return a;
  return float(b) < float(a) ? b : a;
}
template <class H>
H max_nan(H a, H b) { return is_nan(a) || is_nan(b) ? canonical_nan<H>() : max_number(a, b); }
template <class H>
H min_nan(H a, H b) { return is_nan(a) || is_nan(b) ? canonical_nan<H>() : min_number(a, b); }

}  // namespace cuda_cpu::detail

// Functions with the same name for __half and __nv_bfloat16 (H) and their pairs (H2).
#define CUDA_CPU_SMALL_FLOAT_API(H, H2)                                                                        \
  inline H __hadd(H a, H b) { return a + b; }                                                                  \
  inline H __hsub(H a, H b) { return a - b; }                                                                  \
  inline H __hmul(H a, H b) { return a * b; }                                                                  \
  inline H __hdiv(H a, H b) { return a / b; }                                                                  \
  inline H __hadd_rn(H a, H b) { return a + b; }                                                               \
  inline H __hsub_rn(H a, H b) { return a - b; }                                                               \
  inline H __hmul_rn(H a, H b) { return a * b; }                                                               \
  inline H __hneg(H a) { return -a; }                                                                          \
  inline H __habs(H a) { return H::from_bits(static_cast<uint16_t>(a.bits & 0x7FFFu)); }                       \
  inline H __hfma(H a, H b, H c) { return cuda_cpu::detail::fma_once(a, b, c); }                               \
  inline H __hadd_sat(H a, H b) { return cuda_cpu::detail::saturate(a + b); }                                  \
  inline H __hsub_sat(H a, H b) { return cuda_cpu::detail::saturate(a - b); }                                  \
  inline H __hmul_sat(H a, H b) { return cuda_cpu::detail::saturate(a * b); }                                  \
  inline H __hfma_sat(H a, H b, H c) { return cuda_cpu::detail::saturate(__hfma(a, b, c)); }                   \
  inline H __hfma_relu(H a, H b, H c) {                                                                        \
    H r = __hfma(a, b, c);                                                                                     \
    return cuda_cpu::detail::is_nan(r) ? cuda_cpu::detail::canonical_nan<H>() : (float(r) < 0.0f ? H(0.0f) : r); \
  }                                                                                                            \
  inline H __hmax(H a, H b) { return cuda_cpu::detail::max_number(a, b); }                                     \
  inline H __hmin(H a, H b) { return cuda_cpu::detail::min_number(a, b); }                                     \
  inline H __hmax_nan(H a, H b) { return cuda_cpu::detail::max_nan(a, b); }                                    \
  inline H __hmin_nan(H a, H b) { return cuda_cpu::detail::min_nan(a, b); }                                    \
  /* ordered comparisons are false on NaN; the ...u forms are true on NaN */                                   \
  inline bool __heq(H a, H b) { return float(a) == float(b); }                                                 \
  inline bool __hne(H a, H b) { return float(a) < float(b) || float(a) > float(b); }                           \
  inline bool __hlt(H a, H b) { return float(a) < float(b); }                                                  \
  inline bool __hle(H a, H b) { return float(a) <= float(b); }                                                 \
  inline bool __hgt(H a, H b) { return float(a) > float(b); }                                                  \
  inline bool __hge(H a, H b) { return float(a) >= float(b); }                                                 \
  inline bool __hequ(H a, H b) { return !__hne(a, b); }                                                        \
  inline bool __hneu(H a, H b) { return !__heq(a, b); }                                                        \
  inline bool __hltu(H a, H b) { return !__hge(a, b); }                                                        \
  inline bool __hleu(H a, H b) { return !__hgt(a, b); }                                                        \
  inline bool __hgtu(H a, H b) { return !__hle(a, b); }                                                        \
  inline bool __hgeu(H a, H b) { return !__hlt(a, b); }                                                        \
  inline bool __hisnan(H a) { return cuda_cpu::detail::is_nan(a); }                                            \
  inline int __hisinf(H a) { return std::isinf(float(a)) ? (float(a) < 0 ? -1 : 1) : 0; }                      \
  inline H hexp(H a) { return H(expf(float(a))); }                                                             \
  inline H hexp2(H a) { return H(exp2f(float(a))); }                                                           \
  inline H hexp10(H a) { return H(exp10f(float(a))); }                                                         \
  inline H hlog(H a) { return H(logf(float(a))); }                                                             \
  inline H hlog2(H a) { return H(log2f(float(a))); }                                                           \
  inline H hlog10(H a) { return H(log10f(float(a))); }                                                         \
  inline H hsqrt(H a) { return H(sqrtf(float(a))); }                                                           \
  inline H hrsqrt(H a) { return H(1.0 / std::sqrt(double(float(a)))); }                                       \
  inline H hrcp(H a) { return H(1.0 / double(float(a))); }                                                     \
  inline H hsin(H a) { return H(sinf(float(a))); }                                                             \
  inline H hcos(H a) { return H(cosf(float(a))); }                                                             \
  inline H htanh(H a) { return H(tanhf(float(a))); }                                                           \
  inline H hceil(H a) { return H(ceilf(float(a))); }                                                           \
  inline H hfloor(H a) { return H(floorf(float(a))); }                                                         \
  inline H htrunc(H a) { return H(truncf(float(a))); }                                                         \
  inline H hrint(H a) { return H(rintf(float(a))); }                                                           \
  inline H operator++(H& a, int) { H old = a; ++a; return old; }                                               \
  inline H operator--(H& a, int) { H old = a; --a; return old; }                                               \
  /* pairs: lane-wise */                                                                                       \
  inline H2 __hadd2(H2 a, H2 b) { return {a.x + b.x, a.y + b.y}; }                                            \
  inline H2 __hsub2(H2 a, H2 b) { return {a.x - b.x, a.y - b.y}; }                                            \
  inline H2 __hmul2(H2 a, H2 b) { return {a.x * b.x, a.y * b.y}; }                                            \
  inline H2 __h2div(H2 a, H2 b) { return {a.x / b.x, a.y / b.y}; }                                            \
  inline H2 __hfma2(H2 a, H2 b, H2 c) { return {__hfma(a.x, b.x, c.x), __hfma(a.y, b.y, c.y)}; }              \
  inline H2 __hfma2_sat(H2 a, H2 b, H2 c) { return {__hfma_sat(a.x, b.x, c.x), __hfma_sat(a.y, b.y, c.y)}; }  \
  inline H2 __hfma2_relu(H2 a, H2 b, H2 c) { return {__hfma_relu(a.x, b.x, c.x), __hfma_relu(a.y, b.y, c.y)}; } \
  inline H2 __hadd2_sat(H2 a, H2 b) { return {__hadd_sat(a.x, b.x), __hadd_sat(a.y, b.y)}; }                  \
  inline H2 __hsub2_sat(H2 a, H2 b) { return {__hsub_sat(a.x, b.x), __hsub_sat(a.y, b.y)}; }                  \
  inline H2 __hmul2_sat(H2 a, H2 b) { return {__hmul_sat(a.x, b.x), __hmul_sat(a.y, b.y)}; }                  \
  inline H2 __hneg2(H2 a) { return {-a.x, -a.y}; }                                                             \
  inline H2 __habs2(H2 a) { return {__habs(a.x), __habs(a.y)}; }                                               \
  inline H2 __hmax2(H2 a, H2 b) { return {__hmax(a.x, b.x), __hmax(a.y, b.y)}; }                              \
  inline H2 __hmin2(H2 a, H2 b) { return {__hmin(a.x, b.x), __hmin(a.y, b.y)}; }                              \
  inline H2 __hmax2_nan(H2 a, H2 b) { return {__hmax_nan(a.x, b.x), __hmax_nan(a.y, b.y)}; }                  \
  inline H2 __hmin2_nan(H2 a, H2 b) { return {__hmin_nan(a.x, b.x), __hmin_nan(a.y, b.y)}; }                  \
  inline H2 __heq2(H2 a, H2 b) { return {H(__heq(a.x, b.x) ? 1.0f : 0.0f), H(__heq(a.y, b.y) ? 1.0f : 0.0f)}; } \
  inline H2 __hne2(H2 a, H2 b) { return {H(__hne(a.x, b.x) ? 1.0f : 0.0f), H(__hne(a.y, b.y) ? 1.0f : 0.0f)}; } \
  inline H2 __hlt2(H2 a, H2 b) { return {H(__hlt(a.x, b.x) ? 1.0f : 0.0f), H(__hlt(a.y, b.y) ? 1.0f : 0.0f)}; } \
  inline H2 __hle2(H2 a, H2 b) { return {H(__hle(a.x, b.x) ? 1.0f : 0.0f), H(__hle(a.y, b.y) ? 1.0f : 0.0f)}; } \
  inline H2 __hgt2(H2 a, H2 b) { return {H(__hgt(a.x, b.x) ? 1.0f : 0.0f), H(__hgt(a.y, b.y) ? 1.0f : 0.0f)}; } \
  inline H2 __hge2(H2 a, H2 b) { return {H(__hge(a.x, b.x) ? 1.0f : 0.0f), H(__hge(a.y, b.y) ? 1.0f : 0.0f)}; } \
  inline bool __hbeq2(H2 a, H2 b) { return __heq(a.x, b.x) && __heq(a.y, b.y); }                              \
  inline bool __hbne2(H2 a, H2 b) { return __hne(a.x, b.x) && __hne(a.y, b.y); }                              \
  inline bool __hblt2(H2 a, H2 b) { return __hlt(a.x, b.x) && __hlt(a.y, b.y); }                              \
  inline bool __hble2(H2 a, H2 b) { return __hle(a.x, b.x) && __hle(a.y, b.y); }                              \
  inline bool __hbgt2(H2 a, H2 b) { return __hgt(a.x, b.x) && __hgt(a.y, b.y); }                              \
  inline bool __hbge2(H2 a, H2 b) { return __hge(a.x, b.x) && __hge(a.y, b.y); }                              \
  inline H2 __hisnan2(H2 a) { return {H(__hisnan(a.x) ? 1.0f : 0.0f), H(__hisnan(a.y) ? 1.0f : 0.0f)}; }      \
  inline H2 h2exp(H2 a) { return {hexp(a.x), hexp(a.y)}; }                                                     \
  inline H2 h2exp2(H2 a) { return {hexp2(a.x), hexp2(a.y)}; }                                                  \
  inline H2 h2exp10(H2 a) { return {hexp10(a.x), hexp10(a.y)}; }                                               \
  inline H2 h2log(H2 a) { return {hlog(a.x), hlog(a.y)}; }                                                     \
  inline H2 h2log2(H2 a) { return {hlog2(a.x), hlog2(a.y)}; }                                                  \
  inline H2 h2log10(H2 a) { return {hlog10(a.x), hlog10(a.y)}; }                                               \
  inline H2 h2sqrt(H2 a) { return {hsqrt(a.x), hsqrt(a.y)}; }                                                  \
  inline H2 h2rsqrt(H2 a) { return {hrsqrt(a.x), hrsqrt(a.y)}; }                                               \
  inline H2 h2rcp(H2 a) { return {hrcp(a.x), hrcp(a.y)}; }                                                     \
  inline H2 h2sin(H2 a) { return {hsin(a.x), hsin(a.y)}; }                                                     \
  inline H2 h2cos(H2 a) { return {hcos(a.x), hcos(a.y)}; }                                                     \
  inline H2 h2ceil(H2 a) { return {hceil(a.x), hceil(a.y)}; }                                                  \
  inline H2 h2floor(H2 a) { return {hfloor(a.x), hfloor(a.y)}; }                                               \
  inline H2 h2trunc(H2 a) { return {htrunc(a.x), htrunc(a.y)}; }                                               \
  inline H2 h2rint(H2 a) { return {hrint(a.x), hrint(a.y)}; }                                                  \
  inline H2 operator+(H2 a, H2 b) { return __hadd2(a, b); }                                                    \
  inline H2 operator-(H2 a, H2 b) { return __hsub2(a, b); }                                                    \
  inline H2 operator*(H2 a, H2 b) { return __hmul2(a, b); }                                                    \
  inline H2 operator/(H2 a, H2 b) { return __h2div(a, b); }                                                    \
  inline H2 operator-(H2 a) { return __hneg2(a); }                                                             \
  inline H2 operator+(H2 a) { return a; }                                                                      \
  inline H2& operator+=(H2& a, H2 b) { return a = a + b; }                                                     \
  inline H2& operator-=(H2& a, H2 b) { return a = a - b; }                                                     \
  inline H2& operator*=(H2& a, H2 b) { return a = a * b; }                                                     \
  inline H2& operator/=(H2& a, H2 b) { return a = a / b; }                                                     \
  inline bool operator==(H2 a, H2 b) { return __hbeq2(a, b); }                                                 \
  inline bool operator!=(H2 a, H2 b) { return __hbne2(a, b); }                                                 \
  inline bool operator<(H2 a, H2 b) { return __hblt2(a, b); }                                                  \
  inline bool operator<=(H2 a, H2 b) { return __hble2(a, b); }                                                 \
  inline bool operator>(H2 a, H2 b) { return __hbgt2(a, b); }                                                  \
  inline bool operator>=(H2 a, H2 b) { return __hbge2(a, b); }                                                 \
  inline float __low2float(H2 a) { return float(a.x); }                                                        \
  inline float __high2float(H2 a) { return float(a.y); }                                                       \
  inline H2 __lowhigh2highlow(H2 a) { return {a.y, a.x}; }

CUDA_CPU_SMALL_FLOAT_API(__half, __half2)
CUDA_CPU_SMALL_FLOAT_API(__nv_bfloat16, __nv_bfloat162)
#undef CUDA_CPU_SMALL_FLOAT_API

// Conversions to integers round in the given mode and saturate (NaN gives 0), as cvt does.
#define CUDA_CPU_SMALL_TO_INT(prefix, H, name, I)                                                                           \
  inline I prefix##2##name##_rn(H h) { return cuda_cpu::detail::to_integer<I>(float(h), cuda_cpu::detail::Rounding::Nearest); } \
  inline I prefix##2##name##_rz(H h) { return cuda_cpu::detail::to_integer<I>(float(h), cuda_cpu::detail::Rounding::TowardZero); } \
  inline I prefix##2##name##_rd(H h) { return cuda_cpu::detail::to_integer<I>(float(h), cuda_cpu::detail::Rounding::Down); }    \
  inline I prefix##2##name##_ru(H h) { return cuda_cpu::detail::to_integer<I>(float(h), cuda_cpu::detail::Rounding::Up); }
// Conversions from integers: exact in double for 32-bit values, then rounded once in the given mode.
#define CUDA_CPU_INT_TO_SMALL(name, I, prefix, H, from)                                                                     \
  inline H __##name##2##prefix##_rn(I v) { return cuda_cpu::detail::from(static_cast<double>(v), c2c::Round::NearestEven); } \
  inline H __##name##2##prefix##_rz(I v) { return cuda_cpu::detail::from(static_cast<double>(v), c2c::Round::TowardZero); }  \
  inline H __##name##2##prefix##_rd(I v) { return cuda_cpu::detail::from(static_cast<double>(v), c2c::Round::Down); }        \
  inline H __##name##2##prefix##_ru(I v) { return cuda_cpu::detail::from(static_cast<double>(v), c2c::Round::Up); }
#define CUDA_CPU_SMALL_INT_CONVERSIONS(prefix, H, from)                                       \
  CUDA_CPU_SMALL_TO_INT(__##prefix, H, int, int)                                              \
  CUDA_CPU_SMALL_TO_INT(__##prefix, H, uint, unsigned int)                                    \
  CUDA_CPU_SMALL_TO_INT(__##prefix, H, short, short)                                          \
  CUDA_CPU_SMALL_TO_INT(__##prefix, H, ushort, unsigned short)                                \
  CUDA_CPU_SMALL_TO_INT(__##prefix, H, ll, long long)                                         \
  CUDA_CPU_SMALL_TO_INT(__##prefix, H, ull, unsigned long long)                               \
  CUDA_CPU_INT_TO_SMALL(int, int, prefix, H, from)                                            \
  CUDA_CPU_INT_TO_SMALL(uint, unsigned int, prefix, H, from)                                  \
  CUDA_CPU_INT_TO_SMALL(short, short, prefix, H, from)                                        \
  CUDA_CPU_INT_TO_SMALL(ushort, unsigned short, prefix, H, from)                              \
  CUDA_CPU_INT_TO_SMALL(ll, long long, prefix, H, from)                                       \
  CUDA_CPU_INT_TO_SMALL(ull, unsigned long long, prefix, H, from)
CUDA_CPU_SMALL_INT_CONVERSIONS(half, __half, half_from)
CUDA_CPU_SMALL_INT_CONVERSIONS(bfloat16, __nv_bfloat16, bf16_from)
#undef CUDA_CPU_SMALL_INT_CONVERSIONS
#undef CUDA_CPU_INT_TO_SMALL
#undef CUDA_CPU_SMALL_TO_INT

// ---- __half conversions ----
inline __half __float2half(float f) { return __half(f); }
inline __half __float2half_rn(float f) { return __half(f); }
inline __half __float2half_rz(float f) { return __half::from_bits(c2c::float_to_half_bits(f, c2c::Round::TowardZero)); }
inline __half __float2half_rd(float f) { return __half::from_bits(c2c::float_to_half_bits(f, c2c::Round::Down)); }
inline __half __float2half_ru(float f) { return __half::from_bits(c2c::float_to_half_bits(f, c2c::Round::Up)); }
inline __half __double2half(double d) { return __half(d); }
inline float __half2float(__half h) { return float(h); }
inline __half2 __float2half2_rn(float f) { return {__half(f), __half(f)}; }
inline __half2 __floats2half2_rn(float a, float b) { return {__half(a), __half(b)}; }
inline __half2 __float22half2_rn(float2 f) { return {__half(f.x), __half(f.y)}; }
inline float2 __half22float2(__half2 h) { return {float(h.x), float(h.y)}; }
inline __half2 __halves2half2(__half lo, __half hi) { return {lo, hi}; }
inline __half2 __half2half2(__half h) { return {h, h}; }
inline __half __low2half(__half2 h) { return h.x; }
inline __half __high2half(__half2 h) { return h.y; }
inline __half2 __low2half2(__half2 h) { return {h.x, h.x}; }
inline __half2 __high2half2(__half2 h) { return {h.y, h.y}; }
inline __half2 __lows2half2(__half2 a, __half2 b) { return {a.x, b.x}; }
inline __half2 __highs2half2(__half2 a, __half2 b) { return {a.y, b.y}; }
inline short __half_as_short(__half h) { return static_cast<short>(h.bits); }
inline unsigned short __half_as_ushort(__half h) { return h.bits; }
inline __half __short_as_half(short s) { return __half::from_bits(static_cast<uint16_t>(s)); }
inline __half __ushort_as_half(unsigned short s) { return __half::from_bits(s); }

// ---- __nv_bfloat16 conversions ----
inline __nv_bfloat16 __float2bfloat16(float f) { return __nv_bfloat16(f); }
inline __nv_bfloat16 __float2bfloat16_rn(float f) { return __nv_bfloat16(f); }
inline __nv_bfloat16 __float2bfloat16_rz(float f) { return __nv_bfloat16::from_bits(c2c::float_to_bf16_bits(f, c2c::Round::TowardZero)); }
inline __nv_bfloat16 __float2bfloat16_rd(float f) { return __nv_bfloat16::from_bits(c2c::float_to_bf16_bits(f, c2c::Round::Down)); }
inline __nv_bfloat16 __float2bfloat16_ru(float f) { return __nv_bfloat16::from_bits(c2c::float_to_bf16_bits(f, c2c::Round::Up)); }
inline __nv_bfloat16 __double2bfloat16(double d) { return __nv_bfloat16(d); }
inline float __bfloat162float(__nv_bfloat16 h) { return float(h); }
inline __nv_bfloat162 __float2bfloat162_rn(float f) { return {__nv_bfloat16(f), __nv_bfloat16(f)}; }
inline __nv_bfloat162 __floats2bfloat162_rn(float a, float b) { return {__nv_bfloat16(a), __nv_bfloat16(b)}; }
inline __nv_bfloat162 __float22bfloat162_rn(float2 f) { return {__nv_bfloat16(f.x), __nv_bfloat16(f.y)}; }
inline float2 __bfloat1622float2(__nv_bfloat162 h) { return {float(h.x), float(h.y)}; }
inline __nv_bfloat162 __halves2bfloat162(__nv_bfloat16 lo, __nv_bfloat16 hi) { return {lo, hi}; }
inline __nv_bfloat162 __bfloat162bfloat162(__nv_bfloat16 h) { return {h, h}; }
inline __nv_bfloat16 __low2bfloat16(__nv_bfloat162 h) { return h.x; }
inline __nv_bfloat16 __high2bfloat16(__nv_bfloat162 h) { return h.y; }
inline __nv_bfloat162 __low2bfloat162(__nv_bfloat162 h) { return {h.x, h.x}; }
inline __nv_bfloat162 __high2bfloat162(__nv_bfloat162 h) { return {h.y, h.y}; }
inline __nv_bfloat162 __lows2bfloat162(__nv_bfloat162 a, __nv_bfloat162 b) { return {a.x, b.x}; }
inline __nv_bfloat162 __highs2bfloat162(__nv_bfloat162 a, __nv_bfloat162 b) { return {a.y, b.y}; }
inline short __bfloat16_as_short(__nv_bfloat16 h) { return static_cast<short>(h.bits); }
inline unsigned short __bfloat16_as_ushort(__nv_bfloat16 h) { return h.bits; }
inline __nv_bfloat16 __short_as_bfloat16(short s) { return __nv_bfloat16::from_bits(static_cast<uint16_t>(s)); }
inline __nv_bfloat16 __ushort_as_bfloat16(unsigned short s) { return __nv_bfloat16::from_bits(s); }
inline __half __bfloat162half(__nv_bfloat16 h) { return __half(float(h)); }
