// NEAR-MISS (must stay unported): a block argmax whose tree keeps its own pair unless the partner's value is
// strictly larger. On ties the lower thread wins, not the smaller index: thread 0's element 256 beats thread 1's
// element 1, so the result depends on the block's thread layout rather than being the first position. cuda2cann
// reports the missing tie rule instead of translating it as a plain argmax.
#include <cuda_runtime.h>

__global__ void argmax_ties_by_thread(const float* __restrict__ x, int* __restrict__ out, int n) {
  __shared__ float sv[256];
  __shared__ int si[256];
  float best = -INFINITY;
  int bi = 0;
  for (int c = threadIdx.x; c < n; c += blockDim.x) {
    if (x[blockIdx.x * n + c] > best) {
      best = x[blockIdx.x * n + c];
      bi = c;
    }
  }
  sv[threadIdx.x] = best;
  si[threadIdx.x] = bi;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s && sv[threadIdx.x + s] > sv[threadIdx.x]) {
      sv[threadIdx.x] = sv[threadIdx.x + s];
      si[threadIdx.x] = si[threadIdx.x + s];
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) out[blockIdx.x] = si[0];
}

void launch_argmax_ties_by_thread(const float* x, int* out, int rows, int n) {
  argmax_ties_by_thread<<<rows, 256>>>(x, out, n);
}
