// The CUDA math library on the host. Standard functions (expf, tanhf, erff, ...) are the C library's,
// which are at least as accurate as CUDA's documented bounds; fast intrinsics (__expf, __sinf, ...)
// are computed at full precision too, so they can differ from a GPU by the intrinsic's own error.
// Type-punning, integer and rounding-mode intrinsics are exact.
#pragma once
#include <math.h>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace cuda_cpu::detail {

template <class To, class From>
To bit_cast(From v) {
  static_assert(sizeof(To) == sizeof(From));
  To t;
  std::memcpy(&t, &v, sizeof t);
  return t;
}

enum class Rounding { Nearest, TowardZero, Down, Up };

template <class F>
F round_with(F v, Rounding r) {
  switch (r) {
    case Rounding::Nearest: return std::nearbyint(v);  // the default FP environment: ties to even
    case Rounding::TowardZero: return std::trunc(v);
    case Rounding::Down: return std::floor(v);
    case Rounding::Up: return std::ceil(v);
  }
  return v;
}

// Floating point to integer as the GPU's cvt instruction does it: round, then saturate; NaN gives 0.
template <class I, class F>
I to_integer(F v, Rounding r) {
  if (v != v) return 0;
  v = round_with(v, r);
  if (v <= static_cast<F>(std::numeric_limits<I>::min())) return std::numeric_limits<I>::min();
  if (v >= static_cast<F>(std::numeric_limits<I>::max())) return std::numeric_limits<I>::max();
  return static_cast<I>(v);
}

}  // namespace cuda_cpu::detail

// glibc declares these reserved names (without defining them); CUDA code expects the intrinsics.
extern "C" {
inline float __expf(float x) noexcept { return expf(x); }
inline float __exp10f(float x) noexcept { return exp10f(x); }
inline float __logf(float x) noexcept { return logf(x); }
inline float __log2f(float x) noexcept { return log2f(x); }
inline float __log10f(float x) noexcept { return log10f(x); }
inline float __powf(float x, float y) noexcept { return powf(x, y); }
inline float __sinf(float x) noexcept { return sinf(x); }
inline float __cosf(float x) noexcept { return cosf(x); }
inline float __tanf(float x) noexcept { return tanf(x); }
inline void __sincosf(float x, float* s, float* c) noexcept { sincosf(x, s, c); }
}

inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }
inline float __frsqrt_rn(float x) { return static_cast<float>(1.0 / std::sqrt(static_cast<double>(x))); }
inline float rcbrtf(float x) { return 1.0f / cbrtf(x); }
inline double rcbrt(double x) { return 1.0 / std::cbrt(x); }
inline float rhypotf(float x, float y) { return 1.0f / hypotf(x, y); }
inline float norm3df(float a, float b, float c) { return static_cast<float>(std::sqrt(double(a) * a + double(b) * b + double(c) * c)); }
inline float rnorm3df(float a, float b, float c) { return 1.0f / norm3df(a, b, c); }
inline float norm4df(float a, float b, float c, float d) {
  return static_cast<float>(std::sqrt(double(a) * a + double(b) * b + double(c) * c + double(d) * d));
}
inline float rnorm4df(float a, float b, float c, float d) { return 1.0f / norm4df(a, b, c, d); }
inline float sinpif(float x) { return static_cast<float>(std::sin(M_PI * x)); }
inline float cospif(float x) { return static_cast<float>(std::cos(M_PI * x)); }
inline void sincospif(float x, float* s, float* c) {
  *s = sinpif(x);
  *c = cospif(x);
}
inline double sinpi(double x) { return std::sin(M_PI * x); }
inline double cospi(double x) { return std::cos(M_PI * x); }

inline float __fdividef(float a, float b) { return a / b; }
inline float fdividef(float a, float b) { return a / b; }
inline float __frcp_rn(float x) { return 1.0f / x; }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __fmaf_rn(float a, float b, float c) { return fmaf(a, b, c); }
inline float __fsqrt_rn(float x) { return sqrtf(x); }
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dsub_rn(double a, double b) { return a - b; }
inline double __dmul_rn(double a, double b) { return a * b; }
inline double __ddiv_rn(double a, double b) { return a / b; }
inline double __fma_rn(double a, double b, double c) { return std::fma(a, b, c); }
inline double __dsqrt_rn(double x) { return std::sqrt(x); }
inline double __drcp_rn(double x) { return 1.0 / x; }
// Clamps to [0, 1]; NaN gives 0.
inline float __saturatef(float x) { return x >= 1.0f ? 1.0f : (x > 0.0f ? x : 0.0f); }

