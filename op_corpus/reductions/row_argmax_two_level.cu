// Top-1 expert per token over many experts (MoE routing for large expert counts), one block of 512 threads per
// token: each thread keeps the first maximum of its strided scores, warps merge (score, expert) pairs with shuffles
// (ties to the smaller index), lane 0 of each warp publishes its pair, and warp 0 merges the per-warp pairs.
#include <cuda_runtime.h>

__device__ __forceinline__ void warp_argmax(float& score, int& expert) {
  for (int offset = 16; offset > 0; offset >>= 1) {
    const float other = __shfl_down_sync(0xffffffffu, score, offset);
    const int other_expert = __shfl_down_sync(0xffffffffu, expert, offset);
    if (other > score || (other == score && other_expert < expert)) {
      score = other;
      expert = other_expert;
    }
  }
}

__global__ void route_top1_two_level(const float* __restrict__ logits, int* __restrict__ expert_of, int experts) {
  __shared__ float warp_score[32];
  __shared__ int warp_expert[32];
  const float* row = logits + static_cast<size_t>(blockIdx.x) * experts;
  float score = -INFINITY;
  int expert = 0;
  for (int e = threadIdx.x; e < experts; e += blockDim.x) {
    if (row[e] > score) {
      score = row[e];
      expert = e;
    }
  }
  warp_argmax(score, expert);
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  if (lane == 0) {
    warp_score[warp] = score;
    warp_expert[warp] = expert;
  }
  __syncthreads();
  if (warp == 0) {
    score = lane < blockDim.x / 32 ? warp_score[lane] : -INFINITY;
    expert = lane < blockDim.x / 32 ? warp_expert[lane] : 0;
    warp_argmax(score, expert);
    if (lane == 0) expert_of[blockIdx.x] = expert;
  }
}

void launch_route_top1_two_level(const float* logits, int* expert_of, int tokens, int experts) {
  route_top1_two_level<<<tokens, 512>>>(logits, expert_of, experts);
}
