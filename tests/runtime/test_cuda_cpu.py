"""cuda-cpu: the CUDA execution model on the CPU — indexing, shared memory, barriers, warp collectives,
atomics, half/bfloat16, vector types, the host runtime, scheduling semantics and fault reports.

The kernels are written the way the harness hands them to the runtime: `__shared__` declarations
already rewritten into `cuda_cpu::block_shared<T>(ID)` / `cuda_cpu::dynamic_shared<T>()`, launches
into `cuda_cpu::launch(cuda_cpu::LaunchConfig(...), kernel, args...)`. Each C++ program prints
`key value...` lines that the tests parse; builds are cached by content.
"""
from __future__ import annotations

import os
import struct
import subprocess
import textwrap
from fractions import Fraction

import numpy as np
import pytest
import torch

from cuda2cann.validate.toolchain import BuildRequest, Runtime, build_executable


def run(source: str, *args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Compile `source` against cuda-cpu (cached) and run it with `args` and extra environment `env`."""
    exe = build_executable(BuildRequest(textwrap.dedent(source), Runtime.CUDA_CPU))
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})

# ---------------------------------------------------------------------------------------------
# Kernels whose results are checked value by value.
BASICS = r"""
#include <cuda_runtime.h>
#include <cuda_fp16.h>
#include <cooperative_groups.h>
#include <cooperative_groups/reduce.h>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <type_traits>
#include <vector>
namespace cg = cooperative_groups;
using cuda_cpu::LaunchConfig;
using cuda_cpu::SyncMode;

#define CHECK(call) do { cudaError_t e_ = (call); if (e_ != cudaSuccess) { \
  std::printf("FAIL %s: %s\n", #call, cudaGetErrorString(e_)); return 1; } } while (0)

template <class T> T* device(const std::vector<T>& h) {
  T* d; cudaMalloc(&d, h.size() * sizeof(T));
  cudaMemcpy(d, h.data(), h.size() * sizeof(T), cudaMemcpyHostToDevice);
  return d;
}
template <class T> std::vector<T> host(const T* d, size_t n) {
  std::vector<T> h(n);
  cudaMemcpy(h.data(), d, n * sizeof(T), cudaMemcpyDeviceToHost);
  return h;
}
template <class T> void print(const char* key, const std::vector<T>& v) {
  std::printf("%s", key);
  for (const T& x : v) {
    if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) std::printf(" %lld", (long long)x);
    else if constexpr (std::is_integral_v<T>) std::printf(" %llu", (unsigned long long)x);
    else std::printf(" %.17g", (double)x);
  }
  std::printf("\n");
}
double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// ---- indexing ----
__global__ void vec_add(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) c[i] = a[i] + b[i];
}
__global__ void index_2d(int* out, int rows, int cols) {
  int c = blockIdx.x * blockDim.x + threadIdx.x, r = blockIdx.y * blockDim.y + threadIdx.y;
  if (r < rows && c < cols) out[r * cols + c] = r * 1000 + c;
}
__global__ void index_3d(int* out, dim3 extent) {
  unsigned x = blockIdx.x * blockDim.x + threadIdx.x, y = blockIdx.y * blockDim.y + threadIdx.y,
           z = blockIdx.z * blockDim.z + threadIdx.z;
  if (x < extent.x && y < extent.y && z < extent.z)
    out[(z * extent.y + y) * extent.x + x] = (int)(z * 10000 + y * 100 + x) + (int)(gridDim.x * 0);
}
__global__ void grid_stride(float* y, const float* x, float alpha, int n) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) y[i] = alpha * x[i] + y[i];
}
struct Affine { float scale; int offset; float4 pad; };
template <class T>
__global__ void affine(T* out, Affine p, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = (T)(p.scale * i + p.offset + p.pad.w);
}
__global__ void float4_copy(const float* in, float* out, int n4) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n4) {
    float4 v = __ldg(reinterpret_cast<const float4*>(in) + i);
    reinterpret_cast<float4*>(out)[i] = make_float4(v.w, v.z, v.y, v.x);
  }
}

// ---- shared memory and barriers ----
__global__ void tree_reduce(const float* in, float* out, int n) {
  auto& s = *cuda_cpu::block_shared<float[256]>(1);
  unsigned t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
  s[t] = i < (unsigned)n ? in[i] : 0.0f;
  __syncthreads();
  for (unsigned k = blockDim.x / 2; k > 0; k >>= 1) {
    if (t < k) s[t] += s[t + k];
    __syncthreads();
  }
  if (t == 0) out[blockIdx.x] = s[0];
}
// Reverses each block's slice through dynamic shared memory sized by the launch.
__global__ void dyn_reverse(const int* in, int* out) {
  int* s = cuda_cpu::dynamic_shared<int>();
  unsigned t = threadIdx.x, base = blockIdx.x * blockDim.x;
  s[t] = in[base + t];
  __syncthreads();
  out[base + t] = s[blockDim.x - 1 - t];
}
// Shared memory starts as garbage (0xFF bytes), fresh for every block; templates keep one object per type.
template <class T>
__global__ void shared_fresh(unsigned* out) {
  auto& s = *cuda_cpu::block_shared<T[4]>(2);
  auto& flag = *cuda_cpu::block_shared<unsigned>(3);
  if (threadIdx.x == 0) {
    unsigned char bytes[sizeof(T)];
    std::memcpy(bytes, &s[3], sizeof(T));
    out[blockIdx.x] = bytes[0] == 0xFF && bytes[sizeof(T) - 1] == 0xFF && flag == 0xFFFFFFFFu;
    s[3] = T(1);
    flag = 7;
  }
}
__global__ void sync_votes(int* out) {
  int t = threadIdx.x;
  int c = __syncthreads_count(t % 3 == 0);
  int a = __syncthreads_and(t < 1000);
  int a2 = __syncthreads_and(t < 100);
  int o = __syncthreads_or(t == 77);
  int o2 = __syncthreads_or(0);
  if (t == 5) { out[0] = c; out[1] = a; out[2] = a2; out[3] = o; out[4] = o2; }
}
// Threads that exited count as arrived at later barriers.
__global__ void early_exit(int* out) {
  auto& s = *cuda_cpu::block_shared<int[128]>(4);
  if (threadIdx.x >= 64) return;
  s[threadIdx.x] = threadIdx.x;
  __syncthreads();
  out[threadIdx.x] = s[63 - threadIdx.x];
}

// ---- warp collectives ----
__device__ float warp_sum_down(float v) {
  for (int o = warpSize / 2; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffff, v, o);
  return v;
}
__global__ void shfl_down_reduce(const float* in, float* out) {
  float v = warp_sum_down(in[blockIdx.x * blockDim.x + threadIdx.x]);
  if (threadIdx.x % 32 == 0) out[(blockIdx.x * blockDim.x + threadIdx.x) / 32] = v;
}
__global__ void shfl_xor_butterfly(const int* in, int* out) {
  int v = in[threadIdx.x];
  for (int m = 16; m > 0; m >>= 1) v += __shfl_xor_sync(0xffffffffu, v, m);
  out[threadIdx.x] = v;  // every lane holds its warp's sum
}
__global__ void block_sum_two_level(const float* in, float* out, int n) {
  auto& partial = *cuda_cpu::block_shared<float[32]>(5);
  int i = blockIdx.x * blockDim.x + threadIdx.x, lane = threadIdx.x % warpSize, warp = threadIdx.x / warpSize;
  float v = i < n ? in[i] : 0.0f;
  v = warp_sum_down(v);
  if (lane == 0) partial[warp] = v;
  __syncthreads();
  v = threadIdx.x < blockDim.x / warpSize ? partial[lane] : 0.0f;
  if (warp == 0) v = warp_sum_down(v);
  if (threadIdx.x == 0) atomicAdd(out, v);
}
__global__ void shuffles_misc(int* out) {
  int lane = threadIdx.x;
  out[lane] = __shfl_sync(0xffffffff, lane * 10, 3);                  // broadcast lane 3
  out[32 + lane] = __shfl_up_sync(0xffffffff, lane, 2);               // lanes 0,1 keep their own
  out[64 + lane] = __shfl_down_sync(0xffffffff, lane, 3, 8);          // within segments of 8
  out[96 + lane] = __shfl_xor_sync(0xffffffff, lane, 1, 4);
  out[128 + lane] = __shfl_sync(0xffffffff, lane, lane + 1, 16);      // rotate within 16
  double d = __shfl_down_sync(0xffffffff, lane + 0.5, 1);
  out[160 + lane] = (int)(d * 2);
  int x = lane;  // inclusive scan with shfl_up
  for (int o = 1; o < 32; o <<= 1) { int y = __shfl_up_sync(0xffffffff, x, o); if (lane >= o) x += y; }
  out[192 + lane] = x;
}
__global__ void votes(unsigned* out) {
  int lane = threadIdx.x % 32, w = threadIdx.x / 32;
  unsigned b = __ballot_sync(0xffffffff, lane % 4 == 0);
  int any = __any_sync(0xffffffff, lane == 31 && w == 1);
  int all = __all_sync(0xffffffff, lane < 32);
  int none = __all_sync(0xffffffff, lane < 31);
  unsigned half_mask = __ballot_sync(0xffffffff, lane < 16);
  unsigned active = __activemask();
  unsigned match = __match_any_sync(0xffffffff, lane / 8);
  unsigned sum = __reduce_add_sync(0xffffffff, (unsigned)lane);
  if (lane == 9) {
    unsigned* o = out + w * 8;
    o[0] = b; o[1] = any; o[2] = all; o[3] = none; o[4] = half_mask; o[5] = active; o[6] = match; o[7] = sum;
  }
}
// A warp is 32 consecutive linear thread ids, x fastest: in an 8x8 block, warp 0 holds rows y = 0..3.
__global__ void warp_layout(int* out) {
  out[threadIdx.y * blockDim.x + threadIdx.x] = __shfl_sync(0xffffffff, (int)(threadIdx.y * 10 + threadIdx.x), 31);
}
// Divergent halves of a warp synchronise separately, each with its own mask.
__global__ void split_warp(int* out) {
  int lane = threadIdx.x, v;
  if (lane < 16) v = __shfl_xor_sync(0x0000ffffu, lane, 1);
  else { __syncwarp(0xffff0000u); v = __shfl_down_sync(0xffff0000u, lane, 15); }
  out[lane] = v;
}
__global__ void cg_reduce(const int* in, int* out, float* fout) {
  cg::thread_block block = cg::this_thread_block();
  cg::thread_block_tile<32> warp = cg::tiled_partition<32>(block);
  cg::thread_block_tile<8> tile8 = cg::tiled_partition<8>(block);
  int v = in[block.thread_rank()];
  int s = cg::reduce(warp, v, cg::plus<int>());
  int m = cg::reduce(tile8, v, cg::greater<int>());
  int lo = cg::reduce(tile8, v, cg::less<int>());
  float f = warp.shfl_down((float)v, 1) + tile8.shfl(0.5f, 0) * 0;
  block.sync();
  if (warp.thread_rank() == 0) out[warp.meta_group_rank()] = s;
  if (tile8.thread_rank() == 0) { out[8 + tile8.meta_group_rank()] = m; out[24 + tile8.meta_group_rank()] = lo; }
  fout[block.thread_rank()] = f;
  if (block.thread_rank() == 0) out[40] = (int)(warp.size() * 100 + tile8.size() * 10 + tile8.meta_group_size());
}

