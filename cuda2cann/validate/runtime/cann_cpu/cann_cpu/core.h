// cann-cpu core: qualifiers, scalar types, the enums of the AscendC API subset (spelled as in the
// CANN 8.1 headers), SoC profiles, and the per-core state every other header checks against.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "c2c_float16.h"

// Device qualifiers are empty on the host, as in CANN's CPU-debug stubs (stub_def.h).
#define __global__
#define __aicore__
#define __gm__
#define __ubuf__
#define GM_ADDR __gm__ uint8_t*
// Kernel sources keep their host-side launch code under #ifndef ASCENDC_CPU_DEBUG (or the older
// __CCE_KT_TEST__); cann-cpu is a CPU-debug build, so both are defined.
#ifndef ASCENDC_CPU_DEBUG
#define ASCENDC_CPU_DEBUG 1
#endif
#ifndef __CCE_KT_TEST__
#define __CCE_KT_TEST__ 1
#endif
// Compile-time architecture is the A2/A3 family (dav-c220); set_soc only changes capacities.
#ifndef __CCE_AICORE__
#define __CCE_AICORE__ 220
#endif
// Every cann-cpu core is a vector core (AIV).
#define ASCEND_IS_AIV (true)
#define ASCEND_IS_AIC (false)

using half = c2c::float16;
using bfloat16_t = c2c::bfloat16;

typedef enum {
  PIPE_S = 0, PIPE_V, PIPE_M, PIPE_MTE1, PIPE_MTE2, PIPE_MTE3, PIPE_ALL,
  PIPE_MTE4 = 7, PIPE_MTE5 = 8, PIPE_V2 = 9, PIPE_FIX = 10,
} pipe_t;

typedef enum {
  EVENT_ID0 = 0, EVENT_ID1, EVENT_ID2, EVENT_ID3, EVENT_ID4, EVENT_ID5, EVENT_ID6, EVENT_ID7,
} event_t;

namespace AscendC {

enum class TPosition : uint8_t {
  GM, A1, A2, B1, B2, C1, C2, CO1, CO2, VECIN, VECOUT, VECCALC, LCM = VECCALC, SPM, SHM = SPM, TSCM,
  C2PIPE2GM, C2PIPE2LOCAL, MAX,
};
using QuePosition = TPosition;

enum class HardEvent : uint8_t {
  MTE2_MTE1, MTE1_MTE2, MTE1_M, M_MTE1, MTE2_V, V_MTE2, MTE3_V, V_MTE3, M_V, V_M, V_V, MTE3_MTE1, MTE1_MTE3,
  MTE1_V, MTE2_M, M_MTE2, V_MTE1, M_FIX, FIX_M, MTE3_MTE2, MTE2_MTE3, S_V, V_S, S_MTE2, MTE2_S, S_MTE3, MTE3_S,
  MTE2_FIX, FIX_MTE2, FIX_S, M_S, FIX_MTE3, MTE1_FIX, FIX_MTE1, FIX_FIX, MAX,
};

using TEventID = int8_t;

enum class RoundMode : uint8_t { CAST_NONE = 0, CAST_RINT, CAST_FLOOR, CAST_CEIL, CAST_ROUND, CAST_TRUNC, CAST_ODD };
enum class CMPMODE : uint8_t { LT = 0, GT, EQ, LE, GE, NE };
enum class SELMODE : uint8_t { VSEL_CMPMASK_SPR = 0, VSEL_TENSOR_SCALAR_MODE, VSEL_TENSOR_TENSOR_MODE };

class TPipe;
template <typename T> class LocalTensor;

}  // namespace AscendC

