// Dequantise int32 codes to fp32: y = (float)(q - zero_point) * scale.
// Style: int -> float casts with a C-style cast and static_cast, int and float scalar parameters.
#include <cuda_runtime.h>

__global__ void dequant_int32_f32(const int* __restrict__ q, float* __restrict__ y, float scale, int zero_point, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    int centered = q[i] - zero_point;
    float z = static_cast<float>(centered);
    y[i] = (float)z * scale;
  }
}
