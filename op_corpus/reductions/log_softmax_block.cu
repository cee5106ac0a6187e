// Row log-softmax y = x - max - log(sum exp(x - max)), one block per row: static shared max and sum trees, strided write of y[row * cols + c].
#include <cuda_runtime.h>
#include <math.h>

#define LSM_THREADS 256

__global__ void log_softmax_rows(const float* __restrict__ x, float* __restrict__ y, int rows, int cols) {
  __shared__ float red[LSM_THREADS];
  int row = blockIdx.x;
  if (row >= rows) return;

  float m = -INFINITY;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) m = fmaxf(m, x[row * cols + c]);
  red[threadIdx.x] = m;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) red[threadIdx.x] = fmaxf(red[threadIdx.x], red[threadIdx.x + s]);
    __syncthreads();
  }
  const float rmax = red[0];
  __syncthreads();

  float sum = 0.f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) sum += __expf(x[row * cols + c] - rmax);
  red[threadIdx.x] = sum;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) red[threadIdx.x] += red[threadIdx.x + s];
    __syncthreads();
  }
  const float log_sum = logf(red[0]);

  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    y[row * cols + c] = x[row * cols + c] - rmax - log_sum;
  }
}

void launch_log_softmax_rows(const float* x, float* y, int rows, int cols) {
  log_softmax_rows<<<rows, LSM_THREADS>>>(x, y, rows, cols);
}
