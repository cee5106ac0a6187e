// Dot product of two half vectors accumulated in fp32: grid-stride partials, two levels of warp shuffles through
// shared memory, and one atomicAdd per block by thread 0.
#include <cuda_fp16.h>
#include <cuda_runtime.h>

__device__ float warp_reduce(float v) {
  for (int offset = 16; offset > 0; offset /= 2) v += __shfl_down_sync(0xffffffffu, v, offset);
  return v;
}

__global__ void dot_two_level_atomic(const __half* __restrict__ a, const __half* __restrict__ b, float* __restrict__ out,
                                     int n) {
  __shared__ float warp_sums[32];
  float acc = 0.0f;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x)
    acc += __half2float(a[i]) * __half2float(b[i]);
  int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  acc = warp_reduce(acc);
  if (lane == 0) warp_sums[warp] = acc;
  __syncthreads();
  acc = threadIdx.x < blockDim.x / 32 ? warp_sums[lane] : 0.0f;
  if (warp == 0) acc = warp_reduce(acc);
  if (threadIdx.x == 0) atomicAdd(out, acc);
}

void launch_dot_two_level_atomic(const __half* a, const __half* b, float* out, int n) {
  dot_two_level_atomic<<<160, 512>>>(a, b, out, n);
}
