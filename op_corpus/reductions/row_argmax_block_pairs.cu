// Greedy decoding over a vocabulary: one block per row finds the first position of the row's maximum logit.
// Each thread keeps the first maximum of its strided elements; a shared-memory tree of (value, index) pairs takes the
// partner's pair when its value is larger or equal at a smaller index, so the result is the first position.
#include <cuda_runtime.h>

constexpr int kThreads = 256;

__global__ void greedy_token(const float* __restrict__ logits, int* __restrict__ token, int vocab) {
  __shared__ float best_val[kThreads];
  __shared__ int best_idx[kThreads];
  const float* row = logits + static_cast<size_t>(blockIdx.x) * vocab;
  float v_max = -INFINITY;
  int i_max = 0;
  for (int c = threadIdx.x; c < vocab; c += blockDim.x) {
    const float v = row[c];
    if (v > v_max) {
      v_max = v;
      i_max = c;
    }
  }
  best_val[threadIdx.x] = v_max;
  best_idx[threadIdx.x] = i_max;
  __syncthreads();
  for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
    if (threadIdx.x < stride) {
      const float other = best_val[threadIdx.x + stride];
      const int other_idx = best_idx[threadIdx.x + stride];
      if (other > best_val[threadIdx.x] || (other == best_val[threadIdx.x] && other_idx < best_idx[threadIdx.x])) {
        best_val[threadIdx.x] = other;
        best_idx[threadIdx.x] = other_idx;
      }
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) token[blockIdx.x] = best_idx[0];
}

void launch_greedy_token(const float* logits, int* token, int rows, int vocab) {
  greedy_token<<<rows, kThreads>>>(logits, token, vocab);
}