inline float normcdff(float x) { return static_cast<float>(0.5 * std::erfc(-static_cast<double>(x) / M_SQRT2)); }
inline double normcdf(double x) { return 0.5 * std::erfc(-x / M_SQRT2); }

namespace cuda_cpu::detail {
// Inverse error function: a rational first guess refined by Newton steps on std::erf.
inline double erfinv(double y) {
  if (y <= -1.0) return y == -1.0 ? -HUGE_VAL : NAN;
  if (y >= 1.0) return y == 1.0 ? HUGE_VAL : NAN;
  if (y != y) return y;
  double w = -std::log((1.0 - y) * (1.0 + y)), x;
  if (w < 5.0) {
    w -= 2.5;
    x = 2.81022636e-08;
    for (double c : {3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503, -0.00417768164,
                     0.246640727, 1.50140941})
      x = c + x * w;
  } else {
    w = std::sqrt(w) - 3.0;
    x = -0.000200214257;
    for (double c : {0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047,
                     1.00167406, 2.83297682})
      x = c + x * w;
  }
  x *= y;
  for (int i = 0; i < 3; ++i) x -= (std::erf(x) - y) / (2.0 / std::sqrt(M_PI) * std::exp(-x * x));
  return x;
}
}  // namespace cuda_cpu::detail
inline double erfinv(double y) { return cuda_cpu::detail::erfinv(y); }
inline float erfinvf(float y) { return static_cast<float>(cuda_cpu::detail::erfinv(y)); }
inline double erfcinv(double y) { return cuda_cpu::detail::erfinv(1.0 - y); }
inline float erfcinvf(float y) { return static_cast<float>(cuda_cpu::detail::erfinv(1.0 - static_cast<double>(y))); }
inline double normcdfinv(double p) { return M_SQRT2 * cuda_cpu::detail::erfinv(2.0 * p - 1.0); }
inline float normcdfinvf(float p) { return static_cast<float>(normcdfinv(p)); }

// ---- conversions with a rounding mode (saturating, as cvt does) ----
#define CUDA_CPU_TO_INT(from, F, to, I)                                                                                   \
  inline I __##from##2##to##_rn(F v) { return cuda_cpu::detail::to_integer<I>(v, cuda_cpu::detail::Rounding::Nearest); }    \
  inline I __##from##2##to##_rz(F v) { return cuda_cpu::detail::to_integer<I>(v, cuda_cpu::detail::Rounding::TowardZero); } \
  inline I __##from##2##to##_rd(F v) { return cuda_cpu::detail::to_integer<I>(v, cuda_cpu::detail::Rounding::Down); }       \
  inline I __##from##2##to##_ru(F v) { return cuda_cpu::detail::to_integer<I>(v, cuda_cpu::detail::Rounding::Up); }
CUDA_CPU_TO_INT(float, float, int, int)
CUDA_CPU_TO_INT(float, float, uint, unsigned int)
CUDA_CPU_TO_INT(float, float, ll, long long)
CUDA_CPU_TO_INT(float, float, ull, unsigned long long)
CUDA_CPU_TO_INT(double, double, int, int)
CUDA_CPU_TO_INT(double, double, uint, unsigned int)
CUDA_CPU_TO_INT(double, double, ll, long long)
CUDA_CPU_TO_INT(double, double, ull, unsigned long long)
#undef CUDA_CPU_TO_INT

inline float __int2float_rn(int v) { return static_cast<float>(v); }
inline float __uint2float_rn(unsigned int v) { return static_cast<float>(v); }
inline float __ll2float_rn(long long v) { return static_cast<float>(v); }
inline float __ull2float_rn(unsigned long long v) { return static_cast<float>(v); }
inline double __int2double_rn(int v) { return v; }
inline double __uint2double_rn(unsigned int v) { return v; }
inline double __ll2double_rn(long long v) { return static_cast<double>(v); }
inline double __ull2double_rn(unsigned long long v) { return static_cast<double>(v); }
inline float __double2float_rn(double v) { return static_cast<float>(v); }