// ---- atomics ----
__global__ void atomics(int* i, unsigned* u, unsigned long long* ull, float* f, double* d, int n) {
  int g = blockIdx.x * blockDim.x + threadIdx.x;
  if (g >= n) return;
  atomicAdd(&i[0], 1);
  atomicSub(&i[1], 2);
  atomicMax(&i[2], g);
  atomicMin(&i[3], -g);
  atomicAnd(&u[0], ~(1u << (g % 32)));
  atomicOr(&u[1], 1u << (g % 32));
  atomicXor(&u[2], 1u << (g % 2));
  atomicInc(&u[3], 9u);
  atomicDec(&u[4], 6u);
  atomicAdd(&ull[0], (unsigned long long)g << 20);
  atomicExch(&i[4], 42);
  for (int seen = i[5], assumed;; seen = assumed) {  // an increment built from atomicCAS
    assumed = atomicCAS(&i[5], seen, seen + 1);
    if (assumed == seen) break;
  }
  atomicAdd(&f[0], 0.5f);
  atomicMax(&f[1], (float)g * 0.25f);
  atomicMin(&f[2], -(float)g);
  atomicAdd(&d[0], 0.125);
}

// ---- scheduling semantics ----
// Non-atomic read-modify-write by every thread of ONE block: threads run one after another between
// barriers, so each increment sees the previous one.
__global__ void racy_block(int* counter) { counter[0] = counter[0] + 1; }
__global__ void racy_block_fibers(int* counter, int* log) {
  int slot = counter[0];
  counter[0] = slot + 1;
  log[slot] = threadIdx.x;
  __syncthreads();
  slot = counter[0];
  counter[0] = slot + 1;
  log[slot] = threadIdx.x;
}

__constant__ float coeffs[4];
__device__ int device_counter;
__global__ void use_symbols(float* out) {
  out[threadIdx.x] = coeffs[threadIdx.x];
  if (threadIdx.x == 0) device_counter += 5;
}

__global__ void barriers(float* out) {
  auto& s = *cuda_cpu::block_shared<float[256]>(6);
  float acc = 0;
  for (int k = 0; k < 10; ++k) {
    s[threadIdx.x] = threadIdx.x + k;
    __syncthreads();
    acc += s[(threadIdx.x + 1) % blockDim.x];
    __syncthreads();
  }
  out[threadIdx.x] = acc;
}
__global__ void pointwise(const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = 2.0f * x[i] + 1.0f;
}

