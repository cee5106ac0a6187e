// Half precision (IEEE binary16) and bfloat16 storage types shared by the cuda-cpu and cann-cpu
// runtimes. Conversions implement every rounding mode either model needs; arithmetic is carried out
// in double and rounded once, which is correctly rounded for + - * / (53 >= 2*11+2 bits, so double
// rounding is innocuous) — the behaviour of the hardware's native half units.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

namespace c2c {

enum class Round { NearestEven, TowardZero, Down, Up, NearestAway, Odd };

inline uint32_t float_bits(float f) { uint32_t u; std::memcpy(&u, &f, 4); return u; }
inline float bits_float(uint32_t u) { float f; std::memcpy(&f, &u, 4); return f; }

// Rounds the magnitude `mant` (an integer with `drop` extra low bits) to an integer per mode.
inline uint32_t round_shift(uint64_t mant, int drop, bool negative, Round mode) {
  if (drop <= 0) return static_cast<uint32_t>(mant << -drop);
  if (drop >= 62) { mant = mant != 0; drop = 2; }  // far below half an ulp: keep only a sticky bit
  uint64_t kept = mant >> drop, rest = mant & ((uint64_t(1) << drop) - 1), half = uint64_t(1) << (drop - 1);
  bool inexact = rest != 0;
  switch (mode) {
    case Round::NearestEven: if (rest > half || (rest == half && (kept & 1))) ++kept; break;
    case Round::NearestAway: if (rest >= half) ++kept; break;
    case Round::TowardZero: break;
    case Round::Down: if (negative && inexact) ++kept; break;
    case Round::Up: if (!negative && inexact) ++kept; break;
    case Round::Odd: if (inexact) kept |= 1; break;
  }
  return static_cast<uint32_t>(kept);
}

// Generic float -> small float: `mbits` stored mantissa bits, `ebits` exponent bits.
inline uint16_t float_to_small(float f, int ebits, int mbits, Round mode) {
  uint32_t u = float_bits(f);
  uint16_t sign = static_cast<uint16_t>((u >> 31) << (ebits + mbits));
  bool neg = (u >> 31) != 0;
  int32_t exp = static_cast<int32_t>((u >> 23) & 0xFF);
  uint32_t man = u & 0x7FFFFF;
  const int bias = (1 << (ebits - 1)) - 1, emax = (1 << ebits) - 1;
  const uint16_t inf = static_cast<uint16_t>(emax << mbits);
  if (exp == 0xFF) return man ? static_cast<uint16_t>(sign | inf | (1u << (mbits - 1)) | (man >> (23 - mbits))) : static_cast<uint16_t>(sign | inf);
  if (exp == 0 && man == 0) return sign;
  // value = m * 2^(e) with m having the implicit bit (float subnormals: no implicit bit)
  uint64_t m = exp ? (man | 0x800000u) : man;
  int e = exp ? exp - 127 : -126;               // value = m * 2^(e - 23)
  int target_e = e + bias;                      // biased exponent in the small format
  int drop = 23 - mbits;
  if (target_e <= 0) { drop += 1 - target_e; target_e = 0; }
  uint32_t r = round_shift(m, drop, neg, mode);
  // r carries the implicit bit for normals; renormalise on carry-out.
  uint32_t value;
  if (target_e == 0) {
    value = r;  // subnormal (a carry into bit mbits yields the smallest normal, which is correct)
  } else {
    if (r >> (mbits + 1)) { r >>= 1; ++target_e; }
    value = (static_cast<uint32_t>(target_e) << mbits) | (r & ((1u << mbits) - 1));
  }
  if (value >= static_cast<uint32_t>(inf)) {  // overflow: to inf or to the largest finite per mode
    bool to_inf = mode == Round::NearestEven || mode == Round::NearestAway || (mode == Round::Up && !neg) || (mode == Round::Down && neg);
    return static_cast<uint16_t>(sign | (to_inf ? inf : inf - 1));
  }
  return static_cast<uint16_t>(sign | value);
}

inline float small_to_float(uint16_t h, int ebits, int mbits) {
  uint32_t sign = static_cast<uint32_t>(h >> (ebits + mbits)) << 31;
  int32_t exp = (h >> mbits) & ((1 << ebits) - 1);
  uint32_t man = h & ((1u << mbits) - 1);
  const int bias = (1 << (ebits - 1)) - 1, emax = (1 << ebits) - 1;
  if (exp == emax) return bits_float(sign | 0x7F800000u | (man << (23 - mbits)));
  if (exp == 0) {
    if (man == 0) return bits_float(sign);
    float v = std::ldexp(static_cast<float>(man), 1 - bias - mbits);
    return sign ? -v : v;
  }
  return bits_float(sign | (static_cast<uint32_t>(exp - bias + 127) << 23) | (man << (23 - mbits)));
}

inline uint16_t float_to_half_bits(float f, Round mode = Round::NearestEven) { return float_to_small(f, 5, 10, mode); }
inline float half_bits_to_float(uint16_t h) { return small_to_float(h, 5, 10); }
inline uint16_t float_to_bf16_bits(float f, Round mode = Round::NearestEven) {
  uint32_t u = float_bits(f);
  if ((u & 0x7F800000u) == 0x7F800000u && (u & 0x7FFFFF)) return static_cast<uint16_t>((u >> 16) | 0x40);  // quiet NaN
  uint32_t r = round_shift(u & 0x7FFFFFFFu, 16, (u >> 31) != 0, mode);
  if (r >= 0x7F80u) {  // overflow (finite input rounded past the largest finite value)
    bool neg = (u >> 31) != 0;
    bool to_inf = (u & 0x7FFFFFFFu) >= 0x7F800000u || mode == Round::NearestEven || mode == Round::NearestAway ||
                  (mode == Round::Up && !neg) || (mode == Round::Down && neg);
    r = to_inf ? 0x7F80u : 0x7F7Fu;
  }
  return static_cast<uint16_t>(((u >> 16) & 0x8000u) | r);
}
inline float bf16_bits_to_float(uint16_t b) { return bits_float(static_cast<uint32_t>(b) << 16); }

template <class Tag>
struct Small16 {
  uint16_t bits = 0;
  Small16() = default;
  Small16(float f) : bits(Tag::from_float(f)) {}  // NOLINT: implicit, as CUDA's __half and AscendC's half
  Small16(double d) : bits(Tag::from_double(d)) {}
  Small16(int i) : Small16(static_cast<double>(i)) {}
  Small16(unsigned int i) : Small16(static_cast<double>(i)) {}
  Small16(long long i) : Small16(static_cast<double>(i)) {}
  Small16(unsigned long long i) : Small16(static_cast<double>(i)) {}
  Small16(long i) : Small16(static_cast<double>(i)) {}
  Small16(unsigned long i) : Small16(static_cast<double>(i)) {}
  Small16(short i) : Small16(static_cast<double>(i)) {}
  Small16(unsigned short i) : Small16(static_cast<double>(i)) {}
  operator float() const { return Tag::to_float(bits); }
  static Small16 from_bits(uint16_t b) { Small16 h; h.bits = b; return h; }
  Small16& operator+=(Small16 o) { return *this = *this + o; }
  Small16& operator-=(Small16 o) { return *this = *this - o; }
  Small16& operator*=(Small16 o) { return *this = *this * o; }
  Small16& operator/=(Small16 o) { return *this = *this / o; }
  friend Small16 operator+(Small16 a, Small16 b) { return Small16(static_cast<double>(float(a)) + float(b)); }
  friend Small16 operator-(Small16 a, Small16 b) { return Small16(static_cast<double>(float(a)) - float(b)); }
  friend Small16 operator*(Small16 a, Small16 b) { return Small16(static_cast<double>(float(a)) * float(b)); }
  friend Small16 operator/(Small16 a, Small16 b) { return Small16(static_cast<double>(float(a)) / float(b)); }
  friend Small16 operator-(Small16 a) { return from_bits(static_cast<uint16_t>(a.bits ^ 0x8000u)); }
  friend Small16 operator+(Small16 a) { return a; }
  friend bool operator==(Small16 a, Small16 b) { return float(a) == float(b); }
  friend bool operator!=(Small16 a, Small16 b) { return float(a) != float(b); }
  friend bool operator<(Small16 a, Small16 b) { return float(a) < float(b); }
  friend bool operator>(Small16 a, Small16 b) { return float(a) > float(b); }
  friend bool operator<=(Small16 a, Small16 b) { return float(a) <= float(b); }
  friend bool operator>=(Small16 a, Small16 b) { return float(a) >= float(b); }
  Small16& operator++() { return *this = *this + Small16(1.0f); }
  Small16& operator--() { return *this = *this - Small16(1.0f); }
};

// double -> half rounds once: go through the exact double value with a float carrying a sticky bit.
inline uint16_t double_to_small(double d, uint16_t (*conv)(float, Round)) {
  float f = static_cast<float>(d);
  double err = d - static_cast<double>(f);
  if (err != 0.0 && std::isfinite(f)) {
    // Round-to-odd onto float keeps enough information for a correct second rounding.
    uint32_t u = float_bits(f);
    if (!(u & 1)) {
      float toward = std::nextafter(f, err > 0 ? INFINITY : -INFINITY);
      f = (float_bits(toward) & 1) ? toward : f;
    }
  }
  return conv(f, Round::NearestEven);
}

struct HalfTag {
  static uint16_t from_float(float f) { return float_to_half_bits(f); }
  static uint16_t from_double(double d) { return double_to_small(d, float_to_half_bits); }
  static float to_float(uint16_t h) { return half_bits_to_float(h); }
};
struct BF16Tag {
  static uint16_t from_float(float f) { return float_to_bf16_bits(f); }
  static uint16_t from_double(double d) { return double_to_small(d, float_to_bf16_bits); }
  static float to_float(uint16_t b) { return bf16_bits_to_float(b); }
};

using float16 = Small16<HalfTag>;
using bfloat16 = Small16<BF16Tag>;
static_assert(sizeof(float16) == 2 && sizeof(bfloat16) == 2, "16-bit storage");

}  // namespace c2c
