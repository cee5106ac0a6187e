// Row sum of an fp16 [rows, cols] matrix accumulated in fp32 (__half2float), result rounded back to half: block per row, static shared tree.
#include <cuda_runtime.h>
#include <cuda_fp16.h>

__global__ void row_sum_half(const __half* __restrict__ x, __half* __restrict__ out, int rows, int cols) {
  __shared__ float sh[256];
  int row = blockIdx.x;
  if (row >= rows) return;
  const __half* xr = x + (size_t)row * cols;

  float acc = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    acc += __half2float(xr[c]);
  }
  sh[threadIdx.x] = acc;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) out[row] = __float2half(sh[0]);
}

void launch_row_sum_half(const __half* x, __half* out, int rows, int cols, cudaStream_t stream) {
  row_sum_half<<<rows, 256, 0, stream>>>(x, out, rows, cols);
}
