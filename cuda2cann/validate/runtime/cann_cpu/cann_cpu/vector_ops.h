// Count-form ("first n elements") element-wise vector APIs on pipe V, limited to the dtypes the
// A2 documentation lists (others fail to compile). half/bfloat16 are computed in double and
// rounded once; float in float; integers wrap.
#pragma once
#include <cmath>
#include <type_traits>

#include "data_copy.h"

namespace cann_cpu {

template <typename T, typename... Us> constexpr bool one_of = (std::is_same_v<T, Us> || ...);

template <typename T> struct CalcOf { using type = std::conditional_t<std::is_integral_v<T>, int64_t, T>; };
template <> struct CalcOf<half> { using type = double; };
template <> struct CalcOf<bfloat16_t> { using type = double; };
template <typename T> using Calc = typename CalcOf<T>::type;

template <typename T> inline Calc<T> to_calc(T v) {
  if constexpr (one_of<T, half, bfloat16_t>) return static_cast<double>(static_cast<float>(v));
  else return static_cast<Calc<T>>(v);
}
template <typename T, typename C> inline T from_calc(C v) {
  if constexpr (one_of<T, half, bfloat16_t>) return T(static_cast<double>(v));
  else return static_cast<T>(v);
}

// count < 0 is an error, count == 0 a NOP (as on A2).
inline bool check_count(std::string_view api, int64_t count) {
  if (count < 0) fail(api, "count " + std::to_string(count) + " is negative");
  return count > 0;
}

template <typename T> const T* vec_in(const AscendC::LocalTensor<T>& t, uint64_t count, const char* api, const char* role) {
  UbSpan s = Access::ub(t, count, api, role);
  check_read(s.off, s.bytes, PIPE_V, api, role);
  return reinterpret_cast<const T*>(s.ptr);
}

// Records the vector instruction: its UB writes, and its repeats for the counters.
inline void vec_done(const UbSpan& dst, const char* api, uint64_t repeat_bytes) {
  ++core().epoch[PIPE_V];
  mark_write(dst.off, dst.bytes, kWriterV, api);
  count_vector(api, repeat_bytes);
}

template <typename T, typename F>
void unary(const char* api, const AscendC::LocalTensor<T>& dst, const AscendC::LocalTensor<T>& src, int64_t count, F f) {
  if (!check_count(api, count)) return;
  const T* a = vec_in(src, count, api, "src");
  UbSpan d = Access::ub(dst, count, api, "dst");
  T* o = reinterpret_cast<T*>(d.ptr);
  for (int64_t i = 0; i < count; ++i) o[i] = from_calc<T>(f(to_calc(a[i])));
  vec_done(d, api, count * sizeof(T));
}

template <typename T, typename F>
void binary(const char* api, const AscendC::LocalTensor<T>& dst, const AscendC::LocalTensor<T>& src0,
            const AscendC::LocalTensor<T>& src1, int64_t count, F f) {
  if (!check_count(api, count)) return;
  const T* a = vec_in(src0, count, api, "src0");
  const T* b = vec_in(src1, count, api, "src1");
  UbSpan d = Access::ub(dst, count, api, "dst");
  T* o = reinterpret_cast<T*>(d.ptr);
  for (int64_t i = 0; i < count; ++i) o[i] = from_calc<T>(f(to_calc(a[i]), to_calc(b[i])));
  vec_done(d, api, count * sizeof(T));
}

template <typename T> constexpr bool kArith = one_of<T, int16_t, half, int32_t, float>;
template <typename T> constexpr bool kFloat = one_of<T, half, float>;

inline constexpr auto op_max = [](auto x, auto y) { return x > y ? x : y; };
inline constexpr auto op_min = [](auto x, auto y) { return x < y ? x : y; };

}  // namespace cann_cpu

