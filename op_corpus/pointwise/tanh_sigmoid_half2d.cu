// Gated tanh over a [rows, cols] fp16 matrix: out = tanh(a) * sigmoid(b), computed in fp32.
// Style: 2-D grid with `if (row < rows && col < cols)`, fp16 in/out, tanhf/expf, two inputs.
#include <cuda_runtime.h>
#include <cuda_fp16.h>

__global__ void gated_tanh_f16_2d(const __half* __restrict__ a, const __half* __restrict__ b, __half* __restrict__ out,
                                  int rows, int cols) {
  const int row = blockIdx.y * blockDim.y + threadIdx.y;
  const int col = blockIdx.x * blockDim.x + threadIdx.x;
  if (row < rows && col < cols) {
    const int idx = row * cols + col;
    float ta = tanhf(__half2float(a[idx]));
    float sb = 1.0f / (1.0f + expf(-__half2float(b[idx])));
    out[idx] = __float2half(ta * sb);
  }
}
