// GlobalTensor (GM) and LocalTensor (UB views of TPipe buffers), with the checks every API that
// touches them shares: GM bounds, tensor liveness, UB alignment and buffer bounds.
#pragma once
#include "core.h"

namespace cann_cpu {

constexpr uint32_t kNoSlot = 0xFFFFFFFFu;
struct Access;

// Resolved UB operand of one API call.
struct UbSpan {
  uint8_t* ptr;
  uint32_t off;  // UB byte offset
  uint64_t bytes;
};

}  // namespace cann_cpu

namespace AscendC {

template <typename T> class GlobalTensor {
 public:
  using PrimType = T;
  __aicore__ inline GlobalTensor() {}
  __aicore__ inline void SetGlobalBuffer(__gm__ T* buffer, uint64_t bufferSize) {
    addr_ = base_ = buffer;
    size_ = bufferSize;
  }
  // Keeps the previous size, as the real API does; 0 means "bounded by the GM region only".
  __aicore__ inline void SetGlobalBuffer(__gm__ T* buffer) { addr_ = base_ = buffer; }
  __aicore__ inline const __gm__ T* GetPhyAddr() const { return addr_; }
  __aicore__ inline __gm__ T* GetPhyAddr(const uint64_t offset) const { return addr_ + offset; }
  __aicore__ inline T GetValue(const uint64_t offset) const {
    check_scalar(offset, false, "GlobalTensor::GetValue");
    ++cann_cpu::counters().scalar_gm_reads;
    T v;
    std::memcpy(&v, addr_ + offset, sizeof(T));
    return v;
  }
  __aicore__ inline void SetValue(const uint64_t offset, T value) {
    check_scalar(offset, true, "GlobalTensor::SetValue");
    ++cann_cpu::counters().scalar_gm_writes;
    std::memcpy(addr_ + offset, &value, sizeof(T));
  }
  // Like the real API, a sub-tensor keeps the size given to SetGlobalBuffer.
  __aicore__ inline uint64_t GetSize() const { return size_; }
  __aicore__ inline GlobalTensor operator[](const uint64_t offset) const {
    GlobalTensor t = *this;
    t.addr_ += offset;
    return t;
  }

 private:
  friend struct cann_cpu::Access;
  void check_scalar(uint64_t offset, bool write, const char* api) const {
    cann_cpu::check_gm(base_, addr_ + offset, sizeof(T), write, api);
    check_size(offset, 1, write, api);
  }
  // Elements [first, first+n) from this tensor's address must lie inside the size given to
  // SetGlobalBuffer (when one was given).
  void check_size(uint64_t first, uint64_t n, bool write, std::string_view api) const {
    if (size_ == 0 || n == 0) return;
    int64_t el = addr_ + first - base_;
    if (el < 0 || static_cast<uint64_t>(el) + n > size_)
      cann_cpu::fail(api, std::string(write ? "write" : "read") + " of elements [" + std::to_string(el) + ", " +
                              std::to_string(el + static_cast<int64_t>(n)) +
                              ") is outside the GlobalTensor's buffer of " + std::to_string(size_) +
                              " elements (size given to SetGlobalBuffer)");
  }
  T* addr_ = nullptr;
  T* base_ = nullptr;
  uint64_t size_ = 0;
};

template <typename T> class LocalTensor {
 public:
  using PrimType = T;
  __aicore__ inline LocalTensor() {}
  // Host pointer into the simulated UB (the CPU-debug form of the real API returns a pointer too).
  __aicore__ inline T* GetPhyAddr() const { return reinterpret_cast<T*>(cann_cpu::core().ub.data() + off_); }
  __aicore__ inline T* GetPhyAddr(const uint32_t offset) const { return GetPhyAddr() + offset; }
  // Scalar load and store on pipe S: what they touch must have been synchronised with S.
  __aicore__ inline T GetValue(const uint32_t index) const {
    T v;
    std::memcpy(&v, scalar_access(index, false), sizeof(T));
    return v;
  }
  template <typename T1> __aicore__ inline void SetValue(const uint32_t index, const T1 value) const {
    T v = static_cast<T>(value);
    std::memcpy(scalar_access(index, true), &v, sizeof(T));
  }
  __aicore__ inline LocalTensor operator[](const uint32_t offset) const {
    LocalTensor t = *this;
    t.off_ += offset * static_cast<uint32_t>(sizeof(T));
    t.size_ = offset <= size_ ? size_ - offset : 0;
    return t;
  }
  template <typename U> __aicore__ inline LocalTensor<U> ReinterpretCast() const {
    LocalTensor<U> t;
    t.slot_ = slot_;
    t.gen_ = gen_;
    t.pipe_gen_ = pipe_gen_;
    t.off_ = off_;
    t.size_ = static_cast<uint32_t>(uint64_t(size_) * sizeof(T) / sizeof(U));
    return t;
  }
  __aicore__ inline uint32_t GetSize() const { return size_; }

 private:
  template <typename U> friend class LocalTensor;
  friend struct cann_cpu::Access;
  uint8_t* scalar_access(uint32_t index, bool write) const;
  uint32_t slot_ = cann_cpu::kNoSlot;
  uint32_t gen_ = 0;
  uint32_t pipe_gen_ = 0;
  uint32_t off_ = 0;   // UB byte offset
  uint32_t size_ = 0;  // elements
};

}  // namespace AscendC

