// fp16 multiply-add with half intrinsics: out = a * b + c, all in __half.
// Style: __half arithmetic with __hmul / __hadd, bounds guard.
#include <cuda_runtime.h>
#include <cuda_fp16.h>

__global__ void half_mul_add(const __half* __restrict__ a, const __half* __restrict__ b,
                             const __half* __restrict__ c, __half* __restrict__ out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    out[i] = __hadd(__hmul(a[i], b[i]), c[i]);
  }
}
