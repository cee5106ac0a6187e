// Row sum with cub::BlockReduce<float, 256>::Sum (block per row, strided accumulation); the cub include is guarded by __CUDACC__.
#include <cuda_runtime.h>
#ifdef __CUDACC__
#include <cub/cub.cuh>
#endif

template <int BLOCK_THREADS>
__global__ void row_sum_cub(const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
  typedef cub::BlockReduce<float, BLOCK_THREADS> BlockReduce;
  __shared__ typename BlockReduce::TempStorage temp;
  int row = blockIdx.x;
  if (row >= rows) return;
  float acc = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) acc += x[(size_t)row * cols + c];
  float total = BlockReduce(temp).Sum(acc);
  if (threadIdx.x == 0) out[row] = total;
}

void launch_row_sum_cub(const float* x, float* out, int rows, int cols) {
  row_sum_cub<256><<<rows, 256>>>(x, out, rows, cols);
}
