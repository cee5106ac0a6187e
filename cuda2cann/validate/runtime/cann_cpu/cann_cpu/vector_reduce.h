// Reductions: ReduceSum/ReduceMax/ReduceMin (count forms) and the
// repeat forms WholeReduceSum (one sum per 256-byte repeat) and BlockReduceSum (one per 32-byte
// block). Sums are taken in double and rounded once to the element type.
#pragma once
#include "vector_ops.h"

namespace cann_cpu {

template <typename T> constexpr uint32_t kPerBlock = kBlockBytes / sizeof(T);
template <typename T> constexpr uint32_t kPerRepeat = kRepeatBytes / sizeof(T);

inline uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

// Elements of sharedTmpBuffer ReduceMax/ReduceMin need on A2 (ReduceMax.md, "sharedTmpBuffer所需空间").
template <typename T> uint64_t reduce_minmax_work(uint64_t count, bool index) {
  const uint64_t epb = kPerBlock<T>, epr = kPerRepeat<T>;
  uint64_t it1 = ceil_div(count, epr) * 2;
  if (!index) return ceil_div(it1, epb) * epb;
  uint64_t it2_start = ceil_div(it1, epb) * epb, it2 = ceil_div(it1, epr) * 2, it2_end = ceil_div(it2, epb) * epb;
  if (it2 <= 2) return it2_start + it2_end;
  uint64_t it3 = ceil_div(it2, epr) * 2;
  return it2_start + it2_end + ceil_div(it3, epb) * epb;
}

// The work buffer holds intermediate results afterwards: garbage, as far as the kernel knows.
template <typename T> void clobber_work(const AscendC::LocalTensor<T>& work, uint64_t elements, const char* api) {
  UbSpan w = Access::ub(work, elements, api, "work");
  std::memset(w.ptr, 0xFF, w.bytes);
  mark_write(w.off, w.bytes, kWriterV, api);
}

template <typename T>
void reduce_minmax(const char* api, bool is_max, const AscendC::LocalTensor<T>& dst, const AscendC::LocalTensor<T>& src,
                   const AscendC::LocalTensor<T>& work, int32_t count, bool index) {
  static_assert(one_of<T, half, float>, "cann-cpu: ReduceMax/ReduceMin support half, float on Ascend A2");
  if (!check_count(api, count)) return;
  if (std::is_same_v<T, half> && index && count > 65536)
    fail(api, "half inputs return indices up to 65535 only (count " + std::to_string(count) + ")");
  const T* a = vec_in(src, count, api, "src");
  UbSpan d = Access::ub(dst, index ? 2 : 1, api, "dst", sizeof(T));
  ++core().epoch[PIPE_V];
  clobber_work(work, reduce_minmax_work<T>(count, index), api);
  int32_t best = 0;
  for (int32_t i = 1; i < count; ++i)
    if (is_max ? to_calc(a[i]) > to_calc(a[best]) : to_calc(a[i]) < to_calc(a[best])) best = i;
  T* o = reinterpret_cast<T*>(d.ptr);
  o[0] = a[best];
  if (index) {  // the index's bits, stored in an element of type T
    using Bits = std::conditional_t<sizeof(T) == 2, uint16_t, uint32_t>;
    Bits bits = static_cast<Bits>(best);
    std::memcpy(&o[1], &bits, sizeof bits);
  }
  mark_write(d.off, d.bytes, kWriterV, api);
  count_vector(api, uint64_t(count) * sizeof(T));
}

// Sum of element indices [first, last) of repeat r, the repeat's 8 blocks `blk_stride` blocks
// apart and repeats `rep_stride` blocks apart.
template <typename T>
double strided_sum(const uint8_t* base, int32_t r, uint32_t first, uint32_t last, int32_t blk_stride, int32_t rep_stride) {
  double s = 0;
  for (uint32_t i = first; i < last; ++i) {
    uint64_t off = (uint64_t(r) * rep_stride + uint64_t(i / kPerBlock<T>) * blk_stride) * kBlockBytes +
                   (i % kPerBlock<T>) * sizeof(T);
    T v;
    std::memcpy(&v, base + off, sizeof(T));
    s += static_cast<double>(to_calc(v));
  }
  return s;
}

// Checks the source blocks a repeat-form reduction reads: `blocks` per repeat.
template <typename T>
const uint8_t* repeat_src(const char* api, const AscendC::LocalTensor<T>& src, int32_t repeats, uint32_t blocks,
                          int32_t blk_stride, int32_t rep_stride) {
  if (blk_stride < 0 || rep_stride < 0) fail(api, "negative stride");
  uint64_t end = ((uint64_t(repeats) - 1) * rep_stride + (blocks - 1) * uint64_t(blk_stride)) * kBlockBytes + kBlockBytes;
  UbSpan s = Access::ub(src, end / sizeof(T), api, "src");
  for (int32_t r = 0; r < repeats; ++r)
    for (uint32_t j = 0; j < blocks; ++j)
      check_read(static_cast<uint32_t>(s.off + (uint64_t(r) * rep_stride + uint64_t(j) * blk_stride) * kBlockBytes),
                 kBlockBytes, PIPE_V, api, "src");
  return s.ptr;
}

inline void check_repeat_args(const char* api, int32_t mask, int32_t max_mask, int32_t repeats, int32_t dst_stride) {
  if (mask < 0 || mask > max_mask) fail(api, "mask " + std::to_string(mask) + " out of range [0, " + std::to_string(max_mask) + "]");
  if (repeats < 0 || repeats > 255) fail(api, "repeatTimes " + std::to_string(repeats) + " out of range [0, 255]");
  if (dst_stride < 0) fail(api, "negative dstRepStride");
}

}  // namespace cann_cpu