// ---- bit reinterpretation ----
inline int __float_as_int(float v) { return cuda_cpu::detail::bit_cast<int>(v); }
inline float __int_as_float(int v) { return cuda_cpu::detail::bit_cast<float>(v); }
inline unsigned int __float_as_uint(float v) { return cuda_cpu::detail::bit_cast<unsigned int>(v); }
inline float __uint_as_float(unsigned int v) { return cuda_cpu::detail::bit_cast<float>(v); }
inline long long __double_as_longlong(double v) { return cuda_cpu::detail::bit_cast<long long>(v); }
inline double __longlong_as_double(long long v) { return cuda_cpu::detail::bit_cast<double>(v); }
inline int __double2hiint(double v) { return static_cast<int>(__double_as_longlong(v) >> 32); }
inline int __double2loint(double v) { return static_cast<int>(__double_as_longlong(v)); }
inline double __hiloint2double(int hi, int lo) {
  const unsigned long long bits = static_cast<unsigned long long>(static_cast<unsigned>(hi)) << 32 | static_cast<unsigned>(lo);
  return __longlong_as_double(static_cast<long long>(bits));
}

// ---- integer intrinsics ----
inline int __clz(int v) { return v ? __builtin_clz(static_cast<unsigned>(v)) : 32; }
inline int __clzll(long long v) { return v ? __builtin_clzll(static_cast<unsigned long long>(v)) : 64; }
inline int __popc(unsigned int v) { return __builtin_popcount(v); }
inline int __popcll(unsigned long long v) { return __builtin_popcountll(v); }
inline int __ffs(int v) { return __builtin_ffs(v); }
inline int __ffsll(long long v) { return __builtin_ffsll(v); }
inline unsigned int __brev(unsigned int v) {
  v = (v >> 1 & 0x55555555u) | (v & 0x55555555u) << 1;
  v = (v >> 2 & 0x33333333u) | (v & 0x33333333u) << 2;
  v = (v >> 4 & 0x0F0F0F0Fu) | (v & 0x0F0F0F0Fu) << 4;
  return __builtin_bswap32(v);
}
inline unsigned long long __brevll(unsigned long long v) {
  return static_cast<unsigned long long>(__brev(static_cast<unsigned>(v))) << 32 | __brev(static_cast<unsigned>(v >> 32));
}
// __mul24 multiplies the low 24 bits, sign-extended.
inline int __mul24(int a, int b) {
  auto low24 = [](int v) { return static_cast<int>(static_cast<unsigned>(v) << 8) >> 8; };
  return static_cast<int>(static_cast<unsigned>(low24(a) * static_cast<long long>(low24(b))));
}
inline unsigned int __umul24(unsigned int a, unsigned int b) { return (a & 0xFFFFFFu) * (b & 0xFFFFFFu); }
inline int __mulhi(int a, int b) { return static_cast<int>((static_cast<long long>(a) * b) >> 32); }
inline unsigned int __umulhi(unsigned int a, unsigned int b) {
  return static_cast<unsigned>((static_cast<unsigned long long>(a) * b) >> 32);
}
inline long long __mul64hi(long long a, long long b) { return static_cast<long long>((static_cast<__int128>(a) * b) >> 64); }
inline unsigned long long __umul64hi(unsigned long long a, unsigned long long b) {
  return static_cast<unsigned long long>((static_cast<unsigned __int128>(a) * b) >> 64);
}
inline int __hadd(int a, int b) { return static_cast<int>((static_cast<long long>(a) + b) >> 1); }
inline int __rhadd(int a, int b) { return static_cast<int>((static_cast<long long>(a) + b + 1) >> 1); }
inline unsigned int __uhadd(unsigned int a, unsigned int b) { return static_cast<unsigned>((static_cast<unsigned long long>(a) + b) >> 1); }
inline unsigned int __urhadd(unsigned int a, unsigned int b) {
  return static_cast<unsigned>((static_cast<unsigned long long>(a) + b + 1) >> 1);
}
inline unsigned int __sad(int x, int y, unsigned int z) {
  const unsigned ux = static_cast<unsigned>(x), uy = static_cast<unsigned>(y);
  return (x > y ? ux - uy : uy - ux) + z;
}
inline unsigned int __usad(unsigned int x, unsigned int y, unsigned int z) { return (x > y ? x - y : y - x) + z; }
inline unsigned int __byte_perm(unsigned int x, unsigned int y, unsigned int s) {
  const unsigned long long bytes = static_cast<unsigned long long>(y) << 32 | x;
  unsigned int r = 0;
  for (int i = 0; i < 4; ++i) r |= static_cast<unsigned>(bytes >> ((s >> (4 * i) & 7) * 8) & 0xFF) << (8 * i);
  return r;
}
inline unsigned int __funnelshift_l(unsigned int lo, unsigned int hi, unsigned int shift) {
  return static_cast<unsigned>(((static_cast<unsigned long long>(hi) << 32 | lo) << (shift & 31)) >> 32);
}
inline unsigned int __funnelshift_lc(unsigned int lo, unsigned int hi, unsigned int shift) {
  return static_cast<unsigned>(((static_cast<unsigned long long>(hi) << 32 | lo) << (shift < 32 ? shift : 32)) >> 32);
}
inline unsigned int __funnelshift_r(unsigned int lo, unsigned int hi, unsigned int shift) {
  return static_cast<unsigned>((static_cast<unsigned long long>(hi) << 32 | lo) >> (shift & 31));
}
inline unsigned int __funnelshift_rc(unsigned int lo, unsigned int hi, unsigned int shift) {
  return static_cast<unsigned>((static_cast<unsigned long long>(hi) << 32 | lo) >> (shift < 32 ? shift : 32));
}

