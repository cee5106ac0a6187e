// TPipe, TQue and TBuf: UB allocation per SoC capacity, queue depth and buffer count, the buffer
// life cycle (AllocTensor -> EnQue -> DeQue -> FreeTensor) and the implicit events of EnQue/DeQue.
#pragma once
#include "tensor.h"

namespace cann_cpu {

// Carves `len` bytes (rounded up to 32) out of the core's UB and fills them with garbage (0xFF:
// NaN for half/float), so lanes a kernel never writes show up in its results.
inline uint32_t ub_alloc(uint32_t len, std::string_view api, const std::string& owner) {
  Core& c = core();
  const SocProfile& soc = *rt().soc;
  uint32_t need = round_up(len, kBlockBytes);
  if (len == 0) fail(api, owner + ": buffer length is 0");
  if (uint64_t(c.ub_used) + need > soc.ub_usable_bytes)
    fail(api, owner + " needs " + std::to_string(need) + " more bytes of UB but only " +
                  std::to_string(soc.ub_usable_bytes - c.ub_used) + " of the " + std::to_string(soc.ub_usable_bytes) +
                  " usable bytes of " + soc.name + " are left (UB " + std::to_string(soc.ub_bytes) + " bytes, " +
                  std::to_string(soc.ub_bytes - soc.ub_usable_bytes) + " of them reserved)");
  uint32_t off = c.ub_used;
  c.ub_used += need;
  std::memset(c.ub.data() + off, 0xFF, need);
  return off;
}

inline uint32_t add_slot(uint32_t start, uint32_t len, SlotState state, int queue, std::string name) {
  Core& c = core();
  Slot s;
  s.start = start;
  s.len = round_up(len, kBlockBytes);
  s.req = len;
  s.state = state;
  s.queue = queue;
  s.name = std::move(name);
  c.slots.push_back(std::move(s));
  return static_cast<uint32_t>(c.slots.size() - 1);
}

// Queue buffers still held: a leak at kernel end, and at TPipe::Reset/Destroy.
inline void check_leaks(std::string_view api) {
  const Core& c = core();
  for (const Slot& s : c.slots) {
    if (s.queue < 0 || s.state == SlotState::Free) continue;
    const char* how = s.state == SlotState::Queued ? "still queued (EnQue without DeQue and FreeTensor)"
                                                    : "still allocated (AllocTensor/DeQue without FreeTensor)";
    fail(api, s.name + " is " + how);
  }
}

inline void release_pipe_buffers() {
  Core& c = core();
  c.slots.clear();
  c.queues.clear();
  c.tbufs = 0;
  c.ub_used = 0;
  ++c.pipe_gen;
  std::memset(c.event_ids_used, 0, sizeof c.event_ids_used);
}

inline std::string event_api(const char* fn, AscendC::HardEvent e) {
  return std::string(fn) + "<HardEvent::" + event_name(e) + ">";
}

}  // namespace cann_cpu

namespace AscendC {

template <TPosition pos, int32_t depth, auto mask = 0> class TQue;
template <TPosition pos = TPosition::LCM> class TBuf;

class TPipe {
 public:
  __aicore__ inline TPipe() { cann_cpu::core().pipe = this; }
  __aicore__ inline ~TPipe() {
    if (cann_cpu::core().pipe == this) cann_cpu::core().pipe = nullptr;
  }
  TPipe(const TPipe&) = delete;
  TPipe& operator=(const TPipe&) = delete;

  template <class T> __aicore__ inline bool InitBuffer(T& que, uint8_t num, uint32_t len) {
    static_assert(T::kIsTQue, "cann-cpu: TPipe::InitBuffer(que, num, len) takes a TQue");
    return que.init(num, len);
  }
  template <TPosition pos> __aicore__ inline bool InitBuffer(TBuf<pos>& buf, uint32_t len) { return buf.init(len); }

  template <HardEvent evt> __aicore__ inline TEventID AllocEventID() {
    TEventID id = free_event_id(evt, "TPipe::AllocEventID");
    cann_cpu::core().event_ids_used[static_cast<int>(evt)] |= uint8_t(1u << id);
    return id;
  }
  template <HardEvent evt> __aicore__ inline void ReleaseEventID(TEventID id) {
    uint8_t& used = cann_cpu::core().event_ids_used[static_cast<int>(evt)];
    if (id < 0 || id >= cann_cpu::kEventIds || !(used & (1u << id)))
      cann_cpu::fail(cann_cpu::event_api("TPipe::ReleaseEventID", evt),
                     "event ID " + std::to_string(id) + " is not allocated");
    used = uint8_t(used & ~(1u << id));
  }
  template <HardEvent evt> __aicore__ inline TEventID FetchEventID() { return FetchEventID(evt); }
  // FetchEventID takes no ID, it names the lowest one AllocEventID has not taken.
  __aicore__ inline TEventID FetchEventID(HardEvent evt) { return free_event_id(evt, "TPipe::FetchEventID"); }
  __aicore__ inline void Reset() {
    cann_cpu::check_leaks("TPipe::Reset");
    cann_cpu::release_pipe_buffers();
  }
  __aicore__ inline void Destroy() {
    cann_cpu::check_leaks("TPipe::Destroy");
    cann_cpu::release_pipe_buffers();
  }

