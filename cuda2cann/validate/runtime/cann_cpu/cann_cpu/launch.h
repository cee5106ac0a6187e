// Harness API used by generated drivers: SoC selection, GM regions, the per-block launch loop and
// the counters as JSON.
#pragma once
#include <functional>

#include "core.h"
#include "pipe.h"

namespace cann_cpu {

struct LaunchResult {
  bool ok;
  std::string message;  // the first violation, empty when ok
};

inline const SocProfile& current_soc() { return *rt().soc; }

// Selects the SoC profile by name (default Ascend910B2); an unknown name throws std::invalid_argument.
inline void set_soc(const std::string& name) {
  std::string known;
  for (const SocProfile& p : kSocProfiles) {
    if (name == p.name) {
      rt().soc = &p;
      return;
    }
    known += known.empty() ? p.name : std::string(", ") + p.name;
  }
  throw std::invalid_argument("cann-cpu: unknown SoC '" + name + "' (known: " + known + ")");
}

// A GM region the kernel may access, named for error messages. The real allocation carries guard
// bytes on both sides so a modest overrun is reported, not a segfault. Fresh GM holds 0xFF bytes.
inline void* gm_alloc(size_t bytes, const char* name) {
  uint8_t* raw = new uint8_t[bytes + 2 * kGmGuard];
  std::memset(raw, 0xFF, bytes + 2 * kGmGuard);
  rt().gm.push_back({raw, raw + kGmGuard, bytes, name ? name : "gm"});
  return raw + kGmGuard;
}

inline void gm_free(void* p) {
  auto& gm = rt().gm;
  auto it = std::find_if(gm.begin(), gm.end(), [p](const GmRegion& r) { return r.start == p; });
  if (it == gm.end()) throw std::invalid_argument("cann-cpu: gm_free of a pointer cann_cpu::gm_alloc did not return");
  delete[] it->raw;
  gm.erase(it);
}

// A fresh AI core for the next block: empty UB, no buffers, no pending events, nothing unsynchronised.
inline void reset_core() {
  Core& c = core();
  const uint32_t ub = current_soc().ub_usable_bytes;
  c.ub.resize(ub);
  release_pipe_buffers();
  c.pipe = nullptr;
  for (int w = 0; w < kWriters; ++w) {
    c.last_write[w].resize(ub / kBlockBytes);
    c.last_api[w].resize(ub / kBlockBytes);
  }
  for (auto& per_event : c.pending)
    for (auto& ids : per_event) ids.clear();
  c.pad_value_set = false;
  c.pad_value_bits = 0;
  publish_all(c);  // older writes (previous blocks) count as synchronised
}

// Runs `body` once per block index 0..block_dim-1, in order, each on a fresh core; stops at the
// first violation. At each block end every queue buffer must have been freed.
inline LaunchResult launch(const char* kernel_name, uint32_t block_dim, const std::function<void()>& body) {
  Runtime& r = rt();
  r.kernel = kernel_name;
  r.block_dim = block_dim;
  r.counters.clear();
  if (block_dim < 1 || block_dim > 65535)
    return {false, "cann-cpu: error: kernel '" + r.kernel + "': block_dim " + std::to_string(block_dim) +
                       " out of range [1, 65535]"};
  for (uint32_t b = 0; b < block_dim; ++b) {
    r.block = b;
    r.in_launch = true;
    r.counters.emplace_back();
    r.counters.back().block = b;
    reset_core();
    std::string error;
    try {
      body();
      check_leaks("kernel end");
    } catch (const Violation& v) {
      error = v.what();
    } catch (const std::exception& e) {
      error = context_prefix() + "C++ exception: " + e.what();
    }
    r.in_launch = false;
    if (!error.empty()) return {false, error};
  }
  return {true, ""};
}

inline std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

inline std::string counters_fields(const BlockCounters& c) {
  std::string v = "{";
  for (const auto& [api, n] : c.vector) {
    if (v.size() > 1) v += ",";
    v += json_string(api) + ":{\"instructions\":" + std::to_string(n.instructions) +
         ",\"repeats\":" + std::to_string(n.repeats) + "}";
  }
  v += "}";
  return "\"gm_to_ub_bytes\":" + std::to_string(c.gm_to_ub_bytes) + ",\"ub_to_gm_bytes\":" +
         std::to_string(c.ub_to_gm_bytes) + ",\"vector\":" + v + ",\"scalar_gm_reads\":" +
         std::to_string(c.scalar_gm_reads) + ",\"scalar_gm_writes\":" + std::to_string(c.scalar_gm_writes) +
         ",\"datacopy_rounded_down\":" + std::to_string(c.datacopy_rounded_down) +
         ",\"compare_rounded_down\":" + std::to_string(c.compare_rounded_down);
}

// Counters of the last launch, per block (blocks run so far) and summed.
inline std::string counters_json() {
  const Runtime& r = rt();
  BlockCounters total;
  std::string blocks;
  for (const BlockCounters& c : r.counters) {
    if (!blocks.empty()) blocks += ",";
    blocks += "{\"block\":" + std::to_string(c.block) + "," + counters_fields(c) + "}";
    total.gm_to_ub_bytes += c.gm_to_ub_bytes;
    total.ub_to_gm_bytes += c.ub_to_gm_bytes;
    total.scalar_gm_reads += c.scalar_gm_reads;
    total.scalar_gm_writes += c.scalar_gm_writes;
    total.datacopy_rounded_down += c.datacopy_rounded_down;
    total.compare_rounded_down += c.compare_rounded_down;
    for (const auto& [api, n] : c.vector) {
      total.vector[api].instructions += n.instructions;
      total.vector[api].repeats += n.repeats;
    }
  }
  return "{\"soc\":" + json_string(current_soc().name) + ",\"kernel\":" + json_string(r.kernel) +
         ",\"block_dim\":" + std::to_string(r.block_dim) + ",\"blocks\":[" + blocks + "],\"total\":{" +
         counters_fields(total) + "}}";
}

inline std::string soc_profiles_json() {
  std::string out = "[";
  for (const SocProfile& p : kSocProfiles) {
    if (out.size() > 1) out += ",";
    out += "{\"name\":" + json_string(p.name) + ",\"npu_arch\":" + std::to_string(p.npu_arch) +
           ",\"aic_cores\":" + std::to_string(p.aic_cores) + ",\"aiv_cores\":" + std::to_string(p.aiv_cores) +
           ",\"ub_bytes\":" + std::to_string(p.ub_bytes) + ",\"ub_usable_bytes\":" + std::to_string(p.ub_usable_bytes) +
           "}";
  }
  return out + "]";
}

}  // namespace cann_cpu

namespace AscendC {

__aicore__ inline int64_t GetBlockIdx() { return cann_cpu::rt().block; }
__aicore__ inline int64_t GetBlockNum() { return cann_cpu::rt().block_dim; }

}  // namespace AscendC