int main() {
  // vector add with a guard: 1000 elements, 4 blocks of 256
  {
    int n = 1000;
    std::vector<float> a(n), b(n);
    for (int i = 0; i < n; ++i) { a[i] = i * 0.5f; b[i] = 1000 - i; }
    float *da = device(a), *db = device(b), *dc = device(std::vector<float>(1024, -1.0f));
    CHECK(cuda_cpu::launch(LaunchConfig((n + 255) / 256, 256, 0, 0, SyncMode::Loop), vec_add, da, db, dc, n));
    auto c = host(dc, 1024);
    print("vec_add", std::vector<float>{c[0], c[1], c[999], c[1000], c[1023]});
  }
  {
    int rows = 5, cols = 7;
    int* d = device(std::vector<int>(rows * cols, -1));
    CHECK(cuda_cpu::launch(LaunchConfig(dim3(2, 3), dim3(4, 2), 0, 0, SyncMode::Loop), index_2d, d, rows, cols));
    print("index_2d", host(d, rows * cols));
    dim3 ext(3, 4, 5);
    int* d3 = device(std::vector<int>(60, -1));
    CHECK(cuda_cpu::launch(LaunchConfig(dim3(2, 2, 3), dim3(2, 2, 2), SyncMode::Loop), index_3d, d3, ext));
    print("index_3d", host(d3, 60));
  }
  {
    int n = 3000;
    std::vector<float> x(n), y(n, 1.0f);
    for (int i = 0; i < n; ++i) x[i] = i;
    float *dx = device(x), *dy = device(y);
    CHECK(cuda_cpu::launch(LaunchConfig(3, 128, 0, 0, SyncMode::Loop), grid_stride, dy, dx, 2.0f, n));
    auto r = host(dy, n);
    double err = 0;
    for (int i = 0; i < n; ++i) err += std::fabs(r[i] - (2.0f * i + 1.0f));
    std::printf("grid_stride %g\n", err);
  }
  {
    int* d = device(std::vector<int>(8, 0));
    double* dd = device(std::vector<double>(8, 0));
    Affine p{2.0f, 3, make_float4(0, 0, 0, 0.5f)};
    CHECK(cuda_cpu::launch(LaunchConfig(1, 8), affine<int>, d, p, 8));
    CHECK(cuda_cpu::launch(LaunchConfig(2u, 4u, SyncMode::Loop), affine<double>, dd, p, 8));
    print("affine_int", host(d, 8));
    print("affine_double", host(dd, 8));
  }
  {
    std::vector<float> in(64);
    for (int i = 0; i < 64; ++i) in[i] = i;
    float *din = device(in), *dout = device(std::vector<float>(64, 0));
    CHECK(cuda_cpu::launch(LaunchConfig(2, 8, 0, 0, SyncMode::Loop), float4_copy, din, dout, 16));
    print("float4", host(dout, 8));
    std::printf("align %zu %zu %zu %zu %zu %zu\n", alignof(float4), alignof(float2), alignof(int4), alignof(double2),
                alignof(char4), sizeof(float3));
  }
  {
    int n = 1000;
    std::vector<float> in(n);
    for (int i = 0; i < n; ++i) in[i] = (float)(i % 17);
    float *din = device(in), *dout = device(std::vector<float>(4, 0));
    CHECK(cuda_cpu::launch(LaunchConfig(4, 256, 0, 0, SyncMode::Fibers), tree_reduce, din, dout, n));
    auto r = host(dout, 4);
    double expect = 0;
    for (float v : in) expect += v;
    std::printf("tree_reduce %.9g %.9g\n", (double)(r[0] + r[1] + r[2] + r[3]), expect);
  }
  {
    std::vector<int> in(96);
    for (int i = 0; i < 96; ++i) in[i] = i;
    int *din = device(in), *dout = device(std::vector<int>(96, 0));
    CHECK(cuda_cpu::launch(LaunchConfig(3, 32, 32 * sizeof(int), 0, SyncMode::Fibers), dyn_reverse, din, dout));
    print("dyn_reverse", host(dout, 96));
    unsigned* fresh = device(std::vector<unsigned>(6, 9));
    CHECK(cuda_cpu::launch(LaunchConfig(3, 4, 0, 0, SyncMode::Loop), shared_fresh<float>, fresh));
    CHECK(cuda_cpu::launch(LaunchConfig(3, 4, 0, 0, SyncMode::Loop), shared_fresh<double>, fresh + 3));
    print("shared_fresh", host(fresh, 6));
  }
  {
    int* d = device(std::vector<int>(5, -1));
    CHECK(cuda_cpu::launch(LaunchConfig(1, 200, 0, 0, SyncMode::Fibers), sync_votes, d));
    print("sync_votes", host(d, 5));
    int* e = device(std::vector<int>(64, -1));
    CHECK(cuda_cpu::launch(LaunchConfig(1, 128, 0, 0, SyncMode::Fibers), early_exit, e));
    auto r = host(e, 64);
    print("early_exit", std::vector<int>{r[0], r[1], r[63]});
  }
  {
    std::vector<float> in(128);
    for (int i = 0; i < 128; ++i) in[i] = i + 1;
    float *din = device(in), *dout = device(std::vector<float>(4, 0));
    CHECK(cuda_cpu::launch(LaunchConfig(2, 64, 0, 0, SyncMode::Fibers), shfl_down_reduce, din, dout));
    print("shfl_down", host(dout, 4));
    std::vector<int> iv(64);
    for (int i = 0; i < 64; ++i) iv[i] = i * i;
    int *di = device(iv), *dio = device(std::vector<int>(64, 0));
    CHECK(cuda_cpu::launch(LaunchConfig(1, 64, 0, 0, SyncMode::Fibers), shfl_xor_butterfly, di, dio));
    auto r = host(dio, 64);
    print("shfl_xor", std::vector<int>{r[0], r[17], r[31], r[32], r[63]});
  }
  {
    int n = 5000;
    std::vector<float> in(n);
    for (int i = 0; i < n; ++i) in[i] = (float)((i * 7) % 13) - 6.0f;
    double expect = 0;
    for (float v : in) expect += v;
    float *din = device(in), *dout = device(std::vector<float>(1, 0.0f));
    CHECK(cuda_cpu::launch(LaunchConfig((n + 255) / 256, 256, 0, 0, SyncMode::Fibers), block_sum_two_level, din, dout, n));
    std::printf("two_level %.9g %.9g\n", (double)host(dout, 1)[0], expect);
  }
  {
    int* d = device(std::vector<int>(224, -1));
    CHECK(cuda_cpu::launch(LaunchConfig(1, 32, 0, 0, SyncMode::Fibers), shuffles_misc, d));
    auto r = host(d, 224);
    const char* names[] = {"shfl_idx", "shfl_up", "shfl_down_w8", "shfl_xor_w4", "shfl_rot16", "shfl_double", "scan"};
    for (int k = 0; k < 7; ++k) print(names[k], std::vector<int>(r.begin() + 32 * k, r.begin() + 32 * (k + 1)));
    unsigned* v = device(std::vector<unsigned>(24, 0));
    CHECK(cuda_cpu::launch(LaunchConfig(1, 80, 0, 0, SyncMode::Fibers), votes, v));
    print("votes", host(v, 24));
    int* sw = device(std::vector<int>(32, -1));
    CHECK(cuda_cpu::launch(LaunchConfig(1, 32, 0, 0, SyncMode::Fibers), split_warp, sw));
    print("split_warp", host(sw, 32));
    int* wl = device(std::vector<int>(64, -1));
    CHECK(cuda_cpu::launch(LaunchConfig(1, dim3(8, 8), 0, 0, SyncMode::Fibers), warp_layout, wl));
    print("warp_layout", host(wl, 64));
  }
  {
    std::vector<int> in(64);
    for (int i = 0; i < 64; ++i) in[i] = (i * 37) % 64;
    int *din = device(in), *dout = device(std::vector<int>(41, -1));
    float* fo = device(std::vector<float>(64, 0));
    CHECK(cuda_cpu::launch(LaunchConfig(1, 64, 0, 0, SyncMode::Fibers), cg_reduce, din, dout, fo));
    print("cg_reduce", host(dout, 41));
    auto f = host(fo, 64);
    print("cg_shfl", std::vector<float>{f[0], f[30], f[31], f[63]});
  }
  {
    int n = 64 * 250;
    int* i = device(std::vector<int>{0, 0, -1, 1, 0, 0});
    unsigned* u = device(std::vector<unsigned>{0xFFFFFFFFu, 0, 0, 0, 0});
    unsigned long long* ull = device(std::vector<unsigned long long>{0});
    float* f = device(std::vector<float>{0.0f, -1.0f, 1.0f});
    double* d = device(std::vector<double>{0.0});
    CHECK(cuda_cpu::launch(LaunchConfig(64, 256, 0, 0, SyncMode::Loop), atomics, i, u, ull, f, d, n));
    print("atomic_i", host(i, 6));
    print("atomic_u", host(u, 5));
    print("atomic_ull", host(ull, 1));
    print("atomic_f", host(f, 3));
    print("atomic_d", host(d, 1));
  }
  {
    int* c = device(std::vector<int>{0});
    CHECK(cuda_cpu::launch(LaunchConfig(1, 512, 0, 0, SyncMode::Loop), racy_block, c));
    int* c2 = device(std::vector<int>{0});
    int* log = device(std::vector<int>(128, -1));
    CHECK(cuda_cpu::launch(LaunchConfig(1, 64, 0, 0, SyncMode::Fibers), racy_block_fibers, c2, log));
    auto l = host(log, 128);
    bool ordered = true;
    for (int k = 0; k < 128; ++k) ordered = ordered && l[k] == k % 64;
    std::printf("racy_block %d %d %d\n", host(c, 1)[0], host(c2, 1)[0], (int)ordered);
  }
  {
    float h[4] = {1.5f, 2.5f, 3.5f, 4.5f};
    CHECK(cudaMemcpyToSymbol(coeffs, h, sizeof h));
    int start = 10;
    CHECK(cudaMemcpyToSymbol(device_counter, &start, sizeof start));
    float* d = device(std::vector<float>(4, 0));
    void* args[] = {&d};
    CHECK(cudaLaunchKernel(use_symbols, dim3(1), dim3(4), args, 0, nullptr));
    int counter = 0;
    CHECK(cudaMemcpyFromSymbol(&counter, device_counter, sizeof counter));
    auto r = host(d, 4);
    std::printf("symbols %g %g %d\n", r[0], r[3], counter);
  }
  {
    cudaDeviceProp p;
    CHECK(cudaGetDeviceProperties(&p, 0));
    int count = 0, dev = -1, mp = 0;
    CHECK(cudaGetDeviceCount(&count));
    CHECK(cudaGetDevice(&dev));
    CHECK(cudaDeviceGetAttribute(&mp, cudaDevAttrMultiProcessorCount, 0));
    std::printf("props %s %d %d %d %zu %d %d %d\n", p.name, p.warpSize, p.maxThreadsPerBlock, count, p.sharedMemPerBlock,
                dev, (int)(p.multiProcessorCount == mp && mp > 0), (int)(cudaSetDevice(1) == cudaErrorInvalidDevice));
    int last = cudaGetLastError(), cleared = cudaGetLastError();
    std::printf("last_error %d %d\n", last, cleared);
    cudaStream_t st;
    cudaEvent_t e0, e1;
    CHECK(cudaStreamCreate(&st));
    CHECK(cudaEventCreate(&e0));
    CHECK(cudaEventCreate(&e1));
    CHECK(cudaEventRecord(e0, st));
    float* d;
    CHECK(cudaMalloc(&d, 256 * sizeof(float)));
    unsigned char first = 0;
    CHECK(cudaMemcpy(&first, d, 1, cudaMemcpyDeviceToHost));
    CHECK(cudaMemsetAsync(d, 0, 256 * sizeof(float), st));
    std::vector<float> x(256, 2.0f);
    float* dx = device(x);
    CHECK(cuda_cpu::launch(LaunchConfig(1, 256, 0, st, SyncMode::Loop), pointwise, dx, d, 256));
    CHECK(cudaEventRecord(e1, st));
    CHECK(cudaStreamSynchronize(st));
    CHECK(cudaEventSynchronize(e1));
    float ms = -1;
    CHECK(cudaEventElapsedTime(&ms, e0, e1));
    CHECK(cudaDeviceSynchronize());
    auto r = host(d, 256);
    std::printf("runtime %d %g %d\n", (int)first, r[255], (int)(ms >= 0));
    CHECK(cudaEventDestroy(e0));
    CHECK(cudaEventDestroy(e1));
    CHECK(cudaStreamDestroy(st));
    CHECK(cudaFree(d));
    std::printf("free_errors %d %d\n", (int)cudaFree(nullptr), (int)cudaFree(&first));
    std::printf("error_string %s|%s\n", cudaGetErrorString(cudaErrorInvalidValue), cudaGetErrorName(cudaErrorLaunchFailure));
  }
  {
    // Performance: a 1M-element pointwise kernel in Loop mode, and 256 fibers crossing 20 barriers.
    int n = 1 << 20;
    float *x, *y;
    CHECK(cudaMalloc(&x, n * sizeof(float)));
    CHECK(cudaMalloc(&y, n * sizeof(float)));
    CHECK(cudaMemset(x, 0, n * sizeof(float)));
    double t0 = now_ms();
    CHECK(cuda_cpu::launch(LaunchConfig((n + 255) / 256, 256, 0, 0, SyncMode::Loop), pointwise, x, y, n));
    double t1 = now_ms();
    CHECK(cuda_cpu::launch(LaunchConfig(1, 256, 0, 0, SyncMode::Fibers), barriers, y));
    double t2 = now_ms();
    std::printf("perf_ms %.3f %.3f %g\n", t1 - t0, t2 - t1, (double)host(y, 1)[0]);
  }
  return 0;
}
"""


def parse(stdout: str) -> dict[str, list[str]]:
    out = {}
    for line in stdout.splitlines():
        key, *values = line.split()
        out[key] = values
    return out


def nums(values: list[str]) -> list[float]:
    return [float(v) for v in values]


@pytest.fixture(scope="module")
def basics():
    proc = run(BASICS)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "FAIL" not in proc.stdout, proc.stdout
    return parse(proc.stdout)


def test_vector_add_with_guard(basics):
    # c[1000..1023] lie past n and keep the value written before the launch
    assert nums(basics["vec_add"]) == [1000.0, 999.5, 500.5, -1.0, -1.0]


def test_2d_and_3d_indexing(basics):
    assert nums(basics["index_2d"]) == [r * 1000 + c for r in range(5) for c in range(7)]
    assert nums(basics["index_3d"]) == [z * 10000 + y * 100 + x for z in range(5) for y in range(4) for x in range(3)]


def test_grid_stride_loop(basics):
    assert nums(basics["grid_stride"]) == [0.0]


def test_struct_arguments_and_templated_kernels(basics):
    assert nums(basics["affine_int"]) == [int(2 * i + 3 + 0.5) for i in range(8)]
    assert nums(basics["affine_double"]) == [2 * i + 3.5 for i in range(8)]


def test_float4_loads_and_vector_alignment(basics):
    assert nums(basics["float4"]) == [3, 2, 1, 0, 7, 6, 5, 4]
    assert nums(basics["align"]) == [16, 8, 16, 16, 4, 12]


def test_shared_memory_tree_reduction_is_exact(basics):
    got, expect = nums(basics["tree_reduce"])
    assert got == expect == sum(i % 17 for i in range(1000))


def test_dynamic_shared_memory(basics):
    assert nums(basics["dyn_reverse"]) == [b * 32 + 31 - t for b in range(3) for t in range(32)]


def test_shared_memory_is_fresh_garbage_per_block_and_type(basics):
    assert nums(basics["shared_fresh"]) == [1] * 6


def test_syncthreads_count_and_or(basics):
    # 200 threads: 67 multiples of 3; all < 1000; not all < 100; thread 77 exists; none
    assert nums(basics["sync_votes"]) == [67, 1, 0, 1, 0]


def test_exited_threads_count_as_arrived_at_barriers(basics):
    assert nums(basics["early_exit"]) == [63, 62, 0]


def test_shfl_down_warp_reduction(basics):
    vals = list(range(1, 129))
    assert nums(basics["shfl_down"]) == [sum(vals[k * 32:(k + 1) * 32]) for k in range(4)]


def test_shfl_xor_butterfly(basics):
    w0, w1 = sum(i * i for i in range(32)), sum(i * i for i in range(32, 64))
    assert nums(basics["shfl_xor"]) == [w0, w0, w0, w1, w1]


def test_two_level_warp_and_block_reduction(basics):
    got, expect = nums(basics["two_level"])
    assert got == expect


def test_shuffle_variants_follow_cuda_lane_rules(basics):
    lanes = range(32)
    assert nums(basics["shfl_idx"]) == [30] * 32
    assert nums(basics["shfl_up"]) == [lane if lane < 2 else lane - 2 for lane in lanes]
    assert nums(basics["shfl_down_w8"]) == [lane + 3 if lane % 8 + 3 < 8 else lane for lane in lanes]
    assert nums(basics["shfl_xor_w4"]) == [lane ^ 1 for lane in lanes]
    assert nums(basics["shfl_rot16"]) == [(lane // 16) * 16 + (lane + 1) % 16 for lane in lanes]
    assert nums(basics["shfl_double"]) == [2 * (lane + 1) + 1 if lane < 31 else 2 * lane + 1 for lane in lanes]
    assert nums(basics["scan"]) == [lane * (lane + 1) // 2 for lane in lanes]


def test_ballot_any_all_match_reduce(basics):
    v = [int(x) for x in basics["votes"]]
    every4 = sum(1 << lane for lane in range(0, 32, 4))
    match = [0xFF << (8 * g) for g in range(4)]
    assert v[0:8] == [every4, 0, 1, 0, 0xFFFF, 0xFFFFFFFF, match[1], sum(range(32))]
    assert v[8:16] == [every4, 1, 1, 0, 0xFFFF, 0xFFFFFFFF, match[1], sum(range(32))]
    # warp 2 has 16 lanes (80 threads): masks are restricted to the lanes that exist
    assert v[16:24] == [0x1111, 0, 1, 1, 0xFFFF, 0xFFFF, match[1], sum(range(16))]


def test_divergent_halves_synchronise_separately(basics):
    assert nums(basics["split_warp"]) == [lane ^ 1 for lane in range(16)] + [
        lane + 15 if lane + 15 < 32 else lane for lane in range(16, 32)]


def test_warps_are_consecutive_linear_thread_ids(basics):
    assert nums(basics["warp_layout"]) == [37] * 32 + [77] * 32


def test_cooperative_groups(basics):
    data = [(i * 37) % 64 for i in range(64)]
    out = nums(basics["cg_reduce"])
    assert out[0:2] == [sum(data[:32]), sum(data[32:])]
    assert out[8:16] == [max(data[8 * k:8 * k + 8]) for k in range(8)]
    assert out[24:32] == [min(data[8 * k:8 * k + 8]) for k in range(8)]
    assert out[40] == 32 * 100 + 8 * 10 + 8
    assert nums(basics["cg_shfl"]) == [data[1], data[31], data[31], data[63]]


def test_atomics_from_many_blocks(basics):
    n = 64 * 250
    assert nums(basics["atomic_i"]) == [n, -2 * n, n - 1, -(n - 1), 42, n]
    u = [int(x) for x in basics["atomic_u"]]
    inc, dec = 0, 0
    for _ in range(n):
        inc = 0 if inc >= 9 else inc + 1
        dec = 6 if dec == 0 or dec > 6 else dec - 1
    assert u == [0, 0xFFFFFFFF, 0, inc, dec]
    assert int(basics["atomic_ull"][0]) == sum(g << 20 for g in range(n))
    assert nums(basics["atomic_f"]) == [n * 0.5, (n - 1) * 0.25, -(n - 1)]
    assert nums(basics["atomic_d"]) == [n * 0.125]


def test_racy_block_code_runs_threads_in_index_order(basics):
    # documented semantics: between barriers a block's threads run one after another, 0..n-1
    assert basics["racy_block"] == ["512", "128", "1"]


def test_constant_and_device_symbols_and_launch_kernel(basics):
    assert nums(basics["symbols"]) == [1.5, 4.5, 15]


def test_host_runtime(basics):
    p = basics["props"]
    assert p == ["cuda-cpu", "32", "1024", "1", str(48 * 1024), "0", "1", "1"]
    assert basics["last_error"] == ["101", "0"]  # cudaSetDevice(1) failed; reading clears it
    assert basics["runtime"] == ["255", "5", "1"]  # fresh cudaMalloc memory is 0xFF garbage
    assert basics["free_errors"] == ["0", "1"]
    assert " ".join(basics["error_string"]) == "invalid argument|cudaErrorLaunchFailure"


def test_performance(basics):
    pointwise_ms, barriers_ms, value = nums(basics["perf_ms"])
    assert value == sum(1 + k for k in range(10))
    assert pointwise_ms < 500, "a 1M-element Loop-mode kernel should take well under a second"
    assert barriers_ms < 100, "256 fibers crossing 20 barriers should take milliseconds"


# ---------------------------------------------------------------------------------------------
# __half / __nv_bfloat16: conversions in every rounding mode against numpy / torch, arithmetic,
# intrinsics, and half values moving through kernels.
HALF = r"""
#include <cuda_fp16.h>
#include <cuda_bf16.h>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>
using cuda_cpu::LaunchConfig;
using cuda_cpu::SyncMode;

