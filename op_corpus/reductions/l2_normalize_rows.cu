// Row L2 normalisation y = x / sqrtf(sum x^2) (embedding normalisation): block per row, extern __shared__ sum-of-squares tree, strided write.
#include <cuda_runtime.h>
#include <math.h>

__global__ void l2_normalize_rows(const float* __restrict__ x, float* __restrict__ y, int rows, int cols) {
  extern __shared__ float ssq[];
  int row = blockIdx.x;
  if (row >= rows) return;
  const float* xr = x + (size_t)row * cols;
  float* yr = y + (size_t)row * cols;

  float acc = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    acc += xr[c] * xr[c];
  }
  ssq[threadIdx.x] = acc;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) ssq[threadIdx.x] += ssq[threadIdx.x + s];
    __syncthreads();
  }
  const float norm = sqrtf(ssq[0]);
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    yr[c] = xr[c] / norm;
  }
}

void launch_l2_normalize_rows(const float* x, float* y, int rows, int cols) {
  l2_normalize_rows<<<rows, 128, 128 * sizeof(float)>>>(x, y, rows, cols);
}