// Four-way byte dot product with accumulate (int8 inference kernels).
inline int __dp4a(int a, int b, int c) {
  for (int i = 0; i < 32; i += 8) c += static_cast<signed char>(a >> i) * static_cast<signed char>(b >> i);
  return c;
}
inline unsigned int __dp4a(unsigned int a, unsigned int b, unsigned int c) {
  for (int i = 0; i < 32; i += 8) c += (a >> i & 0xFFu) * (b >> i & 0xFFu);
  return c;
}

// ---- min / max ----
// CUDA's global overloads; mixed signedness compares as unsigned. They are plain functions in the
// global namespace, so std::min and std::max are unaffected (and a non-template wins over
// std::min<T> in unqualified calls, as with nvcc).
#define CUDA_CPU_MINMAX(A, B, R)                                              \
  inline R min(A a, B b) { return static_cast<R>(a) < static_cast<R>(b) ? static_cast<R>(a) : static_cast<R>(b); } \
  inline R max(A a, B b) { return static_cast<R>(a) < static_cast<R>(b) ? static_cast<R>(b) : static_cast<R>(a); }
CUDA_CPU_MINMAX(int, int, int)
CUDA_CPU_MINMAX(unsigned int, unsigned int, unsigned int)
CUDA_CPU_MINMAX(int, unsigned int, unsigned int)
CUDA_CPU_MINMAX(unsigned int, int, unsigned int)
CUDA_CPU_MINMAX(long, long, long)
CUDA_CPU_MINMAX(unsigned long, unsigned long, unsigned long)
CUDA_CPU_MINMAX(long, unsigned long, unsigned long)
CUDA_CPU_MINMAX(unsigned long, long, unsigned long)
CUDA_CPU_MINMAX(long long, long long, long long)
CUDA_CPU_MINMAX(unsigned long long, unsigned long long, unsigned long long)
CUDA_CPU_MINMAX(long long, unsigned long long, unsigned long long)
CUDA_CPU_MINMAX(unsigned long long, long long, unsigned long long)
#undef CUDA_CPU_MINMAX
inline float min(float a, float b) { return fminf(a, b); }
inline float max(float a, float b) { return fmaxf(a, b); }
inline double min(double a, double b) { return fmin(a, b); }
inline double max(double a, double b) { return fmax(a, b); }
inline double min(float a, double b) { return fmin(a, b); }
inline double max(float a, double b) { return fmax(a, b); }
inline double min(double a, float b) { return fmin(a, b); }
inline double max(double a, float b) { return fmax(a, b); }
inline unsigned int umin(unsigned int a, unsigned int b) { return a < b ? a : b; }
inline unsigned int umax(unsigned int a, unsigned int b) { return a < b ? b : a; }
inline long long llmin(long long a, long long b) { return a < b ? a : b; }
inline long long llmax(long long a, long long b) { return a < b ? b : a; }
inline unsigned long long ullmin(unsigned long long a, unsigned long long b) { return a < b ? a : b; }
inline unsigned long long ullmax(unsigned long long a, unsigned long long b) { return a < b ? b : a; }

// ---- read-only and cache-hinted loads/stores: plain memory accesses here ----
template <class T> T __ldg(const T* p) { return *p; }
template <class T> T __ldcg(const T* p) { return *p; }
template <class T> T __ldca(const T* p) { return *p; }
template <class T> T __ldcs(const T* p) { return *p; }
template <class T> T __ldlu(const T* p) { return *p; }
template <class T> T __ldcv(const T* p) { return *p; }
template <class T> void __stcg(T* p, T v) { *p = v; }
template <class T> void __stcs(T* p, T v) { *p = v; }
template <class T> void __stwb(T* p, T v) { *p = v; }
template <class T> void __stwt(T* p, T v) { *p = v; }