static uint32_t lcg_state = 12345;
uint32_t lcg() { lcg_state = lcg_state * 1664525u + 1013904223u; return lcg_state; }
float from_bits(uint32_t u) { float f; std::memcpy(&f, &u, 4); return f; }
uint32_t bits(float f) { uint32_t u; std::memcpy(&u, &f, 4); return u; }
unsigned hb(__half h) { return __half_as_ushort(h); }
unsigned bb(__nv_bfloat16 h) { return __bfloat16_as_ushort(h); }

__global__ void half_kernel(const __half* in, __half* sum, __half2* pairs, float* out) {
  __half v = in[blockIdx.x * blockDim.x + threadIdx.x];
  for (int o = 16; o > 0; o >>= 1) v = __hadd(v, __shfl_xor_sync(0xffffffff, v, o));
  __half2 p = __halves2half2(v, __float2half(threadIdx.x));
  p = __hadd2(p, __shfl_down_sync(0xffffffff, p, 1));
  if (threadIdx.x == 0) { atomicAdd(sum, v); pairs[blockIdx.x] = p; }
  auto& s = *cuda_cpu::block_shared<__half[32]>(1);
  s[threadIdx.x] = __float2half(threadIdx.x * 0.5f);
  __syncthreads();
  out[blockIdx.x * blockDim.x + threadIdx.x] = __half2float(s[31 - threadIdx.x]) + __low2float(p) * 0;
}

