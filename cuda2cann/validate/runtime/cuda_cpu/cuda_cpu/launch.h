// Kernel launches. The harness rewrites `k<<<g, b, s, st>>>(a...)` into
//   cuda_cpu::launch(cuda_cpu::LaunchConfig(g, b, s, st, MODE), k, a...);
// Blocks are handed out in linear order (x fastest) to the worker pool; each block runs either as a
// plain loop over its threads (SyncMode::Loop, for kernels that never synchronise) or as one fiber per
// thread (SyncMode::Fibers). Launches are synchronous; a fault ends the launch with
// cudaErrorLaunchFailure, a message on stderr, and a sticky error for the synchronising calls.
#pragma once
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <mutex>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include "cuda_cpu/context.h"
#include "cuda_cpu/errors.h"
#include "cuda_cpu/kernel_name.h"
#include "cuda_cpu/pool.h"
#include "cuda_cpu/scheduler.h"
#include "cuda_cpu/shared.h"
#include "cuda_cpu/vector_types.h"

typedef struct CUstream_st* cudaStream_t;

namespace cuda_cpu {

enum class SyncMode {
  Fibers,  // one fiber per CUDA thread: for kernels that synchronise
  Loop,    // threads run one after another: for kernels that never synchronise
};

// Largest dynamic shared memory a launch may request (a GPU's opt-in limit; cudaFuncSetAttribute is
// accepted without effect).
constexpr size_t kMaxDynamicSharedBytes = 227 * 1024;

struct LaunchConfig {
  dim3 grid, block;
  size_t shared_bytes = 0;
  cudaStream_t stream = nullptr;
  SyncMode mode = SyncMode::Fibers;

