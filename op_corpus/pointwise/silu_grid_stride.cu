// SiLU / swish in fp32: y = x / (1 + exp(-x)). Style: grid-stride loop, fast intrinsics __expf and __fdividef.
#include <cuda_runtime.h>

__global__ void silu_fast_f32(const float* __restrict__ input, float* __restrict__ output, int n) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
    float v = input[i];
    output[i] = __fdividef(v, 1.0f + __expf(-v));
  }
}

void silu_fast_f32_launch(const float* input, float* output, int n) {
  int blocks = (n + 511) / 512;
  if (blocks > 1024) blocks = 1024;
  silu_fast_f32<<<blocks, 512>>>(input, output, n);
}
