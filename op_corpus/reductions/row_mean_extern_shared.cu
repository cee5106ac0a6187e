// Row mean (sum / cols) of a [rows, cols] fp32 matrix: one block per row, extern __shared__ buffer sized by the launch, tree reduction.
#include <cuda_runtime.h>

__global__ void row_mean(const float* __restrict__ input, float* __restrict__ mean, int rows, int cols) {
  extern __shared__ float smem[];
  const int row = blockIdx.x;
  const int tid = threadIdx.x;
  if (row >= rows) return;
  const float* in_row = input + static_cast<size_t>(row) * cols;

  float sum = 0.f;
  for (int c = tid; c < cols; c += blockDim.x) {
    sum += in_row[c];
  }
  smem[tid] = sum;
  __syncthreads();

  for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
    if (tid < stride) {
      smem[tid] += smem[tid + stride];
    }
    __syncthreads();
  }

  if (tid == 0) {
    mean[row] = smem[0] / cols;
  }
}

void row_mean_launcher(const float* input, float* mean, int rows, int cols) {
  const int threads = 128;
  row_mean<<<rows, threads, threads * sizeof(float)>>>(input, mean, rows, cols);
}