#define C2C_BINARY(NAME, COND, TYPES, EXPR)                                                                       \
  template <typename T>                                                                                          \
  __aicore__ inline void NAME(const LocalTensor<T>& dstLocal, const LocalTensor<T>& src0Local,                   \
                              const LocalTensor<T>& src1Local, const int32_t& calCount) {                        \
    static_assert(COND, "cann-cpu: " #NAME " supports " TYPES " on Ascend A2");                                  \
    cann_cpu::binary(#NAME, dstLocal, src0Local, src1Local, calCount, [](auto a, auto b) { return EXPR; });      \
  }

#define C2C_SCALAR(NAME, EXPR)                                                                                    \
  template <typename T, bool isSetMask = true>                                                                   \
  __aicore__ inline void NAME(const LocalTensor<T>& dstLocal, const LocalTensor<T>& srcLocal, const T& scalarValue, \
                              const int32_t& calCount) {                                                         \
    static_assert(cann_cpu::kArith<T>, "cann-cpu: " #NAME " supports int16_t, half, int32_t, float on Ascend A2"); \
    const auto s = cann_cpu::to_calc(scalarValue);                                                               \
    cann_cpu::unary(#NAME, dstLocal, srcLocal, calCount, [s](auto a) { return EXPR; });                          \
  }

#define C2C_UNARY(NAME, COND, TYPES, EXPR)                                                                        \
  template <typename T>                                                                                          \
  __aicore__ inline void NAME(const LocalTensor<T>& dstLocal, const LocalTensor<T>& srcLocal, const int32_t& calCount) { \
    static_assert(COND, "cann-cpu: " #NAME " supports " TYPES " on Ascend A2");                                  \
    using C = cann_cpu::Calc<T>;                                                                                 \
    cann_cpu::unary(#NAME, dstLocal, srcLocal, calCount, [](C a) -> C { return EXPR; });                         \
  }

namespace AscendC {

C2C_BINARY(Add, cann_cpu::kArith<T>, "int16_t, half, int32_t, float", a + b)
C2C_BINARY(Sub, cann_cpu::kArith<T>, "int16_t, half, int32_t, float", a - b)
C2C_BINARY(Mul, cann_cpu::kArith<T>, "int16_t, half, int32_t, float", a * b)
C2C_BINARY(Div, cann_cpu::kFloat<T>, "half, float", a / b)
C2C_BINARY(Max, cann_cpu::kArith<T>, "int16_t, half, int32_t, float", cann_cpu::op_max(a, b))
C2C_BINARY(Min, cann_cpu::kArith<T>, "int16_t, half, int32_t, float", cann_cpu::op_min(a, b))

C2C_SCALAR(Adds, a + s)
C2C_SCALAR(Muls, a * s)
C2C_SCALAR(Maxs, cann_cpu::op_max(a, s))
C2C_SCALAR(Mins, cann_cpu::op_min(a, s))

C2C_UNARY(Exp, cann_cpu::kFloat<T>, "half, float", std::exp(a))
C2C_UNARY(Ln, cann_cpu::kFloat<T>, "half, float", std::log(a))
C2C_UNARY(Abs, cann_cpu::kFloat<T>, "half, float", std::fabs(a))
C2C_UNARY(Sqrt, cann_cpu::kFloat<T>, "half, float", std::sqrt(a))
C2C_UNARY(Rsqrt, cann_cpu::kFloat<T>, "half, float", C(1) / std::sqrt(a))
C2C_UNARY(Reciprocal, cann_cpu::kFloat<T>, "half, float", C(1) / a)
C2C_UNARY(Relu, (cann_cpu::one_of<T, half, int32_t, float>), "half, int32_t, float", a > C(0) ? a : C(0))

template <typename T>
__aicore__ inline void Duplicate(const LocalTensor<T>& dstLocal, const T& scalarValue, const int32_t& calCount) {
  static_assert(cann_cpu::one_of<T, int16_t, uint16_t, half, bfloat16_t, int32_t, uint32_t, float>,
                "cann-cpu: Duplicate supports int16_t, uint16_t, half, bfloat16_t, int32_t, uint32_t, float on Ascend A2");
  const char* api = "Duplicate";
  if (!cann_cpu::check_count(api, calCount)) return;
  cann_cpu::UbSpan d = cann_cpu::Access::ub(dstLocal, calCount, api, "dst");
  T* o = reinterpret_cast<T*>(d.ptr);
  for (int32_t i = 0; i < calCount; ++i) o[i] = scalarValue;
  cann_cpu::vec_done(d, api, uint64_t(calCount) * sizeof(T));
}

}  // namespace AscendC

#undef C2C_BINARY
#undef C2C_SCALAR
#undef C2C_UNARY
