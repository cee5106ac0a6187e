// Cast (count form) with the A2 (dav-c220) table of type pairs and round modes: a pair the
// hardware lacks fails to compile, a round mode it lacks for a pair is a runtime violation, as in
// the real headers. Float-to-integer results saturate; NaN becomes 0.
#pragma once
#include <limits>

#include "vector_ops.h"

namespace cann_cpu {

constexpr uint8_t mode_bit(AscendC::RoundMode m) { return uint8_t(1u << static_cast<int>(m)); }
constexpr uint8_t kNone = mode_bit(AscendC::RoundMode::CAST_NONE);
// RINT, FLOOR, CEIL, ROUND, TRUNC
constexpr uint8_t kRound = mode_bit(AscendC::RoundMode::CAST_RINT) | mode_bit(AscendC::RoundMode::CAST_FLOOR) |
                           mode_bit(AscendC::RoundMode::CAST_CEIL) | mode_bit(AscendC::RoundMode::CAST_ROUND) |
                           mode_bit(AscendC::RoundMode::CAST_TRUNC);
constexpr uint8_t kOdd = mode_bit(AscendC::RoundMode::CAST_ODD);

// Round modes Cast<Dst, Src> accepts on A2 (0: the pair does not exist). Source: the A2 Cast
// table (Cast.md) and CANN 8.1 dav_c220/kernel_operator_vec_vconv_impl.h.
template <typename D, typename S> constexpr uint8_t cast_modes() {
  using std::is_same_v;
  if constexpr (is_same_v<S, half>) {
    if constexpr (is_same_v<D, float>) return kNone;
    if constexpr (one_of<D, int32_t, int16_t>) return kRound;
    if constexpr (one_of<D, int8_t, uint8_t>) return kRound | kNone;
  } else if constexpr (is_same_v<S, float>) {
    if constexpr (is_same_v<D, half>) return kRound | kOdd | kNone;
    if constexpr (one_of<D, int32_t, float, bfloat16_t, int64_t, int16_t>) return kRound;
  } else if constexpr (is_same_v<S, bfloat16_t>) {
    if constexpr (is_same_v<D, float>) return kNone;
    if constexpr (is_same_v<D, int32_t>) return kRound;
  } else if constexpr (one_of<S, int8_t, uint8_t>) {
    if constexpr (is_same_v<D, half>) return kNone;
  } else if constexpr (is_same_v<S, int16_t>) {
    if constexpr (is_same_v<D, half>) return kRound | kNone;
    if constexpr (is_same_v<D, float>) return kNone;
  } else if constexpr (is_same_v<S, int32_t>) {
    if constexpr (is_same_v<D, float>) return kRound | kNone;
    if constexpr (one_of<D, int16_t, int64_t>) return kNone;
  } else if constexpr (is_same_v<S, int64_t>) {
    if constexpr (is_same_v<D, float>) return kRound;
    if constexpr (is_same_v<D, int32_t>) return kNone;
  }
  return 0;
}

inline const char* round_mode_name(AscendC::RoundMode m) {
  static const char* const names[] = {"CAST_NONE", "CAST_RINT", "CAST_FLOOR", "CAST_CEIL", "CAST_ROUND", "CAST_TRUNC", "CAST_ODD"};
  return names[static_cast<int>(m)];
}

inline c2c::Round to_c2c(AscendC::RoundMode m) {
  switch (m) {
    case AscendC::RoundMode::CAST_FLOOR: return c2c::Round::Down;
    case AscendC::RoundMode::CAST_CEIL: return c2c::Round::Up;
    case AscendC::RoundMode::CAST_ROUND: return c2c::Round::NearestAway;
    case AscendC::RoundMode::CAST_TRUNC: return c2c::Round::TowardZero;
    case AscendC::RoundMode::CAST_ODD: return c2c::Round::Odd;
    default: return c2c::Round::NearestEven;  // CAST_RINT; CAST_NONE rounds like RINT when inexact
  }
}

// An integer rounded to `bits` significant bits in mode r; the result is exact in double.
inline double round_int(int64_t v, int bits, c2c::Round r) {
  bool neg = v < 0;
  uint64_t m = neg ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  int len = 0;
  for (uint64_t t = m; t; t >>= 1) ++len;
  if (len <= bits) return static_cast<double>(v);
  int drop = len - bits;
  uint64_t kept = c2c::round_shift(m, drop, neg, r);
  double mag = std::ldexp(static_cast<double>(kept), drop);
  return neg ? -mag : mag;
}

inline double round_integral(double x, c2c::Round r) {
  switch (r) {
    case c2c::Round::Down: return std::floor(x);
    case c2c::Round::Up: return std::ceil(x);
    case c2c::Round::NearestAway: return std::round(x);
    case c2c::Round::TowardZero: return std::trunc(x);
    default: return std::nearbyint(x);
  }
}

// A floating value rounded to an integer in mode r, saturated to [lo, hi]; NaN gives 0.
inline int64_t round_to_int(double x, c2c::Round r, int64_t lo, int64_t hi) {
  if (std::isnan(x)) return 0;
  double y = round_integral(x, r);
  if (y <= static_cast<double>(lo)) return lo;
  if (y >= static_cast<double>(hi)) return hi;
  return static_cast<int64_t>(y);
}

template <typename D, typename S> inline D convert(S v, c2c::Round r) {
  constexpr bool src_int = std::is_integral_v<S>, dst_int = std::is_integral_v<D>;
  if constexpr (src_int && dst_int) {  // integer narrowing saturates
    int64_t x = std::clamp<int64_t>(static_cast<int64_t>(v), std::numeric_limits<D>::min(), std::numeric_limits<D>::max());
    return static_cast<D>(x);
  } else if constexpr (src_int) {  // int -> float/half: round to the destination's precision
    double x = round_int(static_cast<int64_t>(v), std::is_same_v<D, float> ? 24 : 11, r);
    if constexpr (std::is_same_v<D, half>) return D::from_bits(c2c::float_to_half_bits(static_cast<float>(x), r));
    else return static_cast<D>(x);
  } else {
    double x = static_cast<double>(static_cast<float>(v));
    if constexpr (dst_int) {
      return static_cast<D>(round_to_int(x, r, std::numeric_limits<D>::min(), std::numeric_limits<D>::max()));
    } else if constexpr (std::is_same_v<D, half>) {  // float -> half
      return D::from_bits(c2c::float_to_half_bits(static_cast<float>(x), r));
    } else if constexpr (std::is_same_v<D, bfloat16_t>) {
      return D::from_bits(c2c::float_to_bf16_bits(static_cast<float>(x), r));
    } else if constexpr (std::is_same_v<S, float>) {  // float -> float: round to an integral value
      return static_cast<D>(round_integral(x, r));
    } else {  // half/bf16 -> float: exact
      return static_cast<D>(x);
    }
  }
}

}  // namespace cann_cpu