namespace AscendC {

// The A2 count form sums repeat by repeat and leaves workLocal unused (ReduceSum.md, method one).
template <typename T, bool isSetMask = true>
__aicore__ inline void ReduceSum(const LocalTensor<T>& dstLocal, const LocalTensor<T>& srcLocal,
                                 const LocalTensor<T>& /*workLocal*/, const int32_t count) {
  static_assert(cann_cpu::kFloat<T>, "cann-cpu: ReduceSum supports half, float on Ascend A2");
  const char* api = "ReduceSum";
  if (!cann_cpu::check_count(api, count)) return;
  const T* a = cann_cpu::vec_in(srcLocal, count, api, "src");
  cann_cpu::UbSpan d = cann_cpu::Access::ub(dstLocal, 1, api, "dst", sizeof(T));
  ++cann_cpu::core().epoch[PIPE_V];
  double s = 0;
  for (int32_t i = 0; i < count; ++i) s += static_cast<double>(cann_cpu::to_calc(a[i]));
  *reinterpret_cast<T*>(d.ptr) = cann_cpu::from_calc<T>(s);
  cann_cpu::mark_write(d.off, d.bytes, cann_cpu::kWriterV, api);
  cann_cpu::count_vector(api, uint64_t(count) * sizeof(T));
}

// dst[0] = maximum; with calIndex dst[1] holds the bits of its (first) index.
template <typename T>
__aicore__ inline void ReduceMax(const LocalTensor<T>& dstLocal, const LocalTensor<T>& srcLocal,
                                 const LocalTensor<T>& workLocal, const int32_t count, bool calIndex = 0) {
  cann_cpu::reduce_minmax("ReduceMax", true, dstLocal, srcLocal, workLocal, count, calIndex);
}

template <typename T>
__aicore__ inline void ReduceMin(const LocalTensor<T>& dstLocal, const LocalTensor<T>& srcLocal,
                                 const LocalTensor<T>& workLocal, const int32_t count, bool calIndex = 0) {
  cann_cpu::reduce_minmax("ReduceMin", false, dstLocal, srcLocal, workLocal, count, calIndex);
}

// dst[r * dstRepStride] = sum of the first `mask` elements of repeat r.
template <typename T, bool isSetMask = true>
__aicore__ inline void WholeReduceSum(const LocalTensor<T>& dstLocal, const LocalTensor<T>& srcLocal, const int32_t mask,
                                      const int32_t repeatTimes, const int32_t dstRepStride, const int32_t srcBlkStride,
                                      const int32_t srcRepStride) {
  static_assert(cann_cpu::kFloat<T>, "cann-cpu: WholeReduceSum supports half, float on Ascend A2");
  const char* api = "WholeReduceSum";
  const uint32_t epb = cann_cpu::kPerBlock<T>;
  cann_cpu::check_repeat_args(api, mask, cann_cpu::kPerRepeat<T>, repeatTimes, dstRepStride);
  if (mask == 0 || repeatTimes == 0) return;
  const uint8_t* src = cann_cpu::repeat_src(api, srcLocal, repeatTimes, (mask + epb - 1) / epb, srcBlkStride, srcRepStride);
  cann_cpu::UbSpan d = cann_cpu::Access::ub(dstLocal, uint64_t(repeatTimes - 1) * dstRepStride + 1, api, "dst", sizeof(T));
  ++cann_cpu::core().epoch[PIPE_V];
  T* o = reinterpret_cast<T*>(d.ptr);
  for (int32_t r = 0; r < repeatTimes; ++r) {
    o[uint64_t(r) * dstRepStride] = cann_cpu::from_calc<T>(cann_cpu::strided_sum<T>(src, r, 0, mask, srcBlkStride, srcRepStride));
    cann_cpu::mark_write(static_cast<uint32_t>(d.off + uint64_t(r) * dstRepStride * sizeof(T)), sizeof(T), cann_cpu::kWriterV, api);
  }
  cann_cpu::count_vector(api, repeatTimes, true);
}

// dst[r * dstRepStride * 8 + j] = sum of the masked elements of block j of repeat r; blocks without
// masked elements are left untouched (A2 behaviour).
template <typename T, bool isSetMask = true>
__aicore__ inline void BlockReduceSum(const LocalTensor<T>& dstLocal, const LocalTensor<T>& srcLocal, const int32_t repeat,
                                      const int32_t mask, const int32_t dstRepStride, const int32_t srcBlkStride,
                                      const int32_t srcRepStride) {
  static_assert(cann_cpu::kFloat<T>, "cann-cpu: BlockReduceSum supports half, float on Ascend A2");
  const char* api = "BlockReduceSum";
  const uint32_t epb = cann_cpu::kPerBlock<T>, blocks = (mask + epb - 1) / epb;
  cann_cpu::check_repeat_args(api, mask, cann_cpu::kPerRepeat<T>, repeat, dstRepStride);
  if (mask == 0 || repeat == 0) return;
  const uint8_t* src = cann_cpu::repeat_src(api, srcLocal, repeat, blocks, srcBlkStride, srcRepStride);
  cann_cpu::UbSpan d =
      cann_cpu::Access::ub(dstLocal, uint64_t(repeat - 1) * dstRepStride * 8 + blocks, api, "dst", 8 * sizeof(T));
  ++cann_cpu::core().epoch[PIPE_V];
  T* o = reinterpret_cast<T*>(d.ptr);
  for (int32_t r = 0; r < repeat; ++r) {
    uint64_t at = uint64_t(r) * dstRepStride * 8;
    for (uint32_t j = 0; j < blocks; ++j)
      o[at + j] = cann_cpu::from_calc<T>(cann_cpu::strided_sum<T>(
          src, r, j * epb, std::min<uint32_t>((j + 1) * epb, mask), srcBlkStride, srcRepStride));
    cann_cpu::mark_write(static_cast<uint32_t>(d.off + at * sizeof(T)), blocks * sizeof(T), cann_cpu::kWriterV, api);
  }
  cann_cpu::count_vector(api, repeat, true);
}

}  // namespace AscendC
