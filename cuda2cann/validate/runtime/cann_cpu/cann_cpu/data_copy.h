// DataCopy and DataCopyPad between GM and UB (pipes MTE2 and MTE3), with the hardware's rules:
// contiguous DataCopy moves whole 32-byte blocks only (a ragged length is rounded down), UB
// addresses are 32-byte aligned, DataCopyPad pads every burst to 32 bytes in UB.
#pragma once
#include "sync.h"

namespace AscendC {

struct DataCopyParams {
  __aicore__ DataCopyParams() {}
  __aicore__ DataCopyParams(const uint16_t count, const uint16_t len, const uint16_t srcStrideIn,
                            const uint16_t dstStrideIn)
      : blockCount(count), blockLen(len), srcStride(srcStrideIn), dstStride(dstStrideIn) {}
  uint16_t blockCount = 1;
  uint16_t blockLen = 0;
  uint16_t srcStride = 0;
  uint16_t dstStride = 0;
};

struct DataCopyExtParams {
  __aicore__ DataCopyExtParams() {}
  __aicore__ DataCopyExtParams(const uint16_t count, const uint32_t len, const uint32_t srcStrideIn,
                               const uint32_t dstStrideIn, const uint32_t rsvIn)
      : blockCount(count), blockLen(len), srcStride(srcStrideIn), dstStride(dstStrideIn), rsv(rsvIn) {}
  uint16_t blockCount = 1;
  uint32_t blockLen = 0;
  uint32_t srcStride = 0;
  uint32_t dstStride = 0;
  uint32_t rsv = 0;
};

struct DataCopyPadParams {
  __aicore__ DataCopyPadParams() {}
  __aicore__ DataCopyPadParams(const bool isPadValue, const uint8_t leftPadValue, const uint8_t rightPadValue,
                               const uint64_t padValue)
      : isPad(isPadValue), leftPadding(leftPadValue), rightPadding(rightPadValue), paddingValue(padValue) {}
  bool isPad = false;
  uint8_t leftPadding = 0;
  uint8_t rightPadding = 0;
  uint64_t paddingValue = 0;  // bit pattern; its low sizeof(T) bytes are used
};

template <typename T> struct DataCopyPadExtParams {
  __aicore__ DataCopyPadExtParams() {}
  __aicore__ DataCopyPadExtParams(const bool isPadValue, const uint8_t leftPadValue, const uint8_t rightPadValue,
                                  T padValue)
      : isPad(isPadValue), leftPadding(leftPadValue), rightPadding(rightPadValue), paddingValue(padValue) {}
  bool isPad = false;
  uint8_t leftPadding = 0;
  uint8_t rightPadding = 0;
  T paddingValue = 0;
};

}  // namespace AscendC

