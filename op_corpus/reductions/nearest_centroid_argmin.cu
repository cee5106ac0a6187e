// Nearest centroid in 1-D: for each row of candidate distances |x - c|, the position of the smallest one, one thread
// per row (argmin with a strict `<`, so the first of equal distances wins).
#include <cuda_runtime.h>

__global__ void nearest_centroid_argmin(const float* __restrict__ x, const float* __restrict__ centroids,
                                        int* __restrict__ nearest, int rows, int cols) {
  int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  float best = INFINITY;
  int at = 0;
  for (int c = 0; c < cols; ++c) {
    float d = fabsf(x[r * cols + c] - centroids[c]);
    if (d < best) {
      best = d;
      at = c;
    }
  }
  nearest[r] = at;
}

void launch_nearest_centroid_argmin(const float* x, const float* centroids, int* nearest, int rows, int cols) {
  nearest_centroid_argmin<<<(rows + 127) / 128, 128>>>(x, centroids, nearest, rows, cols);
}
