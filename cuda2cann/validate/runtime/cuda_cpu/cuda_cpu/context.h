// The per-OS-thread view of "where am I in the grid": CUDA's built-in index variables and the
// runtime objects serving the block being executed. A block always runs on one OS thread (its fibers
// never migrate), so thread_local storage is exact; the fiber scheduler rewrites threadIdx before
// resuming each fiber.
#pragma once
#include <string>
#include "cuda_cpu/vector_types.h"

// Built-in variables. They are plain thread_local objects rather than macros so that host code may
// still use the names for its own variables; kernels must only read them, as in CUDA.
inline thread_local uint3 threadIdx;
inline thread_local uint3 blockIdx;
inline thread_local dim3 blockDim;
inline thread_local dim3 gridDim;
constexpr int warpSize = 32;

namespace cuda_cpu::detail {

class Scheduler;
class SharedArena;

struct ThreadContext {
  Scheduler* scheduler = nullptr;  // fiber scheduler of the running block; null in SyncMode::Loop
  SharedArena* shared = nullptr;   // shared memory of the running block; null outside kernels
};
inline thread_local ThreadContext tls;

// Thrown by a primitive that cannot give CUDA's result (misuse, Loop mode); it ends the launch with
// cudaErrorLaunchFailure and `message` on stderr.
struct KernelFault {
  std::string message;
};

[[noreturn]] inline void fault(std::string message) { throw KernelFault{std::move(message)}; }

inline unsigned linear_thread_id() { return threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z); }
inline unsigned block_size() { return blockDim.x * blockDim.y * blockDim.z; }

}  // namespace cuda_cpu::detail
