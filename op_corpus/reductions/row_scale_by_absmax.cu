// Per-row scaling by the row's absolute maximum, y = x / max_c |x| (absmax normalisation before quantisation): block per row, fmaxf(fabsf) tree, strided write.
#include <cuda_runtime.h>
#include <math.h>

#define NTHREADS 256

__global__ void row_scale_by_absmax(const float* __restrict__ x, float* __restrict__ y, int rows, int cols) {
  __shared__ float smax[NTHREADS];
  int row = blockIdx.x;
  if (row >= rows) return;
  int tid = threadIdx.x;

  float amax = 0.0f;
  for (int c = tid; c < cols; c += blockDim.x) {
    amax = fmaxf(amax, fabsf(x[row * cols + c]));
  }
  smax[tid] = amax;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (tid < s) smax[tid] = fmaxf(smax[tid], smax[tid + s]);
    __syncthreads();
  }
  float rmax = smax[0];
  for (int c = tid; c < cols; c += blockDim.x) {
    y[row * cols + c] = x[row * cols + c] / rmax;
  }
}

void launch_row_scale_by_absmax(const float* x, float* y, int rows, int cols) {
  row_scale_by_absmax<<<rows, NTHREADS>>>(x, y, rows, cols);
}