namespace cann_cpu {

// Thrown by every check; cann_cpu::launch turns it into a failed LaunchResult.
struct Violation : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SocProfile {
  const char* name;
  int npu_arch;
  int aic_cores;
  int aiv_cores;
  uint32_t ub_bytes;
  uint32_t ub_usable_bytes;
};

inline constexpr SocProfile kSocProfiles[] = {
#define C2C_SOC(name, arch, aic, aiv, ub, usable) {name, arch, aic, aiv, ub, usable},
#include "soc_profiles.def"
#undef C2C_SOC
};

constexpr uint32_t kBlockBytes = 32;    // UB data block: alignment unit of UB addresses and copies
constexpr uint32_t kRepeatBytes = 256;  // bytes one vector repeat processes
constexpr int kPipes = 11;              // pipe_t values PIPE_S .. PIPE_FIX
constexpr int kEvents = static_cast<int>(AscendC::HardEvent::MAX);
constexpr int kEventIds = 8;

// UB writers whose results another pipe may read too early: MTE2 (GM->UB copies), V (vector
// instructions) and S (LocalTensor::SetValue, a scalar store).
enum Writer : int { kWriterMte2 = 0, kWriterV = 1, kWriterS = 2, kWriters = 3 };
constexpr int kWriterPipe[kWriters] = {PIPE_MTE2, PIPE_V, PIPE_S};

// A pipe's view of the others: entry p is the newest epoch of pipe p whose UB writes it has
// synchronised with. SetFlag captures one, the matching WaitFlag merges it into the waiter's view.
using Clock = std::array<uint64_t, kPipes>;

struct VectorCount {
  uint64_t instructions = 0;
  uint64_t repeats = 0;
};

struct BlockCounters {
  uint32_t block = 0;
  uint64_t gm_to_ub_bytes = 0;
  uint64_t ub_to_gm_bytes = 0;
  uint64_t scalar_gm_reads = 0;
  uint64_t scalar_gm_writes = 0;
  uint64_t datacopy_rounded_down = 0;
  uint64_t compare_rounded_down = 0;
  std::map<std::string, VectorCount> vector;
};

enum class SlotState : uint8_t { Free, Allocated, Queued, Dequeued, Fixed };

// One UB buffer handed out by TPipe::InitBuffer: a queue buffer or a whole TBuf.
struct Slot {
  uint32_t start = 0;  // UB byte offset
  uint32_t len = 0;    // bytes, a multiple of 32: the extent checks allow
  uint32_t req = 0;    // bytes InitBuffer asked for: what whole-buffer tensors report as their size
  uint32_t gen = 0;    // bumped by FreeTensor, so stale tensors are recognised
  SlotState state = SlotState::Free;
  int queue = -1;      // index into Core::queues; -1 for a TBuf
  std::string name;
};

struct QueueRec {
  std::string name;
  int depth = 0;
  std::vector<uint32_t> slots;
  // EnQue'd buffers with what the producer pipe had done and seen at EnQue (an implicit SetFlag).
  std::deque<std::pair<uint32_t, Clock>> fifo;
  int src_pipe = -1;  // VECIN: MTE2 -> V; VECOUT: V -> MTE3; other positions: no implicit event
  int dst_pipe = -1;
};

struct GmRegion {
  uint8_t* raw;     // allocation including guard bytes
  uint8_t* start;   // what gm_alloc returned
  size_t bytes;     // size the kernel may touch
  std::string name;
};
constexpr size_t kGmGuard = 64 * 1024;  // guard bytes each side: modest overruns stay in owned memory

// State of the simulated AI core; reset at each block start.
struct Core {
  std::vector<uint8_t> ub;
  uint32_t ub_used = 0;
  uint32_t pipe_gen = 0;  // bumped by TPipe::Reset/Destroy: tensors of released buffers are stale
  std::vector<Slot> slots;
  std::vector<QueueRec> queues;
  uint32_t tbufs = 0;
  AscendC::TPipe* pipe = nullptr;
  // Happens-before between pipes: epoch[p] counts instructions issued on pipe p; visible[p][c] is
  // the newest epoch of pipe p whose UB writes pipe c has synchronised with.
  uint64_t epoch[kPipes] = {};
  uint64_t visible[kPipes][kPipes] = {};
  // Per 32-byte UB block: epoch and API of the last write by each tracked writer pipe.
  std::vector<uint64_t> last_write[kWriters];
  std::vector<const char*> last_api[kWriters];
  std::deque<Clock> pending[kEvents][kEventIds];     // SetFlag captures awaiting their WaitFlag
  uint8_t event_ids_used[kEvents] = {};              // AllocEventID bitmask per HardEvent
  bool pad_value_set = false;                        // SetPadValue was called
  uint64_t pad_value_bits = 0;
};

struct Runtime {
  const SocProfile* soc = &kSocProfiles[1];
  std::vector<GmRegion> gm;
  std::string kernel = "?";
  uint32_t block = 0;
  uint32_t block_dim = 1;
  bool in_launch = false;
  Core core;
  std::vector<BlockCounters> counters;
  BlockCounters scratch;  // collects counts of calls made outside launch
};

inline Runtime& rt() {
  static Runtime r;
  return r;
}
inline Core& core() { return rt().core; }
inline BlockCounters& counters() { return rt().in_launch ? rt().counters.back() : rt().scratch; }

inline std::string context_prefix() {
  const Runtime& r = rt();
  if (!r.in_launch) return "cann-cpu: error: (outside cann_cpu::launch): ";
  return "cann-cpu: error: kernel '" + r.kernel + "' block " + std::to_string(r.block) + "/" +
         std::to_string(r.block_dim) + ": ";
}

[[noreturn]] inline void fail(std::string_view api, const std::string& what) {
  throw Violation(context_prefix() + std::string(api) + ": " + what);
}

inline std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

inline const char* pipe_name(int p) {
  static const char* const names[kPipes] = {"S", "V", "M", "MTE1", "MTE2", "MTE3", "ALL", "MTE4", "MTE5", "V2", "FIX"};
  return p >= 0 && p < kPipes ? names[p] : "?";
}

inline const char* position_name(AscendC::TPosition pos) {
  static const char* const names[] = {"GM", "A1", "A2", "B1", "B2", "C1", "C2", "CO1", "CO2", "VECIN",
                                      "VECOUT", "VECCALC", "SPM", "TSCM", "C2PIPE2GM", "C2PIPE2LOCAL", "MAX"};
  return names[static_cast<int>(pos)];
}

inline const char* event_name(AscendC::HardEvent e) {
  static const char* const names[] = {
      "MTE2_MTE1", "MTE1_MTE2", "MTE1_M", "M_MTE1", "MTE2_V", "V_MTE2", "MTE3_V", "V_MTE3", "M_V", "V_M", "V_V",
      "MTE3_MTE1", "MTE1_MTE3", "MTE1_V", "MTE2_M", "M_MTE2", "V_MTE1", "M_FIX", "FIX_M", "MTE3_MTE2",
      "MTE2_MTE3", "S_V", "V_S", "S_MTE2", "MTE2_S", "S_MTE3", "MTE3_S", "MTE2_FIX", "FIX_MTE2", "FIX_S", "M_S",
      "FIX_MTE3", "MTE1_FIX", "FIX_MTE1", "FIX_FIX"};
  return names[static_cast<int>(e)];
}

// Source and destination pipe of a HardEvent, from its name (SRC_DST).
inline std::pair<int, int> event_pipes(AscendC::HardEvent e) {
  auto pipe_of = [](const std::string& s) {
    for (int p = 0; p < kPipes; ++p)
      if (s == pipe_name(p)) return p;
    return -1;
  };
  std::string n = event_name(e);
  size_t us = n.find('_');
  return {pipe_of(n.substr(0, us)), pipe_of(n.substr(us + 1))};
}

// Everything written before this point counts as synchronised: a fresh block starts clean.
inline void publish_all(Core& c) {
  for (int p = 0; p < kPipes; ++p)
    for (int q = 0; q < kPipes; ++q) c.visible[p][q] = c.epoch[p];
}

// What SetFlag on pipe `src` (or an EnQue whose producer pipe is `src`) hands to its waiter: src's
// instructions so far, and everything src had itself synchronised with (the flag is set only once
// src's earlier instructions, its own WaitFlags included, are done).
inline Clock capture(const Core& c, int src) {
  Clock k{};
  for (int p = 0; p < kPipes; ++p) k[p] = p == src ? c.epoch[src] : c.visible[p][src];
  return k;
}

// The matching WaitFlag (or DeQue) on pipe `dst`. A wait on the scalar pipe stalls the scalar unit,
// which issues every instruction: all later instructions of every pipe see what S now sees (the
// scalar unit's own stores excepted; those need their S_* event).
inline void publish(Core& c, const Clock& k, int dst) {
  for (int p = 0; p < kPipes; ++p)
    if (p != dst) c.visible[p][dst] = std::max(c.visible[p][dst], k[p]);
  if (dst != PIPE_S) return;
  for (int q = 0; q < kPipes; ++q)
    for (int p = 0; p < kPipes; ++p)
      if (q != PIPE_S && p != PIPE_S && p != q) c.visible[p][q] = std::max(c.visible[p][q], c.visible[p][PIPE_S]);
}

inline uint32_t round_up(uint64_t v, uint32_t to) { return static_cast<uint32_t>((v + to - 1) / to * to); }

// --- UB hazards -----------------------------------------------------------------------------

// How pipe `consumer` synchronises with the writes of pipe `producer`; only VECIN (MTE2 -> V) and
// VECOUT (V -> MTE3) queues carry an implicit event.
inline std::string sync_hint(int producer, int consumer) {
  bool queue = (producer == PIPE_MTE2 && consumer == PIPE_V) || (producer == PIPE_V && consumer == PIPE_MTE3);
  return std::string("use ") + (queue ? "EnQue/DeQue, " : "") + "SetFlag/WaitFlag<HardEvent::" + pipe_name(producer) +
         "_" + pipe_name(consumer) + "> or PipeBarrier<PIPE_ALL>";
}

struct Unsynced {
  int writer = -1;  // -1: every write is synchronised
  uint32_t block = 0;
};

// The first 32-byte UB block of [off, off+bytes) whose last write by a pipe other than `consumer`
// is newer than what `consumer` has synchronised with.
inline Unsynced find_unsynced(uint32_t off, uint64_t bytes, int consumer) {
  Unsynced u;
  if (bytes == 0) return u;
  const Core& c = core();
  uint32_t b0 = off / kBlockBytes, b1 = static_cast<uint32_t>((off + bytes + kBlockBytes - 1) / kBlockBytes);
  for (int w = 0; w < kWriters; ++w) {
    int producer = kWriterPipe[w];
    if (producer == consumer) continue;
    uint64_t seen = c.visible[producer][consumer];
    for (uint32_t b = b0; b < b1; ++b)
      if (c.last_write[w][b] > seen) return {w, b};
  }
  return u;
}

[[noreturn]] inline void fail_unsynced(const Unsynced& u, int consumer, std::string_view api, const std::string& role,
                                       const char* verb) {
  const Core& c = core();
  int producer = kWriterPipe[u.writer];
  fail(api, role + " " + verb + " UB bytes [" + hex(u.block * kBlockBytes) + ", " + hex((u.block + 1) * kBlockBytes) +
                ") written by " + c.last_api[u.writer][u.block] + " on pipe " + pipe_name(producer) +
                " before that write was synchronised with pipe " + pipe_name(consumer) + " (" +
                sync_hint(producer, consumer) + ")");
}

// A read of UB bytes [off, off+bytes) by `consumer` must see every write of the other pipes only
// after a synchronisation that covers it.
inline void check_read(uint32_t off, uint64_t bytes, int consumer, std::string_view api, const char* role) {
  Unsynced u = find_unsynced(off, bytes, consumer);
  if (u.writer >= 0) fail_unsynced(u, consumer, api, role, "reads");
}

inline void mark_write(uint32_t off, uint64_t bytes, Writer w, const char* api) {
  if (bytes == 0) return;
  Core& c = core();
  uint64_t e = c.epoch[kWriterPipe[w]];
  uint32_t b0 = off / kBlockBytes, b1 = static_cast<uint32_t>((off + bytes + kBlockBytes - 1) / kBlockBytes);
  for (uint32_t b = b0; b < b1; ++b) {
    c.last_write[w][b] = e;
    c.last_api[w][b] = api;
  }
}

// --- GM -----------------------------------------------------------------------------------

inline const GmRegion* find_gm_region(const void* p) {
  auto a = reinterpret_cast<const uint8_t*>(p);
  for (const GmRegion& r : rt().gm)
    if (a >= r.raw && a < r.start + r.bytes + kGmGuard) return &r;
  return nullptr;
}

// GM bytes [p, p+bytes) must lie inside the region registered with gm_alloc that `anchor` (the
// address given to SetGlobalBuffer) points into: an overrun that happens to land in a neighbouring
// region is still an overrun.
inline void check_gm(const void* anchor, const void* p, uint64_t bytes, bool write, std::string_view api) {
  if (bytes == 0) return;
  const GmRegion* r = find_gm_region(anchor);
  const char* verb = write ? "write" : "read";
  if (!r)
    fail(api, std::string(verb) + " of " + std::to_string(bytes) + " bytes at GM address " +
                  hex(reinterpret_cast<uintptr_t>(p)) + " outside every region registered with cann_cpu::gm_alloc");
  int64_t off = reinterpret_cast<const uint8_t*>(p) - r->start;
  if (off < 0 || static_cast<uint64_t>(off) + bytes > r->bytes)
    fail(api, std::string(verb) + " of " + std::to_string(bytes) + " bytes at GM offset " + std::to_string(off) +
                  " of '" + r->name + "' is out of bounds (size " + std::to_string(r->bytes) + " bytes)");
}

inline void count_vector(const char* api, uint64_t bytes_or_repeats, bool are_repeats = false) {
  VectorCount& v = counters().vector[api];
  ++v.instructions;
  v.repeats += are_repeats ? bytes_or_repeats : (bytes_or_repeats + kRepeatBytes - 1) / kRepeatBytes;
}

}  // namespace cann_cpu