namespace cann_cpu {

// `count` bursts of `len` bytes; burst i sits at gm_off + i*gm_step in GM and ub_off + i*ub_step in UB.
struct Bursts {
  uint32_t count;
  uint64_t len;
  uint64_t gm_step;
  uint64_t ub_step;
  uint64_t ub_len;  // UB bytes one burst occupies (len, or len padded to 32 bytes)
  uint64_t ub_extent() const { return count ? (count - 1) * ub_step + ub_len : 0; }
};

template <typename T>
UbSpan copy_ub_span(const AscendC::LocalTensor<T>& t, const Bursts& b, const char* api, const char* role) {
  return Access::ub(t, (b.ub_extent() + sizeof(T) - 1) / sizeof(T), api, role);
}

// MTE2: GM bursts into UB; fill(ub, gm) lays out one burst's UB bytes from its GM bytes.
template <typename T, typename Fill>
void copy_in(const char* api, const AscendC::LocalTensor<T>& dst, const AscendC::GlobalTensor<T>& src, const Bursts& b,
             Fill fill) {
  if (b.count == 0 || b.len == 0) return;
  UbSpan d = copy_ub_span(dst, b, api, "dst");
  for (uint32_t i = 0; i < b.count; ++i) Access::check_gm(src, i * b.gm_step, b.len, false, api);
  Core& c = core();
  ++c.epoch[PIPE_MTE2];
  const uint8_t* g = reinterpret_cast<const uint8_t*>(Access::gm(src));
  for (uint32_t i = 0; i < b.count; ++i) fill(d.ptr + i * b.ub_step, g + i * b.gm_step);
  for (uint32_t i = 0; i < b.count; ++i) mark_write(static_cast<uint32_t>(d.off + i * b.ub_step), b.ub_len, kWriterMte2, api);
  counters().gm_to_ub_bytes += uint64_t(b.count) * b.len;
}

// MTE3: UB bursts out to GM.
template <typename T>
void copy_out(const char* api, const AscendC::GlobalTensor<T>& dst, const AscendC::LocalTensor<T>& src, const Bursts& b) {
  if (b.count == 0 || b.len == 0) return;
  UbSpan s = copy_ub_span(src, b, api, "src");
  for (uint32_t i = 0; i < b.count; ++i) Access::check_gm(dst, i * b.gm_step, b.len, true, api);
  for (uint32_t i = 0; i < b.count; ++i) check_read(static_cast<uint32_t>(s.off + i * b.ub_step), b.len, PIPE_MTE3, api, "src");
  Core& c = core();
  ++c.epoch[PIPE_MTE3];
  uint8_t* g = reinterpret_cast<uint8_t*>(Access::gm(dst));
  for (uint32_t i = 0; i < b.count; ++i) std::memcpy(g + i * b.gm_step, s.ptr + i * b.ub_step, b.len);
  counters().ub_to_gm_bytes += uint64_t(b.count) * b.len;
}

inline void check_burst_count(const char* api, uint32_t count) {
  if (count > 4095) fail(api, "blockCount " + std::to_string(count) + " out of range [0, 4095]");
}

template <typename T> void check_pad_params(const char* api, uint32_t count, uint64_t len, uint32_t left, uint32_t right) {
  check_burst_count(api, count);
  if (len > 2097151) fail(api, "blockLen " + std::to_string(len) + " bytes out of range [0, 2097151]");
  if (len % sizeof(T) != 0)
    fail(api, "blockLen " + std::to_string(len) + " bytes is not a multiple of the element size " + std::to_string(sizeof(T)));
  if (left * sizeof(T) > kBlockBytes || right * sizeof(T) > kBlockBytes)
    fail(api, "leftPadding/rightPadding of " + std::to_string(left) + "/" + std::to_string(right) +
                  " elements exceed 32 bytes");
}

// GM->UB DataCopyPad: each burst lands as [left pad][data][right pad][dummy up to 32 bytes].
// Without pads the dummy bytes repeat the burst's first element; with pads, pads and dummy take the
// pad value (isPad, else SetPadValue). What the hardware leaves undefined is garbage (0xFF bytes).
template <typename T>
void pad_copy_in(const char* api, const AscendC::LocalTensor<T>& dst, const AscendC::GlobalTensor<T>& src, uint32_t count,
                 uint64_t len, uint64_t src_gap, uint64_t dst_gap_blocks, uint32_t left, uint32_t right, bool is_pad,
                 uint64_t pad_bits) {
  check_pad_params<T>(api, count, len, left, right);
  const uint64_t lb = left * sizeof(T), rb = right * sizeof(T), ub_len = round_up(lb + len + rb, kBlockBytes);
  const Core& c = core();
  const bool have_value = is_pad || c.pad_value_set;
  if (!is_pad) pad_bits = c.pad_value_bits;
  Bursts b{count, len, len + src_gap, ub_len + dst_gap_blocks * kBlockBytes, ub_len};
  copy_in(api, dst, src, b, [&](uint8_t* u, const uint8_t* g) {
    auto put = [&](uint8_t* at, uint64_t bytes, const void* value) {
      for (uint64_t k = 0; k + sizeof(T) <= bytes; k += sizeof(T)) std::memcpy(at + k, value, sizeof(T));
    };
    std::memset(u, 0xFF, ub_len);
    std::memcpy(u + lb, g, len);
    if (left == 0 && right == 0) {
      put(u + len, ub_len - len, g);
    } else if (have_value) {
      put(u, lb, &pad_bits);
      put(u + lb + len, ub_len - lb - len, &pad_bits);
    }
  });
}

}  // namespace cann_cpu