namespace cann_cpu {

// The runtime's view of tensor internals.
struct Access {
  template <typename T>
  static AscendC::LocalTensor<T> make_local(uint32_t slot, uint32_t off, uint32_t elements) {
    AscendC::LocalTensor<T> t;
    const Core& c = core();
    t.slot_ = slot;
    t.gen_ = c.slots[slot].gen;
    t.pipe_gen_ = c.pipe_gen;
    t.off_ = off;
    t.size_ = elements;
    return t;
  }
  template <typename T> static uint32_t slot(const AscendC::LocalTensor<T>& t) { return t.slot_; }
  // True when `t` is a tensor of this pipe whose buffer was freed since `t` was made.
  template <typename T> static bool freed(const AscendC::LocalTensor<T>& t) {
    const Core& c = core();
    if (t.slot_ >= c.slots.size() || t.pipe_gen_ != c.pipe_gen) return false;
    const Slot& s = c.slots[t.slot_];
    return s.gen != t.gen_ || s.state == SlotState::Free;
  }

  // The live buffer behind `t`; a tensor of a freed or released buffer is an error.
  template <typename T> static const Slot& live_slot(const AscendC::LocalTensor<T>& t, std::string_view api, const char* role) {
    const Core& c = core();
    if (t.slot_ == kNoSlot)
      fail(api, std::string(role) + " tensor was never allocated (default-constructed LocalTensor)");
    if (t.pipe_gen_ != c.pipe_gen || t.slot_ >= c.slots.size())
      fail(api, std::string(role) + " tensor belongs to a buffer released by TPipe::Reset/Destroy");
    const Slot& s = c.slots[t.slot_];
    if (s.gen != t.gen_ || s.state == SlotState::Free)
      fail(api, std::string(role) + " tensor used after FreeTensor (" + s.name + ")");
    return s;
  }

  // UB operand of `count` elements of `t`: live, `align`-byte aligned and inside its buffer.
  template <typename T>
  static UbSpan ub(const AscendC::LocalTensor<T>& t, uint64_t count, std::string_view api, const char* role,
                   uint32_t align = kBlockBytes) {
    const Slot& s = live_slot(t, api, role);
    uint64_t bytes = count * sizeof(T);
    if (t.off_ % align != 0)
      fail(api, std::string(role) + " address UB " + hex(t.off_) + " is not " + std::to_string(align) +
                    "-byte aligned (offset " + std::to_string(t.off_ - s.start) + " bytes into " + s.name + ")");
    if (t.off_ < s.start || t.off_ + bytes > uint64_t(s.start) + s.len)
      fail(api, std::string(role) + " of " + std::to_string(count) + " elements (" + std::to_string(bytes) +
                    " bytes) at UB " + hex(t.off_) + " runs past the end of " + s.name + " (UB [" + hex(s.start) +
                    ", " + hex(s.start + s.len) + "), " + std::to_string(s.len) + " bytes)");
    return {core().ub.data() + t.off_, t.off_, bytes};
  }

  template <typename T> static T* gm(const AscendC::GlobalTensor<T>& t) { return t.addr_; }
  template <typename T>
  static void check_gm(const AscendC::GlobalTensor<T>& t, uint64_t byte_off, uint64_t bytes, bool write,
                       std::string_view api) {
    cann_cpu::check_gm(t.base_, reinterpret_cast<const uint8_t*>(t.addr_) + byte_off, bytes, write, api);
    // Copy parameters count bytes; the elements they touch are checked against SetGlobalBuffer.
    t.check_size(byte_off / sizeof(T), (byte_off % sizeof(T) + bytes + sizeof(T) - 1) / sizeof(T), write, api);
  }
};

}  // namespace cann_cpu

// GetValue is a read by the scalar pipe S, SetValue a write by it. Either way the element's 32-byte
// UB block must not hold a write by MTE2 or V that S has not synchronised with (MTE2_S, V_S or
// PipeBarrier<PIPE_ALL>): the load would see stale data, the store could be overwritten by the
// pending write. A SetValue is then a write by S that V and MTE3 may read only after S_V / S_MTE3.
template <typename T>
uint8_t* AscendC::LocalTensor<T>::scalar_access(uint32_t index, bool write) const {
  const char* api = write ? "LocalTensor::SetValue" : "LocalTensor::GetValue";
  cann_cpu::UbSpan s = cann_cpu::Access::ub((*this)[index], 1, api, "tensor", sizeof(T));
  cann_cpu::Unsynced u = cann_cpu::find_unsynced(s.off, s.bytes, PIPE_S);
  if (u.writer >= 0)
    cann_cpu::fail_unsynced(u, PIPE_S, api, "element " + std::to_string(index), write ? "overwrites" : "reads");
  if (write) {
    ++cann_cpu::core().epoch[PIPE_S];
    cann_cpu::mark_write(s.off, s.bytes, cann_cpu::kWriterS, api);
  }
  return s.ptr;
}
