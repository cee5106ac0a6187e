// CUDA's built-in vector types with CUDA's sizes and alignments (float4 and int4 are 16-byte
// aligned, float2 8-byte, ...), so reinterpret_cast'ed vector loads see the same layout as on a GPU,
// plus dim3 and the make_<type><n> constructors. No arithmetic operators: CUDA defines none, and
// helper headers such as helper_math.h define their own.
#pragma once

#define CUDA_CPU_VECTOR_FAMILY(name, T, align2, align4)                                                     \
  struct name##1 { T x; };                                                                                  \
  struct __attribute__((aligned(align2))) name##2 { T x, y; };                                              \
  struct name##3 { T x, y, z; };                                                                            \
  struct __attribute__((aligned(align4))) name##4 { T x, y, z, w; };                                        \
  inline constexpr name##1 make_##name##1(T x) { return {x}; }                                              \
  inline constexpr name##2 make_##name##2(T x, T y) { return {x, y}; }                                      \
  inline constexpr name##3 make_##name##3(T x, T y, T z) { return {x, y, z}; }                              \
  inline constexpr name##4 make_##name##4(T x, T y, T z, T w) { return {x, y, z, w}; }

CUDA_CPU_VECTOR_FAMILY(char, signed char, 2, 4)
CUDA_CPU_VECTOR_FAMILY(uchar, unsigned char, 2, 4)
CUDA_CPU_VECTOR_FAMILY(short, short, 4, 8)
CUDA_CPU_VECTOR_FAMILY(ushort, unsigned short, 4, 8)
CUDA_CPU_VECTOR_FAMILY(int, int, 8, 16)
CUDA_CPU_VECTOR_FAMILY(uint, unsigned int, 8, 16)
CUDA_CPU_VECTOR_FAMILY(long, long, 2 * sizeof(long), 16)
CUDA_CPU_VECTOR_FAMILY(ulong, unsigned long, 2 * sizeof(long), 16)
CUDA_CPU_VECTOR_FAMILY(longlong, long long, 16, 16)
CUDA_CPU_VECTOR_FAMILY(ulonglong, unsigned long long, 16, 16)
CUDA_CPU_VECTOR_FAMILY(float, float, 8, 16)
CUDA_CPU_VECTOR_FAMILY(double, double, 16, 16)
#undef CUDA_CPU_VECTOR_FAMILY

static_assert(sizeof(float4) == 16 && alignof(float4) == 16, "CUDA layout");
static_assert(alignof(float2) == 8 && alignof(char4) == 4 && alignof(double2) == 16, "CUDA layout");

// Launch dimensions: unspecified components are 1, and an integer converts implicitly (dim3 g = n).
struct dim3 {
  unsigned int x, y, z;
  constexpr dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1) : x(vx), y(vy), z(vz) {}
  constexpr dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
  constexpr operator uint3() const { return {x, y, z}; }
};
