// Row maxima with the tree fully unrolled for a template block size (the CUDA samples' reduce6 layout): each step
// is guarded by the block size and by `tid < s`, separated by barriers; the last warp's steps by __syncwarp().
#include <cuda_runtime.h>

template <unsigned int kBlock>
__global__ void row_max_template_unrolled(const float* __restrict__ x, float* __restrict__ out, int cols) {
  __shared__ float sh[kBlock];
  const unsigned int tid = threadIdx.x;
  float m = -INFINITY;
  for (int c = tid; c < cols; c += kBlock) m = fmaxf(m, x[static_cast<size_t>(blockIdx.x) * cols + c]);
  sh[tid] = m;
  __syncthreads();
  if (kBlock >= 512) {
    if (tid < 256) sh[tid] = fmaxf(sh[tid], sh[tid + 256]);
    __syncthreads();
  }
  if (kBlock >= 256) {
    if (tid < 128) sh[tid] = fmaxf(sh[tid], sh[tid + 128]);
    __syncthreads();
  }
  if (kBlock >= 128) {
    if (tid < 64) sh[tid] = fmaxf(sh[tid], sh[tid + 64]);
    __syncthreads();
  }
  if (tid < 32) {
    sh[tid] = fmaxf(sh[tid], sh[tid + 32]);
    __syncwarp();
    sh[tid] = fmaxf(sh[tid], sh[tid + 16]);
    __syncwarp();
    sh[tid] = fmaxf(sh[tid], sh[tid + 8]);
    __syncwarp();
    sh[tid] = fmaxf(sh[tid], sh[tid + 4]);
    __syncwarp();
    sh[tid] = fmaxf(sh[tid], sh[tid + 2]);
    __syncwarp();
    sh[tid] = fmaxf(sh[tid], sh[tid + 1]);
  }
  if (tid == 0) out[blockIdx.x] = sh[0];
}

void launch_row_max_template_unrolled(const float* x, float* out, int rows, int cols) {
  row_max_template_unrolled<512><<<rows, 512>>>(x, out, cols);
}