namespace AscendC {

template <typename T1, typename T2>
__aicore__ inline void Cast(const LocalTensor<T1>& dstLocal, const LocalTensor<T2>& srcLocal, const RoundMode& round_mode,
                            const uint32_t calCount) {
  static_assert(!(std::is_same_v<T1, half> && std::is_same_v<T2, int32_t>),
                "cann-cpu: Cast int32_t -> half goes through SetDeqScale on A2, which cann-cpu does not model");
  static_assert(cann_cpu::cast_modes<T1, T2>() != 0,
                "cann-cpu: Cast between these types is not supported on Ascend A2 (see docs/runtime_cann_cpu.md)");
  const char* api = "Cast";
  if (!(cann_cpu::cast_modes<T1, T2>() & cann_cpu::mode_bit(round_mode)))
    cann_cpu::fail(api, std::string("RoundMode::") + cann_cpu::round_mode_name(round_mode) +
                            " is not supported for this type pair on Ascend A2");
  if (!cann_cpu::check_count(api, calCount)) return;
  const T2* a = cann_cpu::vec_in(srcLocal, calCount, api, "src");
  cann_cpu::UbSpan d = cann_cpu::Access::ub(dstLocal, calCount, api, "dst");
  T1* o = reinterpret_cast<T1*>(d.ptr);
  const c2c::Round r = cann_cpu::to_c2c(round_mode);
  for (uint32_t i = 0; i < calCount; ++i) o[i] = cann_cpu::convert<T1>(a[i], r);
  cann_cpu::vec_done(d, api, uint64_t(calCount) * std::max(sizeof(T1), sizeof(T2)));
}

}  // namespace AscendC
