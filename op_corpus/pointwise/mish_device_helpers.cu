// Mish-like activation: y = x * tanh(softplus(x)), softplus(x) = log(1 + exp(x)); also squares via a template helper.
// Style: __device__ helper functions (plain and `template <typename T>`), inlined; bounds guard.
#include <cuda_runtime.h>

__device__ __forceinline__ float softplus_fn(float x) {
  return logf(1.0f + expf(x));
}

template <typename T>
__device__ __forceinline__ T square(T v) {
  return v * v;
}

__device__ float mish_fn(float x) {
  return x * tanhf(softplus_fn(x));
}

// out = mish(x) and out_sq = mish(x)^2
__global__ void mish_and_square(const float* __restrict__ x, float* __restrict__ out, float* __restrict__ out_sq, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    float m = mish_fn(x[i]);
    out[i] = m;
    out_sq[i] = square<float>(m);
  }
}