int main() {
  std::vector<float> xs = {0.1f, 65520.0f, 65519.0f, 65504.0f, 1.0f + 1.0f / 2048, 1.0f + 3.0f / 2048, -0.0f, 0.0f,
                           5.960464477539063e-08f, 2.9802322387695312e-08f, 4.470348358154297e-08f, 1e-10f, -1e-10f,
                           6.097555160522461e-05f, 1e30f, -1e30f, from_bits(0x7F800000u), from_bits(0xFF800000u),
                           1.00390625f, 1.01171875f, 3.3895313892515355e+38f, -2.5f, 0.33333334f};
  for (int i = 0; i < 3000; ++i) {  // random float bit patterns, mostly around the half range
    uint32_t sign = lcg() & 0x80000000u, exp = 100 + lcg() % 50, man = lcg() & 0x7FFFFF;
    if (i % 3 == 0) man &= ~0x1FFFu, man |= (lcg() & 1) << 12;  // exact ties and near-ties
    xs.push_back(from_bits(sign | exp << 23 | man));
  }
  for (float x : xs)
    std::printf("cv %08x %04x %04x %04x %04x %04x %04x %04x %04x\n", bits(x), hb(__float2half_rn(x)), hb(__float2half_rz(x)),
                hb(__float2half_rd(x)), hb(__float2half_ru(x)), bb(__float2bfloat16_rn(x)), bb(__float2bfloat16_rz(x)),
                bb(__float2bfloat16_rd(x)), bb(__float2bfloat16_ru(x)));
  for (int i = 0; i < 3000; ++i) {
    auto finite = [] { uint16_t b; do b = (uint16_t)lcg(); while ((b & 0x7C00) == 0x7C00); return b; };
    __half a = __ushort_as_half(finite()), b = __ushort_as_half(finite()), c = __ushort_as_half(finite());
    if (i % 2) b = __ushort_as_half((unsigned short)((hb(b) & 0x83FF) | (hb(a) & 0x7C00)));  // similar magnitudes
    std::printf("ar %04x %04x %04x %04x %04x %04x %04x %04x\n", hb(a), hb(b), hb(c), hb(__hadd(a, b)), hb(__hsub(a, b)),
                hb(__hmul(a, b)), hb(__hdiv(a, b)), hb(__hfma(a, b, c)));
    __nv_bfloat16 x = __ushort_as_bfloat16((uint16_t)lcg()), y = __ushort_as_bfloat16((uint16_t)lcg());
    std::printf("br %04x %04x %04x %04x %04x\n", bb(x), bb(y), bb(__hadd(x, y)), bb(__hmul(x, y)), bb(x / y));
  }
  __half one = 1.0f, two = __float2half(2.0f), nan = __ushort_as_half(0x7E00), inf = __ushort_as_half(0x7C00);
  __half h = one + two;  // half + half -> half
  h += one;
  h++;
  __half2 p = __floats2half2_rn(1.5f, -2.25f), q = __float2half2_rn(0.5f);
  float2 f2 = __half22float2(__hfma2(p, q, p));
  int facts[] = {
      __half2int_rn(__float2half(2.5f)), __half2int_rz(__float2half(-2.75f)), __half2int_rd(__float2half(-2.5f)),
      __half2int_ru(__float2half(2.125f)), __half2int_rn(inf), __half2int_rn(nan), (int)__half2uint_rn(__float2half(-5.0f)),
      __half2short_rn(__float2half(40000.0f)), (int)hb(__int2half_rn(2049)), (int)hb(__int2half_ru(2049)),
      (int)hb(__int2half_rn(70000)), (int)hb(__int2half_rz(70000)), (int)hb(__uint2half_rn(65535u)),
      __hne(nan, one), __hneu(nan, one), __hlt(nan, one), __hltu(nan, one), __heq(one, one), __hisinf(-inf),
      __hisnan(nan), (int)hb(__hmax(nan, two)), __hisnan(__hmax_nan(nan, two)), (int)hb(__hmin(one, two)),
      (int)hb(__habs(__float2half(-2.0f))), (int)hb(__hneg(one)), (int)hb(h), one < two, two >= two,
      (int)hb(__float2half(f2.x)), (int)hb(__float2half(f2.y)), (int)hb(__low2half(p)), (int)hb(__high2half(p)),
      __hbeq2(p, p), (int)hb(__heq2(p, q).x), (int)hb(__hadd_sat(one, two)), (int)hb(hsqrt(two)), (int)hb(hexp(one)),
      (int)hb(hrcp(__float2half(3.0f))), (int)hb(__hadd(__ushort_as_half(0x3C00), __ushort_as_half(0x0001))),
      (int)bb(__float2bfloat16(0.1f)), (int)bb(__float2bfloat16_rz(0.1f)), (int)bb(__float2bfloat16(1.0f) + __float2bfloat16(1.0f)),
      (int)(__bfloat162float(__hmul(__float2bfloat16(3.0f), __float2bfloat16(0.5f))) * 100),
      __bfloat162int_rn(__float2bfloat16(-7.5f)), (int)bb(__int2bfloat16_rn(16777217)), (int)hb(__double2half(0.1)),
      // fused multiply-add rounds once, even where the unrounded sum sits just beside a tie
      (int)hb(__hfma(__float2half(1.5f), __float2half(683.0f / 1024), __ushort_as_half(0x0001))),
      (int)bb(__hfma(__float2bfloat16(1.75f), __float2bfloat16(37.0f / 64), __float2bfloat16(-ldexpf(1.0f, -100)))),
  };
  std::printf("facts");
  for (int v : facts) std::printf(" %d", v);
  std::printf("\n");

  std::vector<__half> in(128);
  for (int i = 0; i < 128; ++i) in[i] = __int2half_rn(i % 16);
  __half *din, *dsum;
  __half2* dpairs;
  float* dout;
  cudaMalloc(&din, 128 * sizeof(__half));
  cudaMalloc(&dsum, sizeof(__half));
  cudaMalloc(&dpairs, 4 * sizeof(__half2));
  cudaMalloc(&dout, 128 * sizeof(float));
  cudaMemcpy(din, in.data(), 128 * sizeof(__half), cudaMemcpyHostToDevice);
  cudaMemset(dsum, 0, sizeof(__half));
  cudaError_t e = cuda_cpu::launch(LaunchConfig(4, 32, 0, 0, SyncMode::Fibers), half_kernel, din, dsum, dpairs, dout);
  __half sum;
  __half2 pairs[4];
  float out[128];
  cudaMemcpy(&sum, dsum, sizeof sum, cudaMemcpyDeviceToHost);
  cudaMemcpy(pairs, dpairs, sizeof pairs, cudaMemcpyDeviceToHost);
  cudaMemcpy(out, dout, sizeof out, cudaMemcpyDeviceToHost);
  std::printf("kernel %d %g %g %g %g %g\n", (int)e, __half2float(sum), __low2float(pairs[0]), __high2float(pairs[3]), out[0], out[127]);
  return 0;
}
"""


@pytest.fixture(scope="module")
def halves():
    proc = run(HALF)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows: dict[str, list[list[int]]] = {}
    for line in proc.stdout.splitlines():
        key, *values = line.split()
        base = 10 if key in ("facts", "kernel") else 16
        rows.setdefault(key, []).append([int(v, base) if key != "kernel" else float(v) for v in values])
    return rows


def f16_bits(x) -> np.ndarray:
    with np.errstate(over="ignore"):
        return np.asarray(x, dtype=np.float16).view(np.uint16).astype(np.int64)


def directed_f16(x32: np.ndarray, mode: str) -> np.ndarray:
    """float32 -> binary16 rounded toward zero / down / up, from numpy's correct nearest rounding."""
    with np.errstate(over="ignore", invalid="ignore"):
        h = x32.astype(np.float16)
        hv, xv = h.astype(np.float64), x32.astype(np.float64)
        if mode == "rz":
            step = np.abs(hv) > np.abs(xv)
            target = np.float16(0)
        elif mode == "rd":
            step, target = hv > xv, np.float16(-np.inf)
        else:
            step, target = hv < xv, np.float16(np.inf)
        return f16_bits(np.where(step, np.nextafter(h, target), h))


def directed_bf16(x_bits: np.ndarray, mode: str) -> np.ndarray:
    """float32 -> bfloat16 in a directed mode: truncation, then one step away from zero when needed."""
    rz = x_bits >> 16
    inexact = (x_bits & 0xFFFF) != 0
    negative = (x_bits >> 31) == 1
    if mode == "rz":
        return rz
    away = inexact & (negative if mode == "rd" else ~negative)
    return rz + away


def test_half_and_bf16_known_bit_patterns(halves):
    cv = {row[0]: row[1:] for row in halves["cv"]}
    bits = {x: struct.unpack("<I", struct.pack("<f", x))[0] for x in (0.1, 65520.0, 65519.0)}
    assert cv[bits[0.1]][:4] == [0x2E66, 0x2E66, 0x2E66, 0x2E67]
    assert cv[bits[0.1]][4:] == [0x3DCD, 0x3DCC, 0x3DCC, 0x3DCD]
    assert cv[bits[65520.0]][:4] == [0x7C00, 0x7BFF, 0x7BFF, 0x7C00]  # rounds to inf, except toward zero/down
    assert cv[bits[65519.0]][0] == 0x7BFF
    assert cv[0x3F801000][0] == 0x3C00  # 1 + 2^-11: a tie, to even
    assert cv[0x3F803000][0] == 0x3C02  # 1 + 3*2^-11: a tie, to even (upwards)
    assert cv[0x80000000][0] == 0x8000
    assert cv[0x33000000][0] == 0x0000  # 2^-25: half the smallest subnormal, ties to even zero
    assert cv[0x33400000][0] == 0x0001  # 1.5 * 2^-25


