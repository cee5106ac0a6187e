// Row softmax y = exp(x - max) / sum, one block per row: extern __shared__ max tree, sum-of-exp tree, then a strided normalising write.
#include <cuda_runtime.h>
#include <math.h>

__global__ void softmax_forward(const float* __restrict__ input, float* __restrict__ output, int rows, int cols) {
  extern __shared__ float shared[];
  int row = blockIdx.x;
  if (row >= rows) return;
  int tid = threadIdx.x;
  const float* x = input + (size_t)row * cols;
  float* y = output + (size_t)row * cols;

  // 1. row max
  float maxval = -INFINITY;
  for (int c = tid; c < cols; c += blockDim.x) {
    maxval = fmaxf(maxval, x[c]);
  }
  shared[tid] = maxval;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (tid < s) shared[tid] = fmaxf(shared[tid], shared[tid + s]);
    __syncthreads();
  }
  float row_max = shared[0];
  __syncthreads();

  // 2. sum of exp
  float sumval = 0.0f;
  for (int c = tid; c < cols; c += blockDim.x) {
    sumval += expf(x[c] - row_max);
  }
  shared[tid] = sumval;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (tid < s) shared[tid] += shared[tid + s];
    __syncthreads();
  }
  float row_sum = shared[0];

  // 3. normalise
  for (int c = tid; c < cols; c += blockDim.x) {
    y[c] = expf(x[c] - row_max) / row_sum;
  }
}

void softmax_forward_launch(const float* input, float* output, int rows, int cols, cudaStream_t stream) {
  int threads = 256;
  softmax_forward<<<rows, threads, threads * sizeof(float), stream>>>(input, output, rows, cols);
}