namespace AscendC {

template <typename T>
__aicore__ inline void DataCopy(const LocalTensor<T>& dstLocal, const GlobalTensor<T>& srcGlobal, const uint32_t calCount) {
  const char* api = "DataCopy(GM->UB)";
  uint64_t bytes = uint64_t(calCount) * sizeof(T), whole = bytes / cann_cpu::kBlockBytes * cann_cpu::kBlockBytes;
  if (whole != bytes) ++cann_cpu::counters().datacopy_rounded_down;
  cann_cpu::copy_in(api, dstLocal, srcGlobal, {1, whole, 0, 0, whole},
                    [&](uint8_t* u, const uint8_t* g) { std::memcpy(u, g, whole); });
}

template <typename T>
__aicore__ inline void DataCopy(const GlobalTensor<T>& dstGlobal, const LocalTensor<T>& srcLocal, const uint32_t calCount) {
  uint64_t bytes = uint64_t(calCount) * sizeof(T), whole = bytes / cann_cpu::kBlockBytes * cann_cpu::kBlockBytes;
  if (whole != bytes) ++cann_cpu::counters().datacopy_rounded_down;
  cann_cpu::copy_out("DataCopy(UB->GM)", dstGlobal, srcLocal, {1, whole, 0, 0, whole});
}

// blockLen, srcStride and dstStride count 32-byte blocks on both sides.
template <typename T>
__aicore__ inline void DataCopy(const LocalTensor<T>& dstLocal, const GlobalTensor<T>& srcGlobal,
                                const DataCopyParams& repeatParams) {
  const char* api = "DataCopy(GM->UB)";
  cann_cpu::check_burst_count(api, repeatParams.blockCount);
  const uint64_t B = cann_cpu::kBlockBytes, len = repeatParams.blockLen * B;
  cann_cpu::copy_in(api, dstLocal, srcGlobal,
                    {repeatParams.blockCount, len, len + repeatParams.srcStride * B, len + repeatParams.dstStride * B, len},
                    [&](uint8_t* u, const uint8_t* g) { std::memcpy(u, g, len); });
}

template <typename T>
__aicore__ inline void DataCopy(const GlobalTensor<T>& dstGlobal, const LocalTensor<T>& srcLocal,
                                const DataCopyParams& repeatParams) {
  const char* api = "DataCopy(UB->GM)";
  cann_cpu::check_burst_count(api, repeatParams.blockCount);
  const uint64_t B = cann_cpu::kBlockBytes, len = repeatParams.blockLen * B;
  cann_cpu::copy_out(api, dstGlobal, srcLocal,
                     {repeatParams.blockCount, len, len + repeatParams.dstStride * B, len + repeatParams.srcStride * B, len});
}

// blockLen in bytes; GM->UB: srcStride in bytes (GM gap), dstStride in 32-byte blocks (UB gap).
template <typename T>
__aicore__ inline void DataCopyPad(const LocalTensor<T>& dstLocal, const GlobalTensor<T>& srcGlobal,
                                   const DataCopyExtParams& dataCopyParams, const DataCopyPadExtParams<T>& padParams) {
  uint64_t bits = 0;
  std::memcpy(&bits, &padParams.paddingValue, sizeof(T));
  cann_cpu::pad_copy_in("DataCopyPad(GM->UB)", dstLocal, srcGlobal, dataCopyParams.blockCount, dataCopyParams.blockLen,
                        dataCopyParams.srcStride, dataCopyParams.dstStride, padParams.leftPadding,
                        padParams.rightPadding, padParams.isPad, bits);
}

template <typename T>
__aicore__ inline void DataCopyPad(const LocalTensor<T>& dstLocal, const GlobalTensor<T>& srcGlobal,
                                   const DataCopyParams& dataCopyParams, const DataCopyPadParams& padParams) {
  cann_cpu::pad_copy_in("DataCopyPad(GM->UB)", dstLocal, srcGlobal, dataCopyParams.blockCount, dataCopyParams.blockLen,
                        dataCopyParams.srcStride, dataCopyParams.dstStride, padParams.leftPadding,
                        padParams.rightPadding, padParams.isPad, padParams.paddingValue);
}

// UB->GM: srcStride in 32-byte blocks (UB gap after each burst's 32-byte-padded length), dstStride in bytes.
template <typename T>
__aicore__ inline void DataCopyPad(const GlobalTensor<T>& dstGlobal, const LocalTensor<T>& srcLocal,
                                   const DataCopyExtParams& dataCopyParams) {
  const char* api = "DataCopyPad(UB->GM)";
  const uint64_t len = dataCopyParams.blockLen, ub_len = cann_cpu::round_up(len, cann_cpu::kBlockBytes);
  cann_cpu::check_pad_params<T>(api, dataCopyParams.blockCount, len, 0, 0);
  cann_cpu::copy_out(api, dstGlobal, srcLocal,
                     {dataCopyParams.blockCount, len, len + dataCopyParams.dstStride,
                      ub_len + uint64_t(dataCopyParams.srcStride) * cann_cpu::kBlockBytes, ub_len});
}

template <typename T>
__aicore__ inline void DataCopyPad(const GlobalTensor<T>& dstGlobal, const LocalTensor<T>& srcLocal,
                                   const DataCopyParams& dataCopyParams) {
  DataCopyPad(dstGlobal, srcLocal,
              DataCopyExtParams(dataCopyParams.blockCount, dataCopyParams.blockLen, dataCopyParams.srcStride,
                                dataCopyParams.dstStride, 0));
}

// The value DataCopyPad(GM->UB) pads with when its isPad is false.
template <typename T, TPosition pos = TPosition::MAX> __aicore__ inline void SetPadValue(T paddingValue) {
  cann_cpu::Core& c = cann_cpu::core();
  c.pad_value_bits = 0;
  std::memcpy(&c.pad_value_bits, &paddingValue, sizeof(T));
  c.pad_value_set = true;
}

}  // namespace AscendC
