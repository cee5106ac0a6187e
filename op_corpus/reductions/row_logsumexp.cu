// Log-sum-exp of each row (the statistic attention and cross-entropy kernels save), block per row: a max tree,
// a sum-of-exponentials tree, and one value per row written by thread 0.
#include <cuda_runtime.h>

__global__ void row_logsumexp(const float* __restrict__ x, float* __restrict__ lse, int rows, int cols) {
  __shared__ float sh[256];
  int row = blockIdx.x, tid = threadIdx.x;
  if (row >= rows) return;
  float m = -INFINITY;
  for (int c = tid; c < cols; c += blockDim.x) m = fmaxf(m, x[row * cols + c]);
  sh[tid] = m;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (tid < s) sh[tid] = fmaxf(sh[tid], sh[tid + s]);
    __syncthreads();
  }
  float mx = sh[0];
  __syncthreads();
  float acc = 0.0f;
  for (int c = tid; c < cols; c += blockDim.x) acc += expf(x[row * cols + c] - mx);
  sh[tid] = acc;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (tid < s) sh[tid] += sh[tid + s];
    __syncthreads();
  }
  if (tid == 0) lse[row] = logf(sh[0]) + mx;
}

void launch_row_logsumexp(const float* x, float* lse, int rows, int cols) {
  row_logsumexp<<<rows, 256>>>(x, lse, rows, cols);
}
