// RMSNorm y = x * rsqrtf(sum(x^2) / cols + eps) * w[c], one block per row: sum of squares through a single static shared tree, strided write.
#include <cuda_runtime.h>

template <int BLOCK>
__global__ void rms_norm_kernel(float* __restrict__ out, const float* __restrict__ input,
                                const float* __restrict__ weight, const float epsilon,
                                const int num_tokens, const int hidden_size) {
  __shared__ float s_variance[BLOCK];
  const int token = blockIdx.x;
  if (token >= num_tokens) return;

  float variance = 0.0f;
  for (int idx = threadIdx.x; idx < hidden_size; idx += blockDim.x) {
    const float x = input[token * hidden_size + idx];
    variance += x * x;
  }
  s_variance[threadIdx.x] = variance;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) s_variance[threadIdx.x] += s_variance[threadIdx.x + s];
    __syncthreads();
  }
  const float inv_rms = rsqrtf(s_variance[0] / hidden_size + epsilon);

  for (int idx = threadIdx.x; idx < hidden_size; idx += blockDim.x) {
    const float x = input[token * hidden_size + idx];
    out[token * hidden_size + idx] = x * inv_rms * weight[idx];
  }
}

void rms_norm(float* out, const float* input, const float* weight, float epsilon, int num_tokens, int hidden_size) {
  rms_norm_kernel<256><<<num_tokens, 256>>>(out, input, weight, epsilon, num_tokens, hidden_size);
}
