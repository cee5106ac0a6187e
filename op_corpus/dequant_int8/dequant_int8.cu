// Per-tensor dequantization: y = float(q) * scale, int8 in, fp32 out, grid-stride loop.
#include <cuda_runtime.h>
#include <stdint.h>

__global__ void dequant_int8(const int8_t* __restrict__ q, float* __restrict__ y, float scale, int n) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
    y[i] = static_cast<float>(q[i]) * scale;
  }
}
