// Row min of a [rows, cols] fp32 matrix: one block per row, INFINITY start, fminf accumulation, extern __shared__ fminf tree.
#include <cuda_runtime.h>
#include <math.h>

__global__ void row_min_block(const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
  extern __shared__ float red[];
  int row = blockIdx.x;
  if (row >= rows) return;
  const float* xr = x + (size_t)row * cols;
  int tid = threadIdx.x;

  float v = INFINITY;
  for (int c = tid; c < cols; c += blockDim.x) v = fminf(v, xr[c]);
  red[tid] = v;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (tid < s) red[tid] = fminf(red[tid], red[tid + s]);
    __syncthreads();
  }
  if (tid == 0) out[row] = red[0];
}

void launch_row_min_block(const float* x, float* out, int rows, int cols, cudaStream_t stream) {
  const int block = 512;
  row_min_block<<<rows, block, block * sizeof(float), stream>>>(x, out, rows, cols);
}
