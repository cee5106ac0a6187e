// MoE top-1 routing: for each token, the index of the expert with the highest router logit (the first one on a
// tie), one thread per token scanning the experts.
#include <cuda_runtime.h>

__global__ void moe_top1_route(const float* __restrict__ logits, int* __restrict__ expert, int tokens, int experts) {
  int t = blockIdx.x * blockDim.x + threadIdx.x;
  if (t >= tokens) return;
  float best = -INFINITY;
  int choice = 0;
  for (int e = 0; e < experts; ++e) {
    float v = logits[(size_t)t * experts + e];
    if (v > best) {
      best = v;
      choice = e;
    }
  }
  expert[t] = choice;
}

void launch_moe_top1_route(const float* logits, int* expert, int tokens, int experts) {
  moe_top1_route<<<(tokens + 255) / 256, 256>>>(logits, expert, tokens, experts);
}
