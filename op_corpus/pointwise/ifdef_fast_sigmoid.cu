// Sigmoid-gated product: y = x * sigmoid(g). `#ifdef USE_FAST_MATH` chooses __expf/__fdividef or expf and '/'.
// Style: #ifdef choosing between two expressions (the macro is left undefined, so the precise branch is taken).
#include <cuda_runtime.h>

#ifdef USE_FAST_MATH
#define GATE(v) __fdividef(1.0f, 1.0f + __expf(-(v)))
#else
#define GATE(v) (1.0f / (1.0f + expf(-(v))))
#endif

__global__ void sigmoid_gate(const float* __restrict__ x, const float* __restrict__ g, float* __restrict__ y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
#ifdef USE_FAST_MATH
    float gate = GATE(g[i]);
#else
    float gate = GATE(g[i]);
    gate = fminf(gate, 1.0f);
#endif
    y[i] = x[i] * gate;
  }
}
