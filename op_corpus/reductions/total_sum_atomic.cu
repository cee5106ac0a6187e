// Sum of all elements into out[0]: grid-stride per-thread partials, a shared-memory tree per block, then one atomicAdd per block.
#include <cuda_runtime.h>

__global__ void total_sum_atomic(const float* __restrict__ x, float* __restrict__ out, int n) {
  __shared__ float sh[256];
  float acc = 0.0f;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
    acc += x[i];
  }
  sh[threadIdx.x] = acc;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) atomicAdd(&out[0], sh[0]);
}

void launch_total_sum_atomic(const float* x, float* out, int n, cudaStream_t stream) {
  cudaMemsetAsync(out, 0, sizeof(float), stream);
  int blocks = (n + 255) / 256;
  if (blocks > 1024) blocks = 1024;
  total_sum_atomic<<<blocks, 256, 0, stream>>>(x, out, n);
}