 private:
  TEventID free_event_id(HardEvent evt, const char* api) {
    uint8_t used = cann_cpu::core().event_ids_used[static_cast<int>(evt)];
    for (int id = 0; id < cann_cpu::kEventIds; ++id)
      if (!(used & (1u << id))) return static_cast<TEventID>(id);
    cann_cpu::fail(cann_cpu::event_api(api, evt), "all 8 event IDs are allocated");
  }
};

template <TPosition pos, int32_t depth, auto mask> class TQue {
  static_assert(depth >= 1, "cann-cpu: TQue depth must be at least 1");

 public:
  static constexpr bool kIsTQue = true;
  __aicore__ inline TQue() = default;

  template <typename T> __aicore__ inline LocalTensor<T> AllocTensor() {
    cann_cpu::Core& c = cann_cpu::core();
    cann_cpu::QueueRec& q = rec("AllocTensor");
    for (uint32_t s : q.slots) {
      cann_cpu::Slot& slot = c.slots[s];
      if (slot.state != cann_cpu::SlotState::Free) continue;
      slot.state = cann_cpu::SlotState::Allocated;
      return cann_cpu::Access::make_local<T>(s, slot.start, slot.req / sizeof(T));
    }
    cann_cpu::fail("AllocTensor", "all " + std::to_string(q.slots.size()) + " buffers of " + q.name +
                                      " are in use (InitBuffer num=" + std::to_string(q.slots.size()) +
                                      "); FreeTensor one first");
  }

  template <typename T> __aicore__ inline bool EnQue(const LocalTensor<T>& tensor) {
    cann_cpu::Core& c = cann_cpu::core();
    cann_cpu::QueueRec& q = rec("EnQue");
    uint32_t s = own(tensor, q, "EnQue");
    cann_cpu::Slot& slot = c.slots[s];
    if (slot.state == cann_cpu::SlotState::Queued) cann_cpu::fail("EnQue", slot.name + " is already queued");
    if (q.fifo.size() >= static_cast<size_t>(depth))
      cann_cpu::fail("EnQue", "depth " + std::to_string(depth) + " of " + q.name + " exceeded: " +
                                  std::to_string(q.fifo.size()) + " tensors are already queued (DeQue one first)");
    // EnQue sets the queue's event: it covers every instruction issued so far on the producer pipe.
    q.fifo.emplace_back(s, q.src_pipe >= 0 ? cann_cpu::capture(c, q.src_pipe) : cann_cpu::Clock{});
    slot.state = cann_cpu::SlotState::Queued;
    return true;
  }

  template <typename T> __aicore__ inline LocalTensor<T> DeQue() {
    cann_cpu::Core& c = cann_cpu::core();
    cann_cpu::QueueRec& q = rec("DeQue");
    if (q.fifo.empty()) cann_cpu::fail("DeQue", q.name + " is empty (DeQue without a matching EnQue)");
    auto [s, seen] = q.fifo.front();
    q.fifo.pop_front();
    // DeQue waits for that event: the consumer pipe now sees the producer's writes up to EnQue.
    // The event is MTE2_V or V_MTE3: a SetValue the producer pipe had not synchronised with (S_V)
    // stays unpublished, as on the hardware.
    if (q.src_pipe >= 0) cann_cpu::publish(c, seen, q.dst_pipe);
    cann_cpu::Slot& slot = c.slots[s];
    slot.state = cann_cpu::SlotState::Dequeued;
    return cann_cpu::Access::make_local<T>(s, slot.start, slot.req / sizeof(T));
  }

  template <typename T> __aicore__ inline void FreeTensor(LocalTensor<T>& tensor) {
    cann_cpu::Core& c = cann_cpu::core();
    cann_cpu::QueueRec& q = rec("FreeTensor");
    uint32_t s = cann_cpu::Access::slot(tensor);
    if (s == cann_cpu::kNoSlot) cann_cpu::fail("FreeTensor", "tensor was never allocated");
    if (cann_cpu::Access::freed(tensor))
      cann_cpu::fail("FreeTensor", "double free: the buffer of this tensor (" + c.slots[s].name +
                                       ") was already freed");
    s = own(tensor, q, "FreeTensor");
    cann_cpu::Slot& slot = c.slots[s];
    if (slot.state == cann_cpu::SlotState::Queued)
      cann_cpu::fail("FreeTensor", slot.name + " is still queued (EnQue without DeQue)");
    slot.state = cann_cpu::SlotState::Free;
    ++slot.gen;
  }

 private:
  friend class TPipe;
  bool init(uint8_t num, uint32_t len) {
    cann_cpu::Core& c = cann_cpu::core();
    if (qid_ >= 0 && pipe_gen_ == c.pipe_gen) cann_cpu::fail("TPipe::InitBuffer", "queue initialised twice");
    if (num == 0) cann_cpu::fail("TPipe::InitBuffer", "a TQue needs at least one buffer (num=0)");
    cann_cpu::QueueRec q;
    q.name = std::string("TQue<") + cann_cpu::position_name(pos) + ", " + std::to_string(depth) + "> #" +
             std::to_string(c.queues.size());
    q.depth = depth;
    if constexpr (pos == TPosition::VECIN) {
      q.src_pipe = PIPE_MTE2;
      q.dst_pipe = PIPE_V;
    } else if constexpr (pos == TPosition::VECOUT) {
      q.src_pipe = PIPE_V;
      q.dst_pipe = PIPE_MTE3;
    }
    for (int i = 0; i < num; ++i) {
      std::string owner = "buffer " + std::to_string(i) + " of " + q.name;
      uint32_t start = cann_cpu::ub_alloc(len, "TPipe::InitBuffer", owner);
      q.slots.push_back(
          cann_cpu::add_slot(start, len, cann_cpu::SlotState::Free, static_cast<int>(c.queues.size()), owner));
    }
    c.queues.push_back(std::move(q));
    qid_ = static_cast<int>(c.queues.size() - 1);
    pipe_gen_ = c.pipe_gen;
    return true;
  }
  cann_cpu::QueueRec& rec(const char* api) {
    cann_cpu::Core& c = cann_cpu::core();
    if (qid_ < 0 || pipe_gen_ != c.pipe_gen)
      cann_cpu::fail(api, std::string("TQue<") + cann_cpu::position_name(pos) +
                              "> used before TPipe::InitBuffer (or after TPipe::Reset/Destroy)");
    return c.queues[qid_];
  }
  // The buffer of `tensor`, which must be live and belong to this queue.
  template <typename T> uint32_t own(const LocalTensor<T>& tensor, const cann_cpu::QueueRec& q, const char* api) {
    cann_cpu::Access::live_slot(tensor, api, "tensor");
    uint32_t s = cann_cpu::Access::slot(tensor);
    const cann_cpu::Core& c = cann_cpu::core();
    if (c.slots[s].queue != qid_) cann_cpu::fail(api, "tensor is " + c.slots[s].name + ", not a buffer of " + q.name);
    return s;
  }
  int qid_ = -1;
  uint32_t pipe_gen_ = 0;
};

template <TPosition pos> class TBuf {
 public:
  __aicore__ inline TBuf() = default;
  template <typename T> __aicore__ inline LocalTensor<T> Get() {
    return Get<T>(slot("TBuf::Get").req / sizeof(T));
  }
  template <typename T> __aicore__ inline LocalTensor<T> Get(uint32_t len) { return GetWithOffset<T>(len, 0); }
  // `size` elements starting `bufOffset` bytes into the buffer.
  template <typename T> __aicore__ inline LocalTensor<T> GetWithOffset(uint32_t size, uint32_t bufOffset) {
    const cann_cpu::Slot& s = slot("TBuf::Get");
    if (uint64_t(bufOffset) + uint64_t(size) * sizeof(T) > s.len)
      cann_cpu::fail("TBuf::Get", std::to_string(size) + " elements of " + std::to_string(sizeof(T)) +
                                      " bytes at byte offset " + std::to_string(bufOffset) + " exceed " + s.name +
                                      " (" + std::to_string(s.len) + " bytes)");
    return cann_cpu::Access::make_local<T>(slot_, s.start + bufOffset, size);
  }

 private:
  friend class TPipe;
  bool init(uint32_t len) {
    cann_cpu::Core& c = cann_cpu::core();
    if (slot_ != cann_cpu::kNoSlot && pipe_gen_ == c.pipe_gen)
      cann_cpu::fail("TPipe::InitBuffer", "TBuf initialised twice");
    std::string name = std::string("TBuf<") + cann_cpu::position_name(pos) + "> #" + std::to_string(c.tbufs++);
    uint32_t start = cann_cpu::ub_alloc(len, "TPipe::InitBuffer", name);
    slot_ = cann_cpu::add_slot(start, len, cann_cpu::SlotState::Fixed, -1, name);
    pipe_gen_ = c.pipe_gen;
    return true;
  }
  const cann_cpu::Slot& slot(const char* api) const {
    const cann_cpu::Core& c = cann_cpu::core();
    if (slot_ == cann_cpu::kNoSlot || pipe_gen_ != c.pipe_gen)
      cann_cpu::fail(api, "TBuf used before TPipe::InitBuffer (or after TPipe::Reset/Destroy)");
    return c.slots[slot_];
  }
  uint32_t slot_ = cann_cpu::kNoSlot;
  uint32_t pipe_gen_ = 0;
};

}  // namespace AscendC

__aicore__ inline AscendC::TPipe* GetTPipePtr() {
  AscendC::TPipe* p = cann_cpu::core().pipe;
  if (!p) cann_cpu::fail("GetTPipePtr", "no TPipe object exists");
  return p;
}
