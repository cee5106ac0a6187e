// Compare, CompareScalar and Select (count forms). Masks are bit arrays in UB, least significant
// bit first: bit i of byte k stands for element 8k+i; a set bit selects src0.
#pragma once
#include "vector_ops.h"

namespace cann_cpu {

template <typename C> bool compare(AscendC::CMPMODE m, C a, C b) {
  switch (m) {
    case AscendC::CMPMODE::LT: return a < b;
    case AscendC::CMPMODE::GT: return a > b;
    case AscendC::CMPMODE::EQ: return a == b;
    case AscendC::CMPMODE::LE: return a <= b;
    case AscendC::CMPMODE::GE: return a >= b;
    default: return a != b;
  }
}

// Compares `count` elements, b(i) giving the right operand. Only whole 256-byte repeats are
// compared: the rest of a ragged count is silently skipped, as on the hardware.
template <typename T, typename U, typename B>
void compare_into(const char* api, const AscendC::LocalTensor<U>& dst, const AscendC::LocalTensor<T>& src0,
                  AscendC::CMPMODE mode, uint32_t count, B b) {
  static_assert(one_of<T, half, float, int32_t>, "cann-cpu: Compare supports half, float, int32_t on Ascend A2");
  if constexpr (std::is_same_v<T, int32_t>)
    if (mode != AscendC::CMPMODE::EQ) fail(api, "int32_t operands support CMPMODE::EQ only on Ascend A2");
  const uint32_t per_repeat = kRepeatBytes / sizeof(T), n = count / per_repeat * per_repeat;
  if (n != count) ++counters().compare_rounded_down;
  if (n == 0) return;
  const T* a = vec_in(src0, n, api, "src0");
  UbSpan d = Access::ub(dst, n / 8, api, "dst");
  for (uint32_t k = 0; k < n / 8; ++k) {
    uint8_t bits = 0;
    for (uint32_t j = 0; j < 8; ++j) bits |= uint8_t(compare(mode, to_calc(a[8 * k + j]), b(8 * k + j)) << j);
    d.ptr[k] = bits;
  }
  vec_done(d, api, uint64_t(n) * sizeof(T));
}

// Selects `count` elements between src0 and b(i) by the bits of selMask.
template <typename T, typename U, typename B>
void select_into(const char* api, const AscendC::LocalTensor<T>& dst, const AscendC::LocalTensor<U>& selMask,
                 const AscendC::LocalTensor<T>& src0, AscendC::SELMODE mode, uint32_t count, B b) {
  static_assert(one_of<T, half, float>, "cann-cpu: Select supports half, float on Ascend A2");
  static_assert(one_of<U, uint8_t, uint16_t, uint32_t, uint64_t>,
                "cann-cpu: Select masks are uint8_t, uint16_t, uint32_t or uint64_t");
  if (!check_count(api, count)) return;
  // Mode 0 reuses the first 256/sizeof(T) mask bits for every repeat; modes 1 and 2 consume one bit per element.
  const uint32_t per_repeat = kRepeatBytes / sizeof(T);
  const bool reuse = mode == AscendC::SELMODE::VSEL_CMPMASK_SPR;
  const uint32_t mask_bytes = reuse ? per_repeat / 8 : (count + 7) / 8;
  const uint8_t* m = reinterpret_cast<const uint8_t*>(vec_in(selMask, (mask_bytes + sizeof(U) - 1) / sizeof(U), api, "selMask"));
  const T* a = vec_in(src0, count, api, "src0");
  UbSpan d = Access::ub(dst, count, api, "dst");
  T* o = reinterpret_cast<T*>(d.ptr);
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t bit = reuse ? i % per_repeat : i;
    o[i] = (m[bit / 8] >> (bit % 8)) & 1 ? a[i] : b(i);
  }
  vec_done(d, api, uint64_t(count) * sizeof(T));
}

}  // namespace cann_cpu

namespace AscendC {

template <typename T, typename U>
__aicore__ inline void Compare(const LocalTensor<U>& dstLocal, const LocalTensor<T>& src0Local,
                               const LocalTensor<T>& src1Local, CMPMODE cmpMode, uint32_t calCount) {
  static_assert(cann_cpu::one_of<U, int8_t, uint8_t>, "cann-cpu: Compare writes an int8_t or uint8_t mask");
  const char* api = "Compare";
  const T* b = nullptr;
  const uint32_t per_repeat = cann_cpu::kRepeatBytes / sizeof(T), n = calCount / per_repeat * per_repeat;
  if (n) b = cann_cpu::vec_in(src1Local, n, api, "src1");
  cann_cpu::compare_into(api, dstLocal, src0Local, cmpMode, calCount, [b](uint32_t i) { return cann_cpu::to_calc(b[i]); });
}

template <typename T, typename U>
__aicore__ inline void CompareScalar(const LocalTensor<U>& dstLocal, const LocalTensor<T>& src0Local, const T src1Scalar,
                                     CMPMODE cmpMode, uint32_t calCount) {
  static_assert(std::is_same_v<U, uint8_t>, "cann-cpu: CompareScalar writes a uint8_t mask");
  const auto s = cann_cpu::to_calc(src1Scalar);
  cann_cpu::compare_into("CompareScalar", dstLocal, src0Local, cmpMode, calCount, [s](uint32_t) { return s; });
}

// Modes VSEL_CMPMASK_SPR (0) and VSEL_TENSOR_TENSOR_MODE (2).
template <typename T, typename U>
__aicore__ inline void Select(const LocalTensor<T>& dstLocal, const LocalTensor<U>& selMask, const LocalTensor<T>& src0Local,
                              const LocalTensor<T>& src1Local, SELMODE selMode, uint32_t calCount) {
  const char* api = "Select";
  if (selMode == SELMODE::VSEL_TENSOR_SCALAR_MODE)
    cann_cpu::fail(api, "SELMODE::VSEL_TENSOR_SCALAR_MODE takes a scalar src1, not a tensor");
  const T* b = calCount ? cann_cpu::vec_in(src1Local, calCount, api, "src1") : nullptr;
  cann_cpu::select_into(api, dstLocal, selMask, src0Local, selMode, calCount, [b](uint32_t i) { return b[i]; });
}

// Mode VSEL_TENSOR_SCALAR_MODE (1).
template <typename T, typename U>
__aicore__ inline void Select(const LocalTensor<T>& dstLocal, const LocalTensor<U>& selMask, const LocalTensor<T>& src0Local,
                              T src1Local, SELMODE selMode, uint32_t calCount) {
  const char* api = "Select";
  if (selMode != SELMODE::VSEL_TENSOR_SCALAR_MODE)
    cann_cpu::fail(api, "a scalar src1 needs SELMODE::VSEL_TENSOR_SCALAR_MODE");
  cann_cpu::select_into(api, dstLocal, selMask, src0Local, selMode, calCount, [src1Local](uint32_t) { return src1Local; });
}

}  // namespace AscendC
