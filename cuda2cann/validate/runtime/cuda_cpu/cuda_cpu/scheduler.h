// Runs the threads of one block as fibers, for kernels that synchronise.
//
// Scheduling is round-robin in linear thread-index order: each sweep resumes every runnable fiber
// 0..n-1 once, and a fiber runs until it reaches a synchronisation point or exits. Between two
// synchronisation points the threads of a block therefore execute one after another, in index order;
// that is the defined meaning of racy intra-block code under cuda-cpu.
//
// __syncthreads waits for every thread of the block that has not exited (exited threads count as
// arrived, as on current GPUs). A warp collective (__syncwarp, shuffles, votes) completes when every
// lane named in its mask has arrived at a collective with the same mask; every participant's result
// is computed at that moment, so a lane that races ahead cannot overwrite a value still to be read.
// A sweep in which no fiber can run is a deadlock and, like a mask naming an exited lane, a fault.
#pragma once
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>
#include "cuda_cpu/context.h"
#include "cuda_cpu/fiber.h"

namespace cuda_cpu::detail {

enum class FiberState : unsigned char { Ready, AtBarrier, AtWarp, Done };

constexpr size_t kLaneBytes = 32;  // the largest value one lane may offer to a warp collective

struct Fiber;

// The lanes of a warp whose collective just completed.
struct WarpLanes {
  const Fiber* lanes;  // lane 0 of the warp
  unsigned group;      // lanes taking part (mask restricted to lanes that exist)
  bool takes_part(long lane) const { return lane >= 0 && lane < 32 && (group >> lane & 1u); }
};

// Forms lane `lane`'s result of a completed collective into `out` (kLaneBytes).
using Combine = void (*)(const WarpLanes&, unsigned lane, void* out);

struct Fiber {
  FiberContext context;
  uint3 index{};
  FiberState state = FiberState::Done;
  const char* primitive = nullptr;  // what the fiber waits in, for diagnostics
  // The warp collective in progress: what this lane offers and how its result is formed.
  Combine combine = nullptr;
  int param = 0, width = 0;
  alignas(16) unsigned char value[kLaneBytes];
  alignas(16) unsigned char result[kLaneBytes];
};

struct Fault {
  std::string message;
  std::string thread;  // ", thread (x,y,z)" when one thread caused it
  explicit operator bool() const { return !message.empty(); }
};

inline std::string format_index(uint3 i) {
  return "(" + std::to_string(i.x) + "," + std::to_string(i.y) + "," + std::to_string(i.z) + ")";
}

inline std::string hex(unsigned v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

inline size_t fiber_stack_bytes() {
  static const size_t bytes = [] {
    const char* env = std::getenv("CUDA_CPU_STACK_KB");
    long kb = env ? std::strtol(env, nullptr, 10) : 0;
    return static_cast<size_t>(kb >= 16 ? kb : 128) * 1024;
  }();
  return bytes;
}

class Scheduler {
 public:
  using Body = void (*)(const void*);

  struct BarrierResult {
    int count;         // threads whose predicate was non-zero
    int participants;  // threads that took part (those that had not exited)
  };

  // Runs every thread of the current block (blockIdx and blockDim already set) to completion.
  Fault run_block(Body body, const void* arg) {
    const unsigned n = block_size();
    prepare(n);
    body_ = body;
    arg_ = arg;
    tls.scheduler = this;
    while (live_ > 0 && !fault_) {
      bool ran = false;
      for (unsigned i = 0; i < n && !fault_; ++i) {
        if (fibers_[i].state != FiberState::Ready) continue;
        ran = true;
        current_ = i;
        threadIdx = fibers_[i].index;
        context_switch(scheduler_, fibers_[i].context);
      }
      if (!ran) fault_.message = describe_deadlock();
    }
    tls.scheduler = nullptr;
    return std::move(fault_);
  }

  BarrierResult barrier(const char* primitive, int predicate) {
    Fiber& f = fibers_[current_];
    f.state = FiberState::AtBarrier;
    f.primitive = primitive;
    ++arrived_;
    arrived_true_ += predicate != 0;
    if (arrived_ == live_) release_barrier();
    yield();
    return last_barrier_;  // stable: the next release needs this fiber to arrive again
  }

  // Offers `size` bytes of `value` to a warp collective over `mask` and returns this lane's result.
  const void* warp_collective(const char* primitive, unsigned mask, const void* value, size_t size, int param,
                              int width, Combine combine) {
    const unsigned warp = current_ / 32, lane = current_ % 32;
    const unsigned group = mask & present_[warp];
    if (!(group >> lane & 1u))
      fault(std::string(primitive) + ": the calling lane " + std::to_string(lane) + " is not in mask " + hex(mask));
    if (unsigned gone = group & exited_[warp]) fault(names_exited(primitive, mask, warp, gone));
    Fiber& f = fibers_[current_];
    std::memcpy(f.value, value, size);
    f.param = param;
    f.width = width;
    f.combine = combine;
    f.primitive = primitive;
    f.state = FiberState::AtWarp;
    auto& groups = pending_[warp];
    size_t g = 0;
    while (g < groups.size() && groups[g].mask != group) ++g;
    if (g == groups.size()) groups.push_back({group, 0});
    groups[g].arrived |= 1u << lane;
    if (groups[g].arrived == group) {
      groups.erase(groups.begin() + static_cast<long>(g));
      complete(warp, group);
    }
    yield();
    return f.result;
  }

  // Lanes of the calling thread's warp that exist and have not exited.
  unsigned live_lanes() const { return present_[current_ / 32] & ~exited_[current_ / 32]; }

 private:
  struct PendingGroup {
    unsigned mask, arrived;
  };

  void prepare(unsigned n) {
    while (stacks_.size() < n) stacks_.emplace_back(fiber_stack_bytes());
    if (fibers_.size() < n) fibers_.resize(n);  // only between blocks: contexts may point into fibers
    const unsigned bx = blockDim.x, by = blockDim.y;
    for (unsigned i = 0; i < n; ++i) {
      Fiber& f = fibers_[i];
      f.index = {i % bx, i / bx % by, i / (bx * by)};
      f.state = FiberState::Ready;
      context_init(f.context, stacks_[i], &entry);
    }
    const unsigned warps = (n + 31) / 32;
    exited_.assign(warps, 0);
    present_.assign(warps, ~0u);
    if (n % 32) present_.back() = (1u << (n % 32)) - 1;
    pending_.resize(std::max<size_t>(pending_.size(), warps));
    for (auto& p : pending_) p.clear();
    n_ = live_ = n;
    arrived_ = arrived_true_ = 0;
    fault_ = {};
  }

  [[noreturn]] static void entry() {
    Scheduler& s = *tls.scheduler;
    context_started(s.scheduler_);
    try {
      s.body_(s.arg_);
    } catch (KernelFault& e) {
      s.fail(std::move(e.message));
    } catch (std::exception& e) {
      s.fail(std::string("uncaught exception in kernel: ") + e.what());
    } catch (...) {
      s.fail("uncaught exception in kernel");
    }
    s.exit_current();
  }

  void fail(std::string message) {
    if (fault_) return;
    fault_.message = std::move(message);
    fault_.thread = ", thread " + format_index(threadIdx);
  }

  [[noreturn]] void exit_current() {
    Fiber& f = fibers_[current_];
    f.state = FiberState::Done;
    --live_;
    const unsigned warp = current_ / 32, bit = 1u << current_ % 32;
    exited_[warp] |= bit;
    for (const PendingGroup& g : pending_[warp])
      if (g.mask & bit) fail(names_exited(waiting_primitive(warp, g), g.mask, warp, bit));
    if (arrived_ && arrived_ == live_) release_barrier();
    context_switch(f.context, scheduler_, true);
    __builtin_unreachable();  // a finished fiber is never resumed
  }

  void yield() { context_switch(fibers_[current_].context, scheduler_); }

  void release_barrier() {
    last_barrier_ = {static_cast<int>(arrived_true_), static_cast<int>(arrived_)};
    for (unsigned i = 0; i < n_; ++i)
      if (fibers_[i].state == FiberState::AtBarrier) fibers_[i].state = FiberState::Ready;
    arrived_ = arrived_true_ = 0;
  }

  void complete(unsigned warp, unsigned group) {
    Fiber* lanes = &fibers_[warp * 32];
    const WarpLanes view{lanes, group};
    for (unsigned lane = 0; lane < 32; ++lane) {
      if (!(group >> lane & 1u)) continue;
      if (lanes[lane].combine) lanes[lane].combine(view, lane, lanes[lane].result);
      lanes[lane].state = FiberState::Ready;
    }
  }

  const char* waiting_primitive(unsigned warp, const PendingGroup& g) const {
    return fibers_[warp * 32 + static_cast<unsigned>(__builtin_ctz(g.arrived))].primitive;
  }

  static std::string names_exited(const char* primitive, unsigned mask, unsigned warp, unsigned gone) {
    return std::string(primitive) + " with mask " + hex(mask) + " names lane " + std::to_string(__builtin_ctz(gone)) +
           " of warp " + std::to_string(warp) + ", which has exited";
  }

  std::string describe_deadlock() const {
    std::string waits;
    for (unsigned i = 0; i < n_ && arrived_; ++i)
      if (fibers_[i].state == FiberState::AtBarrier) {
        waits += "; " + std::to_string(arrived_) + " thread(s) wait in " + fibers_[i].primitive;
        break;
      }
    for (size_t w = 0; w < exited_.size(); ++w)
      for (const PendingGroup& g : pending_[w])
        waits += "; warp " + std::to_string(w) + " lanes " + hex(g.arrived) + " wait in " +
                 waiting_primitive(static_cast<unsigned>(w), g) + " with mask " + hex(g.mask) + " for lanes " +
                 hex(g.mask & ~g.arrived);
    return "deadlock: no thread of the block can make progress" + waits;
  }

  std::vector<FiberStack> stacks_;
  std::vector<Fiber> fibers_;
  FiberContext scheduler_;
  Body body_ = nullptr;
  const void* arg_ = nullptr;
  unsigned n_ = 0, live_ = 0, current_ = 0;
  unsigned arrived_ = 0, arrived_true_ = 0;  // the block barrier being gathered
  BarrierResult last_barrier_{0, 0};
  std::vector<unsigned> exited_, present_;  // per warp: lanes that exited, lanes that exist
  std::vector<std::vector<PendingGroup>> pending_;  // per warp: collectives still gathering lanes
  Fault fault_;
};

inline Scheduler& this_thread_scheduler() {
  static thread_local Scheduler scheduler;
  return scheduler;
}

}  // namespace cuda_cpu::detail