def test_float_to_half_and_bf16_in_every_rounding_mode(halves):
    rows = np.array(halves["cv"], dtype=np.int64)
    xb = rows[:, 0]
    x32 = xb.astype(np.uint32).view(np.float32)
    finite = np.isfinite(x32)
    np.testing.assert_array_equal(rows[:, 1], f16_bits(x32))
    for col, mode in ((2, "rz"), (3, "rd"), (4, "ru")):
        np.testing.assert_array_equal(rows[finite, col], directed_f16(x32[finite], mode), err_msg=mode)
    bf = torch.from_numpy(x32.copy()).to(torch.bfloat16).view(torch.int16).numpy().astype(np.int64) & 0xFFFF
    np.testing.assert_array_equal(rows[:, 5], bf)
    for col, mode in ((6, "rz"), (7, "rd"), (8, "ru")):
        np.testing.assert_array_equal(rows[finite, col], directed_bf16(xb[finite], mode), err_msg=mode)


def nearest_f16_exact(value: Fraction) -> int:
    """The binary16 nearest to an exact rational, ties to even (finite results only)."""
    approx = np.float16(float(value))
    candidates = [approx, np.nextafter(approx, np.float16(np.inf)), np.nextafter(approx, np.float16(-np.inf))]
    best = min(candidates, key=lambda h: (abs(Fraction(float(h)) - value), int(f16_bits(h)) & 1))
    return int(f16_bits(best))


def test_half_arithmetic_is_correctly_rounded(halves):
    rows = np.array(halves["ar"], dtype=np.int64)
    a, b, c = (rows[:, k].astype(np.uint16).view(np.float16) for k in range(3))
    with np.errstate(all="ignore"):
        for col, op in ((3, np.add), (4, np.subtract), (5, np.multiply), (6, np.divide)):
            expect = f16_bits(op(a, b))
            nan = np.isnan(op(a, b))
            np.testing.assert_array_equal(rows[~nan, col], expect[~nan], err_msg=op.__name__)
            assert (((rows[nan, col] & 0x7C00) == 0x7C00) & ((rows[nan, col] & 0x3FF) != 0)).all()
    for ha, hb_, hc, got in zip(a, b, c, rows[:, 7], strict=True):
        exact = Fraction(float(ha)) * Fraction(float(hb_)) + Fraction(float(hc))
        if abs(exact) < 65504:
            assert got == nearest_f16_exact(exact), (ha, hb_, hc)


def test_bf16_arithmetic_matches_torch(halves):
    rows = np.array(halves["br"], dtype=np.int64)
    x = torch.from_numpy(rows[:, 0].astype(np.int16)).view(torch.bfloat16)
    y = torch.from_numpy(rows[:, 1].astype(np.int16)).view(torch.bfloat16)
    for col, result in ((2, x + y), (3, x * y), (4, x / y)):
        expect = result.view(torch.int16).numpy().astype(np.int64) & 0xFFFF
        nan = torch.isnan(result).numpy()
        np.testing.assert_array_equal(rows[~nan, col], expect[~nan])


def test_half_intrinsics(halves):
    f = halves["facts"][0]
    h = lambda x: int(f16_bits(np.float16(x)))  # noqa: E731
    int_max = 2**31 - 1
    assert f[0:8] == [2, -2, -3, 3, int_max, 0, 0, 32767]  # rounding modes; saturation; NaN -> 0
    assert f[8:13] == [h(2048), h(2050), 0x7C00, 0x7BFF, 0x7C00]  # int -> half: tie to even, ru, overflow
    assert f[13:20] == [0, 1, 0, 1, 1, -1, 1]  # ordered / unordered comparisons with NaN, __hisinf
    assert f[20:27] == [h(2), 1, h(1), h(2), h(-1), h(5), 1]  # __hmax ignores NaN, __hmax_nan keeps it; h = 1+2+1, ++
    assert f[27] == 1
    assert f[28:31] == [h(1.5 * 0.5 + 1.5), h(-2.25 * 0.5 - 2.25), h(1.5)]
    assert f[31:34] == [h(-2.25), 1, 0]
    assert f[34:38] == [h(1.0), h(np.sqrt(np.float32(2))), h(np.exp(np.float32(1))), h(1 / 3)]
    assert f[38] == 0x3C00  # 1 + smallest subnormal rounds back to 1
    assert f[39:42] == [0x3DCD, 0x3DCC, 0x4000]
    assert f[42:46] == [150, -8, 0x4B80, h(0.1)]
    assert f[46:48] == [0x3C01, 0x3F81]  # 1.5 * 683/1024 + 2^-24 and 1.75 * 37/64 - 2^-100


def test_half_values_through_kernels(halves):
    e, total, low0, high3, first, last = halves["kernel"][0]
    assert e == 0
    assert total == 4 * sum(i % 16 for i in range(32))  # warp butterflies, then atomicAdd(__half*)
    assert low0 == 2 * sum(i % 16 for i in range(32))  # __half2 shuffled and added lane-wise
    assert high3 == 0 + 1
    assert (first, last) == (15.5, 0.0)


# ---------------------------------------------------------------------------------------------
# Faults: misuse ends the launch with an error naming the kernel, the block and the primitive,
# never with a hang or a silently wrong result. argv[1] picks the scenario.
FAULTS = r"""
#include <cuda_runtime.h>
#include <cooperative_groups.h>
#include <cstdio>
#include <cstring>
using cuda_cpu::LaunchConfig;
using cuda_cpu::SyncMode;

__global__ void reduce_needs_fibers(float* out) {
  auto& s = *cuda_cpu::block_shared<float[64]>(1);
  s[threadIdx.x] = 1.0f;
  __syncthreads();
  if (threadIdx.x == 0) out[0] = s[63];
}
__global__ void shuffle_needs_fibers(float* out) { out[threadIdx.x] = __shfl_down_sync(0xffffffff, 1.0f, 1); }
__global__ void exits_then_shuffle(float* out) {  // lanes 20.. exit after lanes 0..19 wait in the shuffle
  if (threadIdx.x >= 20) return;
  out[threadIdx.x] = __shfl_down_sync(0xffffffff, (float)threadIdx.x, 1);
}
__global__ void shuffle_after_exit(float* out) {  // lanes 0..3 exit before lane 4 reaches the shuffle
  if (threadIdx.x < 4) return;
  out[threadIdx.x] = __shfl_xor_sync(0xffffffff, (float)threadIdx.x, 1);
}
__global__ void barrier_deadlock(int* out) {
  if (threadIdx.x < 16) __syncthreads();
  else __syncwarp();
  out[threadIdx.x] = 1;
}
__global__ void lane_not_in_mask(int* out) { out[threadIdx.x] = __shfl_sync(0x1u, 5, 0); }
__global__ void bad_width(int* out) { out[threadIdx.x] = __shfl_sync(0xffffffffu, 5, 0, 12); }
__global__ void traps(int* out) { if (blockIdx.x == 2 && threadIdx.x == 3) __trap(); out[threadIdx.x] = 1; }
__global__ void grid_sync(int* out) { cooperative_groups::this_grid().sync(); out[0] = 1; }
__global__ void fine(int* out) { out[threadIdx.x] = threadIdx.x; }
__global__ void launches_from_device(int* out) {
  cuda_cpu::launch(LaunchConfig(1, 1, 0, 0, SyncMode::Loop), fine, out);
}

int main(int argc, char** argv) {
  const char* s = argc > 1 ? argv[1] : "";
  float* f;
  int* i;
  cudaMalloc(&f, 256 * sizeof(float));
  cudaMalloc(&i, 256 * sizeof(int));
  cudaError_t e = cudaSuccess;
  if (!std::strcmp(s, "loop_sync")) e = cuda_cpu::launch(LaunchConfig(2, 64, 0, 0, SyncMode::Loop), reduce_needs_fibers, f);
  if (!std::strcmp(s, "loop_shfl")) e = cuda_cpu::launch(LaunchConfig(1, 32, 0, 0, SyncMode::Loop), shuffle_needs_fibers, f);
  if (!std::strcmp(s, "exit_while_waiting")) e = cuda_cpu::launch(LaunchConfig(1, 32, 0, 0, SyncMode::Fibers), exits_then_shuffle, f);
  if (!std::strcmp(s, "exited_before")) e = cuda_cpu::launch(LaunchConfig(1, 32, 0, 0, SyncMode::Fibers), shuffle_after_exit, f);
  if (!std::strcmp(s, "deadlock")) e = cuda_cpu::launch(LaunchConfig(1, 32, 0, 0, SyncMode::Fibers), barrier_deadlock, i);
  if (!std::strcmp(s, "not_in_mask")) e = cuda_cpu::launch(LaunchConfig(1, 32, 0, 0, SyncMode::Fibers), lane_not_in_mask, i);
  if (!std::strcmp(s, "bad_width")) e = cuda_cpu::launch(LaunchConfig(1, 32, 0, 0, SyncMode::Fibers), bad_width, i);
  if (!std::strcmp(s, "trap")) e = cuda_cpu::launch(LaunchConfig(4, 8, 0, 0, SyncMode::Loop), traps, i);
  if (!std::strcmp(s, "grid_sync")) e = cuda_cpu::launch(LaunchConfig(2, 2, 0, 0, SyncMode::Fibers), grid_sync, i);
  if (!std::strcmp(s, "bad_config")) e = cuda_cpu::launch(LaunchConfig(1, 2048, 0, 0, SyncMode::Loop), fine, i);
  if (!std::strcmp(s, "nested")) e = cuda_cpu::launch(LaunchConfig(1, 1, 0, 0, SyncMode::Loop), launches_from_device, i);
  cudaError_t last = cudaGetLastError(), cleared = cudaGetLastError(), synced = cudaDeviceSynchronize();
  cudaDeviceReset();
  cudaError_t after = cuda_cpu::launch(LaunchConfig(1, 4, 0, 0, SyncMode::Loop), fine, i);
  int r[4];
  cudaMemcpy(r, i, sizeof r, cudaMemcpyDeviceToHost);
  std::printf("result %d %d %d %d %d %d\n", (int)e, (int)last, (int)cleared, (int)synced, (int)after, r[3]);
  return 0;
}
"""


