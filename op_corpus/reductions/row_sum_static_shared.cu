// Row sum of a [rows, cols] fp32 matrix: one block per row, strided per-thread accumulation, static __shared__ float sh[256] tree reduction.
#include <cuda_runtime.h>

#define THREADS 256

__global__ void row_sum_static_shared(const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
  __shared__ float sh[THREADS];
  int row = blockIdx.x;
  if (row >= rows) return;

  float acc = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    acc += x[row * cols + c];
  }
  sh[threadIdx.x] = acc;
  __syncthreads();

  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) out[row] = sh[0];
}

void launch_row_sum_static_shared(const float* x, float* out, int rows, int cols, cudaStream_t stream) {
  row_sum_static_shared<<<rows, THREADS, 0, stream>>>(x, out, rows, cols);
}
