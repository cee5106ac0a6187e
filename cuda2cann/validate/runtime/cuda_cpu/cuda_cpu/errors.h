// cudaError_t with CUDA's numeric values and messages, and the error state of the runtime: the last
// error per host thread (cudaGetLastError) and the sticky error of a failed launch, which the
// synchronising calls report as a GPU would.
#pragma once
#include <atomic>

#define CUDA_CPU_ERRORS(X)                                                             \
  X(cudaSuccess, 0, "no error")                                                        \
  X(cudaErrorInvalidValue, 1, "invalid argument")                                      \
  X(cudaErrorMemoryAllocation, 2, "out of memory")                                     \
  X(cudaErrorInitializationError, 3, "initialization error")                          \
  X(cudaErrorInvalidConfiguration, 9, "invalid configuration argument")               \
  X(cudaErrorInvalidPitchValue, 12, "invalid pitch argument")                         \
  X(cudaErrorInvalidSymbol, 13, "invalid device symbol")                              \
  X(cudaErrorInvalidDevicePointer, 17, "invalid device pointer")                      \
  X(cudaErrorInvalidMemcpyDirection, 21, "invalid copy direction for memcpy")         \
  X(cudaErrorInvalidDeviceFunction, 98, "invalid device function")                    \
  X(cudaErrorNoDevice, 100, "no CUDA-capable device is detected")                     \
  X(cudaErrorInvalidDevice, 101, "invalid device ordinal")                            \
  X(cudaErrorInvalidResourceHandle, 400, "invalid resource handle")                   \
  X(cudaErrorNotReady, 600, "device not ready")                                        \
  X(cudaErrorIllegalAddress, 700, "an illegal memory access was encountered")         \
  X(cudaErrorLaunchOutOfResources, 701, "too many resources requested for launch")    \
  X(cudaErrorLaunchTimeout, 702, "the launch timed out and was terminated")           \
  X(cudaErrorAssert, 710, "device-side assert triggered")                             \
  X(cudaErrorLaunchFailure, 719, "unspecified launch failure")                        \
  X(cudaErrorNotSupported, 801, "operation not supported")                            \
  X(cudaErrorUnknown, 999, "unknown error")

#define CUDA_CPU_ENUMERATOR(name, value, text) name = value,
enum cudaError { CUDA_CPU_ERRORS(CUDA_CPU_ENUMERATOR) };
#undef CUDA_CPU_ENUMERATOR
typedef enum cudaError cudaError_t;

inline const char* cudaGetErrorString(cudaError_t e) {
  switch (e) {
#define CUDA_CPU_CASE(name, value, text) case name: return text;
    CUDA_CPU_ERRORS(CUDA_CPU_CASE)
#undef CUDA_CPU_CASE
  }
  return "unrecognized error code";
}

inline const char* cudaGetErrorName(cudaError_t e) {
  switch (e) {
#define CUDA_CPU_CASE(name, value, text) case name: return #name;
    CUDA_CPU_ERRORS(CUDA_CPU_CASE)
#undef CUDA_CPU_CASE
  }
  return "cudaErrorUnknown";
}

namespace cuda_cpu::detail {
inline thread_local cudaError_t last_error = cudaSuccess;
inline std::atomic<cudaError_t> sticky_error{cudaSuccess};

// Records `e` as the last error (if it is one) and passes it through: `return record(e);`.
inline cudaError_t record(cudaError_t e) {
  if (e != cudaSuccess) last_error = e;
  return e;
}
}  // namespace cuda_cpu::detail

inline cudaError_t cudaGetLastError() {
  cudaError_t e = cuda_cpu::detail::last_error;
  cuda_cpu::detail::last_error = cudaSuccess;
  return e;
}
inline cudaError_t cudaPeekAtLastError() { return cuda_cpu::detail::last_error; }
