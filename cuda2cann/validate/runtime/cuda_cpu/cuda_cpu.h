// cuda-cpu: the CUDA execution model on the CPU, so that the original CUDA source of a kernel
// compiles with a host C++17 compiler and runs with CUDA semantics. See docs/runtime_cuda_cpu.md.
//
// Harness API (namespace cuda_cpu):
//   launch(LaunchConfig(grid, block[, shared_bytes[, stream]][, SyncMode]), kernel, args...)
//   block_shared<T>(id)  -> T*   one object per block for the __shared__ declaration `id`
//   dynamic_shared<T>()  -> T*   the block's extern __shared__ area
#pragma once
#include "cuda_cpu/qualifiers.h"
#include "cuda_cpu/vector_types.h"
#include "cuda_cpu/errors.h"
#include "cuda_cpu/context.h"
#include "cuda_cpu/math_functions.h"
#include "cuda_cpu/half.h"
#include "cuda_cpu/atomics.h"
#include "cuda_cpu/sync.h"
#include "cuda_cpu/shared.h"
#include "cuda_cpu/launch.h"
#include "cuda_cpu/host_runtime.h"

// The view of nvcc's host pass: CUDA source (__CUDACC__) but not device code (no __CUDA_ARCH__), so
// `#ifdef __CUDACC__` selects the CUDA spellings and `#if __CUDA_ARCH__ >= ...` the portable paths.
// Defined last: the C and C++ library headers above must not see it.
#define __CUDACC__ 1
#define __CUDACC_VER_MAJOR__ 12
#define __CUDACC_VER_MINOR__ 0
#define __CUDACC_VER_BUILD__ 0