def fault(scenario: str) -> tuple[list[int], str]:
    proc = run(FAULTS, scenario, timeout=30)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    key, *values = proc.stdout.split()
    assert key == "result"
    return [int(v) for v in values], proc.stderr


LAUNCH_FAILURE = 719


def test_loop_mode_kernel_calling_syncthreads_is_an_error():
    codes, err = fault("loop_sync")
    # launch, cudaGetLastError (then cleared), sticky error at the next synchronisation; a reset clears it
    assert codes == [LAUNCH_FAILURE, LAUNCH_FAILURE, 0, LAUNCH_FAILURE, 0, 3]
    assert ("cuda-cpu: error: kernel called __syncthreads() but was launched without fibers (SyncMode::Loop)"
            in err)
    assert "reduce_needs_fibers(float*)" in err and "block (0,0,0), thread (0,0,0)" in err


def test_loop_mode_kernel_calling_a_shuffle_is_an_error():
    codes, err = fault("loop_shfl")
    assert codes[0] == LAUNCH_FAILURE
    assert "kernel called __shfl_down_sync() but was launched without fibers (SyncMode::Loop)" in err


@pytest.mark.parametrize(("scenario", "lane", "primitive"), [
    ("exit_while_waiting", 20, "__shfl_down_sync()"),
    ("exited_before", 0, "__shfl_xor_sync()"),
])
def test_shuffle_naming_an_exited_lane_is_an_error(scenario, lane, primitive):
    codes, err = fault(scenario)
    assert codes[0] == LAUNCH_FAILURE
    assert f"{primitive} with mask 0xffffffff names lane {lane} of warp 0, which has exited" in err


def test_barrier_deadlock_is_reported_not_hung():
    codes, err = fault("deadlock")
    assert codes[0] == LAUNCH_FAILURE
    assert "deadlock: no thread of the block can make progress" in err
    assert "16 thread(s) wait in __syncthreads()" in err
    assert "wait in __syncwarp() with mask 0xffffffff for lanes 0x0000ffff" in err
    assert "barrier_deadlock(int*)" in err


@pytest.mark.parametrize(("scenario", "message"), [
    ("not_in_mask", "__shfl_sync(): the calling lane 1 is not in mask 0x00000001"),
    ("bad_width", "__shfl_sync(): width 12 is not a power of two in [1, 32]"),
    ("trap", "kernel executed __trap() (kernel `traps(int*)`, block (2,0,0), thread (3,0,0))"),
    ("grid_sync", "grid-wide synchronisation) is not supported"),
])
def test_misuse_is_a_launch_failure(scenario, message):
    codes, err = fault(scenario)
    assert codes[0] == LAUNCH_FAILURE
    assert message in err


def test_invalid_configuration_and_device_launches():
    codes, err = fault("bad_config")
    assert codes[:4] == [9, 9, 0, 0]  # cudaErrorInvalidConfiguration; not sticky
    assert "invalid launch configuration of kernel `fine(int*)`" in err
    codes, err = fault("nested")
    assert "dynamic parallelism is not supported" in err


# ---------------------------------------------------------------------------------------------
# Scheduling across blocks: with CUDA_CPU_THREADS=1 a grid runs block after block in linear order.
RACES = r"""
#include <cuda_runtime.h>
#include <cstdio>
#include <cstring>
using cuda_cpu::LaunchConfig;
using cuda_cpu::SyncMode;

__global__ void cross_block_race(int* counter, int* ticket, int* order) {
  counter[0] = counter[0] + 1;  // not atomic, and blocks run on parallel OS threads
  if (threadIdx.x == 0 && threadIdx.y == 0) order[atomicAdd(ticket, 1)] = blockIdx.x + gridDim.x * blockIdx.y;
}
__global__ void deep_stack(int* out) {
  volatile char big[160 * 1024];  // beyond a 128 KiB stack, into its 64 KiB guard
  big[threadIdx.x] = (char)threadIdx.x;
  __syncthreads();
  out[threadIdx.x] = big[threadIdx.x];
}

int main(int argc, char** argv) {
  int *counter, *ticket, *order;
  cudaMalloc(&counter, sizeof(int));
  cudaMalloc(&ticket, sizeof(int));
  cudaMalloc(&order, 64 * sizeof(int));
  if (argc > 1 && !std::strcmp(argv[1], "stack")) {
    cudaError_t e = cuda_cpu::launch(LaunchConfig(1, 4, 0, 0, SyncMode::Fibers), deep_stack, order);
    std::printf("stack %d\n", (int)e);
    return 0;
  }
  for (SyncMode mode : {SyncMode::Loop, SyncMode::Fibers}) {
    cudaMemset(counter, 0, sizeof(int));
    cudaMemset(ticket, 0, sizeof(int));
    cuda_cpu::launch(LaunchConfig(dim3(8, 8), dim3(32, 4), 0, 0, mode), cross_block_race, counter, ticket, order);
    int c, o[64];
    cudaMemcpy(&c, counter, sizeof c, cudaMemcpyDeviceToHost);
    cudaMemcpy(o, order, sizeof o, cudaMemcpyDeviceToHost);
    bool in_order = true;
    for (int k = 0; k < 64; ++k) in_order = in_order && o[k] == k;
    std::printf("race %d %d\n", c, (int)in_order);
  }
  return 0;
}
"""


def test_cross_block_race_is_deterministic_with_one_os_thread():
    # The non-atomic `counter = counter + 1` of 64 blocks x 128 threads: with CUDA_CPU_THREADS=1 the
    # blocks run one after another in linear order, so no update is lost (a GPU would lose many).
    first = run(RACES, env={"CUDA_CPU_THREADS": "1"})
    assert first.returncode == 0, first.stderr
    assert first.stdout.split() == ["race", "8192", "1", "race", "8192", "1"]
    assert run(RACES, env={"CUDA_CPU_THREADS": "1"}).stdout == first.stdout


def test_cross_block_race_with_parallel_os_threads_may_lose_updates():
    # Documented, not defined: blocks on different OS threads race like blocks on different SMs.
    proc = run(RACES, env={"CUDA_CPU_THREADS": "4"})
    assert proc.returncode == 0, proc.stderr
    counts = [int(line.split()[1]) for line in proc.stdout.splitlines()]
    assert all(0 < c <= 8192 for c in counts)


def test_fiber_stack_size_is_configurable():
    assert run(RACES, "stack", env={"CUDA_CPU_STACK_KB": "1024"}).stdout.split() == ["stack", "0"]
    crashed = run(RACES, "stack", env={"CUDA_CPU_STACK_KB": "128"})
    assert crashed.returncode < 0  # the guard page turns a fiber stack overflow into SIGSEGV


# ---------------------------------------------------------------------------------------------
# The portable context switch (ucontext) gives the same results and the same fault reports.
UCONTEXT = r"""
#define CUDA_CPU_USE_UCONTEXT 1
#include <cuda_runtime.h>
#include <cstdio>
using cuda_cpu::LaunchConfig;
using cuda_cpu::SyncMode;

__global__ void reduce(const int* in, int* out) {
  auto& s = *cuda_cpu::block_shared<int[128]>(1);
  s[threadIdx.x] = in[blockIdx.x * blockDim.x + threadIdx.x];
  __syncthreads();
  for (unsigned k = blockDim.x / 2; k >= 32; k >>= 1) {
    if (threadIdx.x < k) s[threadIdx.x] += s[threadIdx.x + k];
    __syncthreads();
  }
  int v = threadIdx.x < 32 ? s[threadIdx.x] : 0;
  if (threadIdx.x < 32)
    for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffff, v, o);
  if (threadIdx.x == 0) out[blockIdx.x] = v;
}
__global__ void exits_then_shuffle(int* out) {
  if (threadIdx.x >= 8) return;
  out[threadIdx.x] = __shfl_down_sync(0xffffffff, 1, 1);
}

int main() {
  int h[512], *in, *out;
  for (int k = 0; k < 512; ++k) h[k] = k;
  cudaMalloc(&in, sizeof h);
  cudaMalloc(&out, 4 * sizeof(int));
  cudaMemcpy(in, h, sizeof h, cudaMemcpyHostToDevice);
  cudaError_t e = cuda_cpu::launch(LaunchConfig(4, 128, 0, 0, SyncMode::Fibers), reduce, in, out);
  int r[4];
  cudaMemcpy(r, out, sizeof r, cudaMemcpyDeviceToHost);
  cudaError_t f = cuda_cpu::launch(LaunchConfig(1, 32, 0, 0, SyncMode::Fibers), exits_then_shuffle, out);
  std::printf("%d %d %d %d %d %d\n", (int)e, r[0], r[1], r[2], r[3], (int)f);
  return 0;
}
"""


def test_ucontext_fibers():
    proc = run(UCONTEXT)
    assert proc.returncode == 0, proc.stderr
    sums = [sum(range(128 * b, 128 * (b + 1))) for b in range(4)]
    assert [int(v) for v in proc.stdout.split()] == [0, *sums, LAUNCH_FAILURE]
    assert "names lane 8 of warp 0, which has exited" in proc.stderr