  LaunchConfig(dim3 g, dim3 b, size_t shm = 0, cudaStream_t st = nullptr, SyncMode m = SyncMode::Fibers)
      : grid(g), block(b), shared_bytes(shm), stream(st), mode(m) {}
  LaunchConfig(dim3 g, dim3 b, SyncMode m) : grid(g), block(b), mode(m) {}
  LaunchConfig(dim3 g, dim3 b, size_t shm, SyncMode m) : grid(g), block(b), shared_bytes(shm), mode(m) {}
};

namespace detail {

struct GridRun {
  GridRun(const LaunchConfig& c, const void* k, void (*b)(const void*), const void* a)
      : config(&c), kernel(k), body(b), arg(a), blocks(uint64_t(c.grid.x) * c.grid.y * c.grid.z) {}
  const LaunchConfig* config;
  const void* kernel;
  void (*body)(const void*);  // runs the kernel once for the current thread
  const void* arg;
  uint64_t blocks;
  std::atomic<uint64_t> next_block{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::string error;  // the first fault, formatted
};

inline void report(GridRun& run, const Fault& f) {
  std::lock_guard<std::mutex> lock(run.mutex);
  if (run.failed.exchange(true)) return;
  run.error = "cuda-cpu: error: " + f.message + " (kernel `" + kernel_name(run.kernel) + "`, block " +
              format_index(blockIdx) + f.thread + ")";
}

inline void run_loop_block(GridRun& run) {
  const dim3 b = run.config->block;
  try {
    for (unsigned z = 0; z < b.z; ++z)
      for (unsigned y = 0; y < b.y; ++y)
        for (unsigned x = 0; x < b.x; ++x) {
          threadIdx = {x, y, z};
          run.body(run.arg);
        }
  } catch (KernelFault& e) {
    report(run, {std::move(e.message), ", thread " + format_index(threadIdx)});
  } catch (std::exception& e) {
    report(run, {std::string("uncaught exception in kernel: ") + e.what(), ", thread " + format_index(threadIdx)});
  } catch (...) {
    report(run, {"uncaught exception in kernel", ", thread " + format_index(threadIdx)});
  }
}

// One worker's share of the grid: blocks taken in order until none is left or one has failed.
inline void run_blocks(void* p) {
  GridRun& run = *static_cast<GridRun*>(p);
  const LaunchConfig& c = *run.config;
  static thread_local SharedArena arena;
  gridDim = c.grid;
  blockDim = c.block;
  tls.shared = &arena;
  for (uint64_t i; !run.failed.load(std::memory_order_relaxed) && (i = run.next_block++) < run.blocks;) {
    blockIdx = {static_cast<unsigned>(i % c.grid.x), static_cast<unsigned>(i / c.grid.x % c.grid.y),
                static_cast<unsigned>(i / (uint64_t(c.grid.x) * c.grid.y))};
    arena.begin_block(c.shared_bytes);
    if (c.mode == SyncMode::Loop) {
      run_loop_block(run);
      continue;
    }
    try {
      if (Fault f = this_thread_scheduler().run_block(run.body, run.arg)) report(run, f);
    } catch (std::exception& e) {  // the fibers could not be set up
      report(run, {e.what(), ""});
    }
  }
  tls.shared = nullptr;
}

inline std::string check_config(const LaunchConfig& c) {
  const dim3 g = c.grid, b = c.block;
  if (!g.x || !g.y || !g.z || !b.x || !b.y || !b.z) return "a grid or block dimension is zero";
  if (uint64_t(b.x) * b.y * b.z > 1024 || b.z > 64)
    return "block " + format_index(b) + " exceeds 1024 threads or (1024,1024,64)";
  if (g.x > 2147483647u || g.y > 65535 || g.z > 65535) return "grid exceeds (2147483647,65535,65535)";
  if (c.shared_bytes > kMaxDynamicSharedBytes)
    return "dynamic shared memory of " + std::to_string(c.shared_bytes) + " bytes exceeds 227 KiB";
  return {};
}

inline cudaError_t run_grid(const LaunchConfig& c, const void* kernel, void (*body)(const void*), const void* arg) {
  if (tls.shared) {
    std::fprintf(stderr, "cuda-cpu: error: kernel `%s` launched from device code (dynamic parallelism is not supported)\n",
                 kernel_name(kernel).c_str());
    return record(cudaErrorNotSupported);
  }
  if (std::string bad = check_config(c); !bad.empty()) {
    std::fprintf(stderr, "cuda-cpu: error: invalid launch configuration of kernel `%s`: %s\n", kernel_name(kernel).c_str(), bad.c_str());
    return record(cudaErrorInvalidConfiguration);
  }
  GridRun run(c, kernel, body, arg);
  WorkerPool& pool = WorkerPool::instance();
  pool.run(static_cast<unsigned>(std::min<uint64_t>(run.blocks, pool.size())), &run_blocks, &run);
  if (!run.failed) return cudaSuccess;
  std::fprintf(stderr, "%s\n", run.error.c_str());
  sticky_error = cudaErrorLaunchFailure;
  return record(cudaErrorLaunchFailure);
}

template <class Kernel, class Params>
struct Bound {
  Kernel kernel;
  Params params;
  // Each CUDA thread receives its own copy of the arguments, as a kernel parameter is per thread.
  static void call(const void* self) {
    const Bound& b = *static_cast<const Bound*>(self);
    std::apply(b.kernel, b.params);
  }
};

}  // namespace detail

// Runs kernel<<<config>>>(args...) to completion. Arguments convert to the parameter types as in a
// call and are copied once per launch, then once per thread.
template <class... P, class... A>
cudaError_t launch(const LaunchConfig& config, void (*kernel)(P...), A&&... args) {
  static_assert(sizeof...(P) == sizeof...(A), "kernel launched with the wrong number of arguments");
  using Params = std::tuple<std::decay_t<P>...>;
  detail::Bound<void (*)(P...), Params> bound{kernel, Params(std::forward<A>(args)...)};
  return detail::run_grid(config, reinterpret_cast<const void*>(kernel), &decltype(bound)::call, &bound);
}

}  // namespace cuda_cpu
