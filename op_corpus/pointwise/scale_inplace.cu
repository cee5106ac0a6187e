// In-place scaling of a buffer: x *= s. Style: in-place compound assignment, grid-stride loop, host launcher.
#include <cuda_runtime.h>

__global__ void scale_inplace_f32(float* x, float s, int n) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
    x[i] *= s;
  }
}

void scale_inplace(float* x, float s, int n, cudaStream_t stream) {
  int blocks = (n + 255) / 256;
  blocks = blocks < 2048 ? blocks : 2048;
  scale_inplace_f32<<<blocks, 256, 0, stream>>>(x, s, n);
}