# ---------------------------------------------------------------------------------------------
# User code as nvcc accepts it: every public header, library headers included afterwards, names
# the runtime must not take away from host code, user definitions CUDA lacks, and the math library.
COMPAT = r"""
#include "cuda_cpu.h"
#include <cuda.h>
#include <cuda_runtime.h>
#include <cuda_runtime_api.h>
#include <cuda_fp16.h>
#include <cuda_bf16.h>
#include <device_launch_parameters.h>
#include <device_functions.h>
#include <vector_types.h>
#include <math_constants.h>
#include <cooperative_groups.h>
#include <cooperative_groups/reduce.h>
#include <algorithm>
#include <climits>
#include <cmath>
#include <complex>
#include <cstdio>
#include <functional>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>
using namespace std;

#ifndef __CUDACC__
inline float fminf(float a, float b) { return a < b ? a : b; }  // helper_math.h does this off nvcc
#endif
#if defined(__CUDA_ARCH__)
#error "cuda-cpu compiles the host view of CUDA code"
#endif

// CUDA has no float atomicMax; kernels bring their own, which must win over the runtime's.
__device__ __forceinline__ float atomicMax(float* address, float val) {
  int* a = (int*)address;
  int old = *a, assumed;
  do {
    assumed = old;
    old = atomicCAS(a, assumed, __float_as_int(fmaxf(val, __int_as_float(assumed))) + 1000);
  } while (assumed != old);
  return __int_as_float(old);
}

struct __align__(16) Packet { float v[4]; };
__device__ __noinline__ float twice(float x) { return 2 * x; }
__host__ __device__ inline int host_device(int x) { return x + 1; }

__global__ void __launch_bounds__(256, 2) kernel(float* out, Packet p) {
  out[threadIdx.x] = twice(p.v[threadIdx.x % 4]) + host_device(0);
}

int blocks_for(int n, int blockDim) { return (n + blockDim - 1) / blockDim; }  // a host parameter named blockDim

int main() {
  float* d;
  cudaMalloc(&d, 8 * sizeof(float));
  Packet p{{1, 2, 3, 4}};
  cudaError_t e = cuda_cpu::launch(cuda_cpu::LaunchConfig(blocks_for(8, 8), 8), kernel, d, p);
  float h[8];
  cudaMemcpy(h, d, sizeof h, cudaMemcpyDeviceToHost);
  float m = 1.0f;
  atomicMax(&m, 2.0f);
  unsigned long long seven = 7;
  size_t big = 5;
  vector<int> v{3, 1, 2};
  sort(v.begin(), v.end());
  printf("compat %d %g %g %g %d %d %d %d %d\n", (int)e, h[0], h[7], m, (int)std::min<size_t>(big, 3),
         (int)min(seven, 9ull), (int)max(v[0], v[2]), (int)alignof(Packet), (int)std::max(2.5, 1.0));
  printf("minmax %u %u %d %g %g\n", min(3u, -1), max(-1, 3u), min(-1, 3), (double)max(1.5f, 2.5f), (double)min(1.0, 0.5f));
  printf("math %.6g %.6g %.6g %.6g %.6g %.6g %.6g %.6g %.6g %.6g\n", (double)__expf(1.0f), (double)rsqrtf(4.0f),
         (double)__saturatef(1.5f), (double)__saturatef(NAN), (double)erfinvf(0.5f), (double)normcdff(0.0f),
         (double)normcdfinvf(0.975f), (double)__fdividef(1.0f, 4.0f), (double)__frsqrt_rn(16.0f), (double)__powf(2.0f, 10.0f));
  float s, c;
  __sincosf(0.0f, &s, &c);
  printf("conv %d %d %d %d %d %u %lld %d %u %d\n", __float2int_rn(2.5f), __float2int_rn(3.5f), __float2int_rz(-2.7f),
         __float2int_rd(-2.5f), __float2int_ru(2.1f), __float2uint_rn(-3.0f), __float2ll_rn(1e30f),
         __float2int_rn(1e10f), __float_as_uint(1.0f), __double2int_rn(-1.5));
  printf("bits %d %d %d %d %u %d %u %u %u %d %g %g\n", __clz(1), __clz(0), __popc(0xF0F0u), __ffs(8), __brev(1u),
         __mul24(-3, 5), __umulhi(0xFFFFFFFFu, 2u), __byte_perm(0x33221100u, 0x77665544u, 0x7531u),
         __funnelshift_l(0x80000000u, 1u, 1), __hadd(-3, 4), (double)s, (double)c);
  printf("dp4a %d %u\n", __dp4a(0x01FF7F80, 0x02030405, 10), __dp4a(0x01FF7F80u, 0x02030405u, 10u));
  printf("consts %d %d %d %d %g\n", (int)isinf(CUDART_INF_F), (int)isnan(CUDART_NAN_F), CUDART_VERSION, CUDA_VERSION,
         (double)CUDART_PI_F);
  int2 i2 = make_int2(1, 2);
  dim3 g = 7, b(2, 3);
  uint3 u = b;
  printf("types %d %d %u %u %u %u %d\n", i2.x, i2.y, g.x, g.y, u.y, u.z, warpSize);
  return 0;
}
"""


def test_user_code_compiles_as_with_nvcc():
    proc = run(COMPAT)
    assert proc.returncode == 0, proc.stderr
    out = parse(proc.stdout)
    user_max = struct.unpack("<f", struct.pack("<I", 0x40000000 + 1000))[0]  # the user's atomicMax ran
    assert nums(out["compat"]) == [0, 3, 9, pytest.approx(user_max, rel=1e-5), 3, 7, 3, 16, 2]
    assert nums(out["minmax"]) == [3, 4294967295, -1, 2.5, 0.5]  # mixed signedness compares unsigned
    math = nums(out["math"])
    assert math == pytest.approx([np.e, 0.5, 1, 0, 0.476936, 0.5, 1.959964, 0.25, 0.25, 1024], rel=1e-5)
    assert [int(v) for v in out["conv"]] == [2, 4, -2, -3, 3, 0, 2**63 - 1, 2**31 - 1, 0x3F800000, -2]
    assert nums(out["bits"]) == [31, 32, 8, 4, 0x80000000, -15, 1, 0x77553311, 3, 0, 0, 1]
    # bytes (low first) 0x80 0x7F 0xFF 0x01 times 0x05 0x04 0x03 0x02, signed and unsigned
    assert nums(out["dp4a"]) == [10 - 128 * 5 + 127 * 4 - 3 + 2, 10 + 128 * 5 + 127 * 4 + 255 * 3 + 2]
    assert nums(out["consts"]) == [1, 1, 12000, 12000, pytest.approx(np.pi)]
    assert nums(out["types"]) == [1, 2, 7, 1, 3, 1, 32]


# ---------------------------------------------------------------------------------------------
# Built with -fsanitize=address, fiber switches are annotated: out-of-bounds accesses are caught and
# faults unwinding fiber stacks raise no false alarms.
SANITIZED = r"""
#include <cuda_runtime.h>
#include <cstdio>
#include <cstring>
using cuda_cpu::LaunchConfig;
using cuda_cpu::SyncMode;

__global__ void reduce(const float* in, float* out, int overrun, int shared_overrun) {
  auto& s = *cuda_cpu::block_shared<float[64]>(1);
  s[threadIdx.x] = in[blockIdx.x * blockDim.x + threadIdx.x];
  __syncthreads();
  if (threadIdx.x == 0) s[63 + shared_overrun] = s[63];
  for (unsigned k = 32; k > 0; k >>= 1) {
    if (threadIdx.x < k) s[threadIdx.x] += s[threadIdx.x + k];
    __syncthreads();
  }
  if (threadIdx.x == 0) out[blockIdx.x + overrun] = s[0];
}
__global__ void faulty(float* out) {
  if (threadIdx.x >= 16) return;
  out[threadIdx.x] = __shfl_down_sync(0xffffffff, 1.0f, 1);
}

int main(int argc, char** argv) {
  int n = 256;
  float *in, *out;
  cudaMalloc(&in, n * sizeof(float));
  cudaMalloc(&out, 4 * 64 * sizeof(float));
  cudaMemset(in, 0, n * sizeof(float));
  const char* mode = argc > 1 ? argv[1] : "";
  int overrun = !std::strcmp(mode, "global") ? 1000 : 0, shared_overrun = !std::strcmp(mode, "shared");
  for (int round = 0; round < 3; ++round) {
    cudaError_t a = cuda_cpu::launch(LaunchConfig(4, 64, 0, 0, SyncMode::Fibers), faulty, out);
    cudaError_t b = cuda_cpu::launch(LaunchConfig(4, 64, 0, 0, SyncMode::Fibers), reduce, in, out, overrun, shared_overrun);
    std::printf("round %d %d\n", (int)a, (int)b);
  }
  return 0;
}
"""


def test_address_sanitizer_builds():
    exe = build_executable(BuildRequest(SANITIZED, Runtime.CUDA_CPU, opt_level="-O1",
                                        extra_flags=("-fsanitize=address", "-fno-omit-frame-pointer")))
    env = {**os.environ, "ASAN_OPTIONS": "detect_leaks=0"}
    clean = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60, env=env)
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout.split() == ["round", "719", "0"] * 3
    assert "AddressSanitizer" not in clean.stderr
    for memory in ("global", "shared"):
        oob = subprocess.run([str(exe), memory], capture_output=True, text=True, timeout=60, env=env)
        assert oob.returncode != 0, memory
        assert "heap-buffer-overflow" in oob.stderr and "reduce(" in oob.stderr, memory
