// Absolute value: y = |x|. Style: templated kernel `template <typename T> __global__`, host launcher
// instantiating it for float, grid-stride loop, ternary.
#include <cuda_runtime.h>

template <typename T>
__global__ void abs_kernel(const T* __restrict__ x, T* __restrict__ y, int n) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
    T v = x[i];
    y[i] = v < T(0) ? -v : v;
  }
}

void abs_float(const float* x, float* y, int n, cudaStream_t stream) {
  const int threads = 256;
  int blocks = (n + threads - 1) / threads;
  if (blocks > 4096) blocks = 4096;
  abs_kernel<float><<<blocks, threads, 0, stream>>>(x, y, n);
}
