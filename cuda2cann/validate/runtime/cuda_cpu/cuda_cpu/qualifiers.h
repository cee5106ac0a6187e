// CUDA declaration specifiers for host compilation: every function is an ordinary host function,
// every __device__/__constant__ variable an ordinary global. `__shared__` is normally rewritten by the
// harness into cuda_cpu::block_shared<T>(ID); the empty macro only keeps unrewritten code compiling.
#pragma once
// libstdc++ writes __attribute__((__noinline__)) in <memory>; include it before the macro exists.
#include <memory>

#define __global__
#define __device__
#define __host__
#define __constant__
#define __shared__
#define __managed__
#define __grid_constant__
#define __forceinline__ inline __attribute__((always_inline))
#define __noinline__ __attribute__((noinline))
#define __launch_bounds__(...)
#define __align__(n) __attribute__((aligned(n)))
#define __builtin_align__(n) __attribute__((aligned(n)))
#define __device_builtin__
#define __cudart_builtin__
// __restrict__ is a GCC keyword already: kernels keep their no-aliasing promise on the CPU too.
