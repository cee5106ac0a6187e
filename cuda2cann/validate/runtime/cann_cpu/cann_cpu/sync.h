// Intra-core synchronisation: SetFlag/WaitFlag publish one pipe's UB writes (and what that pipe had
// synchronised with) to another pipe, PipeBarrier<PIPE_ALL> publishes everything. A WaitFlag on the
// scalar pipe (V_S, MTE2_S, ...) stalls instruction issue, so it publishes to every later
// instruction. The hazard checks in core.h read this state.
#pragma once
#include "pipe.h"

namespace AscendC {

template <pipe_t pipe> __aicore__ inline void PipeBarrier() {
  // A single-pipe barrier only orders that pipe with itself, which cann-cpu executes in order anyway.
  if constexpr (pipe == PIPE_ALL) cann_cpu::publish_all(cann_cpu::core());
}

template <HardEvent event> __aicore__ inline void SetFlag(int32_t eventID) {
  if (eventID < 0 || eventID >= cann_cpu::kEventIds)
    cann_cpu::fail(cann_cpu::event_api("SetFlag", event), "event ID " + std::to_string(eventID) + " out of range [0, 7]");
  cann_cpu::Core& c = cann_cpu::core();
  int src = cann_cpu::event_pipes(event).first;
  c.pending[static_cast<int>(event)][eventID].push_back(src >= 0 ? cann_cpu::capture(c, src) : cann_cpu::Clock{});
}

template <HardEvent event> __aicore__ inline void WaitFlag(int32_t eventID) {
  std::string api = cann_cpu::event_api("WaitFlag", event);
  if (eventID < 0 || eventID >= cann_cpu::kEventIds)
    cann_cpu::fail(api, "event ID " + std::to_string(eventID) + " out of range [0, 7]");
  cann_cpu::Core& c = cann_cpu::core();
  auto& pending = c.pending[static_cast<int>(event)][eventID];
  if (pending.empty())
    cann_cpu::fail(api, "event ID " + std::to_string(eventID) +
                            " was not set by a matching SetFlag (the core would wait forever)");
  cann_cpu::Clock seen = pending.front();
  pending.pop_front();
  auto [src, dst] = cann_cpu::event_pipes(event);
  if (src >= 0 && dst >= 0) cann_cpu::publish(c, seen, dst);
}

}  // namespace AscendC
