// Softplus with PyTorch's linear threshold: y = x if beta*x > threshold else log(1 + exp(beta*x)) / beta.
// Style: if/else storing different expressions in each branch, logf/expf, scalar parameters beta and threshold.
#include <cuda_runtime.h>

__global__ void softplus_f32(const float* __restrict__ x, float* __restrict__ y, float beta, float threshold, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    float bx = x[i] * beta;
    if (bx > threshold) {
      y[i] = x[i];
    } else {
      y[i] = logf(1.0f + expf(bx)) / beta;
    }
  }
}
