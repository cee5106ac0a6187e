"""cann-cpu: the AscendC API subset on the CPU — numerics, strictness checks, counters, SoC profiles.

Three C++ programs carry the kernels: POSITIVE (numerics, one scenario per argv[1]), NEGATIVE (one
planted bug per check, argv[1] picks it) and ALL_API (every modelled API in one kernel, also checked
against the real CANN 8.1 headers when CUDA2CANN_CANN_ROOT is set). Builds are cached by content.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from cuda2cann.validate.toolchain import BuildError, Runtime, compiler

RUNTIME_DIR = Path(__file__).resolve().parents[2] / "cuda2cann" / "validate" / "runtime" / "cann_cpu"

COMMON = r"""
#include "kernel_operator.h"
#include <cstdio>
#include <cstdlib>
#include <string>
#include <type_traits>
#include <vector>
using namespace AscendC;

template <typename T> void print(const char* key, const T* v, size_t n) {
  std::printf("%s", key);
  for (size_t i = 0; i < n; ++i) {
    if constexpr (std::is_integral_v<T>) std::printf(" %lld", (long long)v[i]);
    else std::printf(" %.17g", (double)(float)v[i]);
  }
  std::printf("\n");
}
template <typename T> void print(const char* key, const std::vector<T>& v) { print(key, v.data(), v.size()); }

template <typename T> T* to_gm(const std::vector<T>& v, const char* name) {
  T* p = (T*)cann_cpu::gm_alloc(v.size() * sizeof(T), name);
  for (size_t i = 0; i < v.size(); ++i) p[i] = v[i];
  return p;
}

void check(const cann_cpu::LaunchResult& r) {
  if (!r.ok) { std::printf("ERROR %s\n", r.message.c_str()); std::exit(1); }
}
"""

POSITIVE = COMMON + r"""
template <typename T> std::vector<T> seq(size_t n, float (*f)(size_t)) {
  std::vector<T> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = T(f(i));
  return v;
}
float fa(size_t i) { return (float(i) - 20.0f) * 0.37f; }
float fb(size_t i) { return 1.5f + 0.25f * float(i); }

// One core: in0/in1 arrive through a VECIN queue, op(out, a, b, work) runs, out leaves through a
// VECOUT queue. All copies are DataCopyPad, so any length works.
template <typename TO, typename TI, typename Op>
std::vector<TO> run(const std::vector<TI>& in0, const std::vector<TI>& in1, size_t nout, Op op) {
  const uint32_t n = in0.size();
  TI* x = to_gm(in0, "in0");
  TI* y = to_gm(in1, "in1");
  TO* z = (TO*)cann_cpu::gm_alloc(nout * sizeof(TO), "out");
  check(cann_cpu::launch("vec", 1, [&] {
    TPipe pipe;
    TQue<QuePosition::VECIN, 2> qi;
    TQue<QuePosition::VECOUT, 1> qo;
    TBuf<> work;
    pipe.InitBuffer(qi, 2, n * sizeof(TI));
    pipe.InitBuffer(qo, 1, nout * sizeof(TO));
    pipe.InitBuffer(work, 8192);
    GlobalTensor<TI> gx, gy;
    GlobalTensor<TO> gz;
    gx.SetGlobalBuffer((__gm__ TI*)x, n);
    gy.SetGlobalBuffer((__gm__ TI*)y, n);
    gz.SetGlobalBuffer((__gm__ TO*)z, nout);
    LocalTensor<TI> a = qi.AllocTensor<TI>(), b = qi.AllocTensor<TI>();
    DataCopyExtParams in(1, n * sizeof(TI), 0, 0, 0);
    DataCopyPad(a, gx, in, DataCopyPadExtParams<TI>());
    DataCopyPad(b, gy, in, DataCopyPadExtParams<TI>());
    qi.EnQue(a);
    qi.EnQue(b);
    a = qi.DeQue<TI>();
    b = qi.DeQue<TI>();
    LocalTensor<TO> o = qo.AllocTensor<TO>();
    op(o, a, b, work);
    qo.EnQue(o);
    o = qo.DeQue<TO>();
    DataCopyPad(gz, o, DataCopyExtParams(1, nout * sizeof(TO), 0, 0, 0));
    qi.FreeTensor(a);
    qi.FreeTensor(b);
    qo.FreeTensor(o);
  }));
  std::vector<TO> out(z, z + nout);
  cann_cpu::gm_free(x);
  cann_cpu::gm_free(y);
  cann_cpu::gm_free(z);
  return out;
}

#define BIN(KEY, T, OP, N, INA, INB) \
  print(KEY, run<T>(INA, INB, N, [](auto& o, auto& a, auto& b, auto&) { OP(o, a, b, N); }))
#define UN(KEY, T, OP, N, IN) print(KEY, run<T>(IN, IN, N, [](auto& o, auto& a, auto&, auto&) { OP(o, a, N); }))
#define SC(KEY, T, OP, N, IN, S) \
  print(KEY, run<T>(IN, IN, N, [](auto& o, auto& a, auto&, auto&) { OP(o, a, (T)(S), N); }))

void binary() {
  auto fa32 = seq<float>(64, fa), fb32 = seq<float>(64, fb);
  auto fa16 = seq<half>(64, fa), fb16 = seq<half>(64, fb);
  BIN("f32.Add", float, Add, 64, fa32, fb32);
  BIN("f32.Sub", float, Sub, 64, fa32, fb32);
  BIN("f32.Mul", float, Mul, 64, fa32, fb32);
  BIN("f32.Div", float, Div, 64, fa32, fb32);
  BIN("f32.Max", float, Max, 64, fa32, fb32);
  BIN("f32.Min", float, Min, 64, fa32, fb32);
  BIN("f16.Add", half, Add, 64, fa16, fb16);
  BIN("f16.Sub", half, Sub, 64, fa16, fb16);
  BIN("f16.Mul", half, Mul, 64, fa16, fb16);
  BIN("f16.Div", half, Div, 64, fa16, fb16);
  BIN("f16.Max", half, Max, 64, fa16, fb16);
  BIN("f16.Min", half, Min, 64, fa16, fb16);
  std::vector<int16_t> ia16(64), ib16(64, 5000);
  std::vector<int32_t> ia32(64), ib32(64);
  for (int i = 0; i < 64; ++i) ia16[i] = 30000 + i, ia32[i] = 100000 * (i - 30), ib32[i] = 70000 - 3 * i;
  BIN("i16.Add", int16_t, Add, 64, ia16, ib16);
  BIN("i16.Mul", int16_t, Mul, 64, ia16, ib16);
  BIN("i32.Sub", int32_t, Sub, 64, ia32, ib32);
  BIN("i32.Mul", int32_t, Mul, 64, ia32, ib32);
  BIN("i32.Max", int32_t, Max, 64, ia32, ib32);
}

void scalar() {
  auto fa32 = seq<float>(40, fa);
  auto fa16 = seq<half>(40, fa);
  std::vector<int32_t> ia32(40);
  std::vector<int16_t> ia16(40);
  for (int i = 0; i < 40; ++i) ia32[i] = 50000 * (i - 20), ia16[i] = 1000 * (i - 20);
  SC("f32.Adds", float, Adds, 40, fa32, 1.25f);
  SC("f32.Muls", float, Muls, 40, fa32, -3.5f);
  SC("f32.Maxs", float, Maxs, 40, fa32, 0.5f);
  SC("f32.Mins", float, Mins, 40, fa32, 0.5f);
  SC("f16.Adds", half, Adds, 40, fa16, 0.3f);
  SC("f16.Muls", half, Muls, 40, fa16, 0.3f);
  SC("i32.Muls", int32_t, Muls, 40, ia32, 100000);
  SC("i16.Adds", int16_t, Adds, 40, ia16, 30000);
}

void unary() {
  auto fa32 = seq<float>(48, fa);
  auto fa16 = seq<half>(48, fa);
  UN("f32.Exp", float, Exp, 48, fa32);
  UN("f32.Ln", float, Ln, 48, fa32);
  UN("f32.Abs", float, Abs, 48, fa32);
  UN("f32.Sqrt", float, Sqrt, 48, fa32);
  UN("f32.Rsqrt", float, Rsqrt, 48, fa32);
  UN("f32.Reciprocal", float, Reciprocal, 48, fa32);
  UN("f32.Relu", float, Relu, 48, fa32);
  UN("f16.Exp", half, Exp, 48, fa16);
  UN("f16.Ln", half, Ln, 48, fa16);
  UN("f16.Abs", half, Abs, 48, fa16);
  UN("f16.Sqrt", half, Sqrt, 48, fa16);
  UN("f16.Rsqrt", half, Rsqrt, 48, fa16);
  UN("f16.Reciprocal", half, Reciprocal, 48, fa16);
  UN("f16.Relu", half, Relu, 48, fa16);
  std::vector<int32_t> ia32(48);
  for (int i = 0; i < 48; ++i) ia32[i] = 7 * (i - 24);
  UN("i32.Relu", int32_t, Relu, 48, ia32);
  print("f16.Duplicate", run<half>(fa16, fa16, 40, [](auto& o, auto&, auto&, auto&) { Duplicate(o, half(2.5f), 40); }));
  print("u16.Duplicate", run<uint16_t>(fa16, fa16, 20, [](auto& o, auto&, auto&, auto&) {
    Duplicate(o, (uint16_t)65535, 20);
  }));
  print("bf16.Duplicate", run<bfloat16_t>(fa16, fa16, 16, [](auto& o, auto&, auto&, auto&) {
    Duplicate(o, bfloat16_t(1.5f), 16);
  }));
}

template <typename TO, typename TI> void cast(const char* key, const std::vector<float>& values, RoundMode mode) {
  std::vector<TI> in(values.size());
  for (size_t i = 0; i < values.size(); ++i) in[i] = (TI)values[i];
  const uint32_t n = in.size();
  print(key, run<TO>(in, in, n, [mode, n](auto& o, auto& a, auto&, auto&) { Cast(o, a, mode, n); }));
}

void casts() {
  // 1 + 2^-11 lies halfway between two halves; so does 2.5 between two integers.
  std::vector<float> tie = {1.00048828125f, -1.00048828125f, 1.000732421875f, 65520.0f, -70000.0f, 3.0f};
  const char* names[] = {"NONE", "RINT", "FLOOR", "CEIL", "ROUND", "TRUNC", "ODD"};
  for (int m = 0; m <= 6; ++m) cast<half, float>((std::string("f32>f16.") + names[m]).c_str(), tie, RoundMode(m));
  std::vector<float> ints = {2.5f, -2.5f, 3.5f, -0.5f, 2.7f, -2.7f, 3e9f, -3e9f};
  for (int m = 1; m <= 5; ++m) {
    cast<int32_t, float>((std::string("f32>i32.") + names[m]).c_str(), ints, RoundMode(m));
    cast<float, float>((std::string("f32>f32.") + names[m]).c_str(), ints, RoundMode(m));
    cast<int32_t, half>((std::string("f16>i32.") + names[m]).c_str(), {2.5f, -2.5f, 3.5f, 0.75f, -0.75f, 60000.0f}, RoundMode(m));
  }
  std::vector<float> bf = {1.00390625f, 1.01171875f, -1.00390625f};
  cast<bfloat16_t, float>("f32>bf16.RINT", bf, RoundMode::CAST_RINT);
  cast<bfloat16_t, float>("f32>bf16.CEIL", bf, RoundMode::CAST_CEIL);
  cast<bfloat16_t, float>("f32>bf16.TRUNC", bf, RoundMode::CAST_TRUNC);
  cast<int8_t, half>("f16>i8.NONE", {300.0f, -300.0f, 2.5f, 3.5f, -7.25f}, RoundMode::CAST_NONE);
  cast<uint8_t, half>("f16>u8.NONE", {300.0f, -3.0f, 2.5f, 200.75f}, RoundMode::CAST_NONE);
  cast<float, half>("f16>f32.NONE", {0.1f, -65504.0f, 6e-8f}, RoundMode::CAST_NONE);
  std::vector<int32_t> big = {16777217, 16777219, -16777217, 2147483647};
  print("i32>f32.RINT", run<float>(big, big, 4, [](auto& o, auto& a, auto&, auto&) { Cast(o, a, RoundMode::CAST_RINT, 4); }));
  print("i32>f32.CEIL", run<float>(big, big, 4, [](auto& o, auto& a, auto&, auto&) { Cast(o, a, RoundMode::CAST_CEIL, 4); }));
  print("i32>f32.NONE", run<float>(big, big, 4, [](auto& o, auto& a, auto&, auto&) { Cast(o, a, RoundMode::CAST_NONE, 4); }));
  print("i32>i16.NONE", run<int16_t>(big, big, 4, [](auto& o, auto& a, auto&, auto&) { Cast(o, a, RoundMode::CAST_NONE, 4); }));
  print("i32>i64.NONE", run<int64_t>(big, big, 4, [](auto& o, auto& a, auto&, auto&) { Cast(o, a, RoundMode::CAST_NONE, 4); }));
}

void cmpsel() {
  auto a = seq<float>(128, fa), b = seq<float>(128, [](size_t i) { return 7.0f - 0.1f * float(i); });
  print("Compare.LT", run<uint8_t>(a, b, 16, [](auto& o, auto& x, auto& y, auto&) { Compare(o, x, y, CMPMODE::LT, 128); }));
  print("Compare.LT.ragged", run<uint8_t>(a, b, 16, [](auto& o, auto& x, auto& y, auto&) {
    Duplicate(o.template ReinterpretCast<int16_t>(), (int16_t)0x5555, 8);
    Compare(o, x, y, CMPMODE::LT, 100);  // only the first whole 256-byte repeat (64 floats) is compared
  }));
  print("compare_rounded_down", &cann_cpu::rt().counters.back().compare_rounded_down, 1);
  auto h = seq<half>(128, [](size_t i) { return float(i % 5); });
  auto h2 = seq<half>(128, [](size_t i) { return float(i % 3); });
  print("Compare.f16.EQ", run<uint8_t>(h, h2, 16, [](auto& o, auto& x, auto& y, auto&) { Compare(o, x, y, CMPMODE::EQ, 128); }));
  print("CompareScalar.GE", run<uint8_t>(a, a, 16, [](auto& o, auto& x, auto&, auto&) {
    CompareScalar(o, x, 0.5f, CMPMODE::GE, 128);
  }));
  // Compare then Select: mask bit 1 picks src0.
  auto select = [](SELMODE mode) {
    return [mode](auto& o, auto& x, auto& y, auto& w) {
      LocalTensor<uint8_t> m = w.template Get<uint8_t>();
      Compare(m, x, y, CMPMODE::LT, 128);
      if (mode == SELMODE::VSEL_TENSOR_SCALAR_MODE) Select(o, m, x, 0.0f, mode, 128);
      else Select(o, m, x, y, mode, 128);
    };
  };
  print("Select.TENSOR_TENSOR", run<float>(a, b, 128, select(SELMODE::VSEL_TENSOR_TENSOR_MODE)));
  print("Select.TENSOR_SCALAR", run<float>(a, b, 128, select(SELMODE::VSEL_TENSOR_SCALAR_MODE)));
  print("Select.CMPMASK_SPR", run<float>(a, b, 128, select(SELMODE::VSEL_CMPMASK_SPR)));
}

void reduce() {
  auto a32 = seq<float>(300, [](size_t i) { return float((i * 37) % 101) - 50.0f; });
  auto a16 = seq<half>(300, [](size_t i) { return float((i * 37) % 101) * 0.125f; });
  print("ReduceSum.f32", run<float>(a32, a32, 1, [](auto& o, auto& x, auto&, auto& w) {
    ReduceSum(o, x, w.template Get<float>(), 300);
  }));
  print("ReduceSum.f16", run<half>(a16, a16, 1, [](auto& o, auto& x, auto&, auto& w) {
    ReduceSum(o, x, w.template Get<half>(), 300);
  }));
  print("ReduceMax.f32", run<float>(a32, a32, 2, [](auto& o, auto& x, auto&, auto& w) {
    ReduceMax(o, x, w.template Get<float>(), 300, true);
  }));
  print("ReduceMax.f32.bits", run<uint32_t>(a32, a32, 2, [](auto& o, auto& x, auto&, auto& w) {
    ReduceMax(o.template ReinterpretCast<float>(), x, w.template Get<float>(), 300, true);
  }));
  print("ReduceMin.f16.bits", run<uint16_t>(a16, a16, 2, [](auto& o, auto& x, auto&, auto& w) {
    ReduceMin(o.template ReinterpretCast<half>(), x, w.template Get<half>(), 300, true);
  }));
  auto w32 = seq<float>(192, [](size_t i) { return float(i % 13) - 4.0f; });
  print("WholeReduceSum.64", run<float>(w32, w32, 3, [](auto& o, auto& x, auto&, auto&) {
    WholeReduceSum(o, x, 64, 3, 1, 1, 8);
  }));
  print("WholeReduceSum.10", run<float>(w32, w32, 3, [](auto& o, auto& x, auto&, auto&) {
    WholeReduceSum(o, x, 10, 3, 1, 1, 8);
  }));
  print("BlockReduceSum.64", run<float>(w32, w32, 16, [](auto& o, auto& x, auto&, auto&) {
    BlockReduceSum(o, x, 2, 64, 1, 1, 8);
  }));
  print("BlockReduceSum.20", run<float>(w32, w32, 16, [](auto& o, auto& x, auto&, auto&) {
    Duplicate(o, -1.0f, 16);
    BlockReduceSum(o, x, 2, 20, 1, 1, 8);
  }));
}

// Lays out GM data in UB with DataCopyPad/DataCopy, then copies the raw UB bytes back out.
void pad() {
  std::vector<float> src(64);
  for (int i = 0; i < 64; ++i) src[i] = float(i + 1);
  float* x = to_gm(src, "x");
  float* y = (float*)cann_cpu::gm_alloc(8 * 96 * sizeof(float), "y");
  float* z = to_gm(std::vector<float>(40, -5.0f), "z");
  check(cann_cpu::launch("pad", 1, [&] {
    TPipe pipe;
    TBuf<TPosition::VECIN> buf;
    pipe.InitBuffer(buf, 8 * 96 * sizeof(float));
    LocalTensor<float> u = buf.Get<float>();
    GlobalTensor<float> gx, gy, gz;
    gx.SetGlobalBuffer((__gm__ float*)x, 64);
    gy.SetGlobalBuffer((__gm__ float*)y, 8 * 96);
    gz.SetGlobalBuffer((__gm__ float*)z, 40);
    DataCopyExtParams p(3, 5 * sizeof(float), 4, 0, 0);  // 3 bursts of 5 floats, 1 float skipped in GM
    DataCopyPad(u[0], gx, p, DataCopyPadExtParams<float>(true, 1, 2, -1.0f));
    DataCopyPad(u[96], gx, p, DataCopyPadExtParams<float>(false, 0, 0, 0.0f));
    DataCopyPad(u[192], gx, p, DataCopyPadExtParams<float>(false, 0, 3, 0.0f));
    DataCopyPad(u[384], gx, DataCopyExtParams(3, 5 * sizeof(float), 4, 1, 0), DataCopyPadExtParams<float>(true, 0, 3, 2.0f));
    float nine = 9.0f;
    uint32_t bits;
    std::memcpy(&bits, &nine, 4);
    DataCopyPad(u[480], gx, DataCopyParams(3, 5 * sizeof(float), 4, 0), DataCopyPadParams(true, 0, 3, bits));
    DataCopy(u[576], gx, DataCopyParams(2, 1, 1, 0));  // 2 x 32 bytes, skipping 32 bytes of GM
    SetPadValue(7.0f);
    DataCopyPad(u[288], gx, p, DataCopyPadExtParams<float>(false, 0, 3, 0.0f));
    SetFlag<HardEvent::MTE2_MTE3>(EVENT_ID0);
    WaitFlag<HardEvent::MTE2_MTE3>(EVENT_ID0);
    DataCopy(gy, u, 8 * 96);
    DataCopyPad(gz, u[96], DataCopyExtParams(3, 5 * sizeof(float), 0, 8, 0));  // 5 floats per 32-byte UB block, 2-float GM gaps
  }));
  const char* keys[] = {"pad.left1_right2", "pad.none", "pad.right3_nopad", "pad.setpadvalue", "pad.dststride",
                        "pad.legacy", "copy.params"};
  const int at[] = {0, 96, 192, 288, 384, 480, 576};
  const int len[] = {24, 24, 24, 24, 48, 24, 16};
  for (int k = 0; k < 7; ++k) print(keys[k], y + at[k], len[k]);
  print("pad.out", z, 40);
}

// A ragged length (100 floats = 400 bytes) copied with DataCopy loses its 16-byte tail; DataCopyPad keeps it.
void ragged() {
  for (bool use_pad : {false, true}) {
    std::vector<float> in(100);
    for (int i = 0; i < 100; ++i) in[i] = float(i);
    float* x = to_gm(in, "x");
    float* y = (float*)cann_cpu::gm_alloc(100 * sizeof(float), "y");
    check(cann_cpu::launch(use_pad ? "ragged_pad" : "ragged_datacopy", 1, [&] {
      TPipe pipe;
      TQue<QuePosition::VECIN, 1> qi;
      TQue<QuePosition::VECOUT, 1> qo;
      pipe.InitBuffer(qi, 1, 100 * sizeof(float));
      pipe.InitBuffer(qo, 1, 100 * sizeof(float));
      GlobalTensor<float> gx, gy;
      gx.SetGlobalBuffer((__gm__ float*)x, 100);
      gy.SetGlobalBuffer((__gm__ float*)y, 100);
      LocalTensor<float> a = qi.AllocTensor<float>();
      if (use_pad) DataCopyPad(a, gx, DataCopyExtParams(1, 400, 0, 0, 0), DataCopyPadExtParams<float>());
      else DataCopy(a, gx, 100);
      qi.EnQue(a);
      a = qi.DeQue<float>();
      LocalTensor<float> b = qo.AllocTensor<float>();
      Adds(b, a, 1.0f, 100);
      qo.EnQue(b);
      b = qo.DeQue<float>();
      if (use_pad) DataCopyPad(gy, b, DataCopyExtParams(1, 400, 0, 0, 0));
      else DataCopy(gy, b, 100);
      qi.FreeTensor(a);
      qo.FreeTensor(b);
    }));
    print(use_pad ? "ragged.pad" : "ragged.datacopy", y, 100);
    std::printf("counters %s\n", cann_cpu::counters_json().c_str());
  }
}

// 4 blocks x 1024 halves, tiles of 256: known bytes and repeats per block.
void counters() {
  const uint32_t n = 4096, tile = 256;
  half* x = to_gm(std::vector<half>(n, half(1.0f)), "x");
  half* y = to_gm(std::vector<half>(n, half(2.0f)), "y");
  half* z = (half*)cann_cpu::gm_alloc(n * sizeof(half), "z");
  check(cann_cpu::launch("add_custom", 4, [&] {
    TPipe pipe;
    TQue<QuePosition::VECIN, 2> qx, qy;
    TQue<QuePosition::VECOUT, 2> qz;
    pipe.InitBuffer(qx, 2, tile * sizeof(half));
    pipe.InitBuffer(qy, 2, tile * sizeof(half));
    pipe.InitBuffer(qz, 2, tile * sizeof(half));
    GlobalTensor<half> gx, gy, gz;
    uint32_t per = n / GetBlockNum(), base = per * GetBlockIdx();
    gx.SetGlobalBuffer((__gm__ half*)x + base, per);
    gy.SetGlobalBuffer((__gm__ half*)y + base, per);
    gz.SetGlobalBuffer((__gm__ half*)z + base, per);
    for (uint32_t t = 0; t < per / tile; ++t) {
      LocalTensor<half> a = qx.AllocTensor<half>(), b = qy.AllocTensor<half>();
      DataCopy(a, gx[t * tile], tile);
      DataCopy(b, gy[t * tile], tile);
      qx.EnQue(a);
      qy.EnQue(b);
      a = qx.DeQue<half>();
      b = qy.DeQue<half>();
      LocalTensor<half> c = qz.AllocTensor<half>();
      Add(c, a, b, tile);
      qz.EnQue(c);
      qx.FreeTensor(a);
      qy.FreeTensor(b);
      c = qz.DeQue<half>();
      DataCopy(gz[t * tile], c, tile);
      qz.FreeTensor(c);
    }
    if (GetBlockIdx() == 0) gz.SetValue(0, gx.GetValue(0) + gy.GetValue(0));
  }));
  print("counters.z", z, 8);
  std::printf("counters %s\n", cann_cpu::counters_json().c_str());
}

// UB capacity follows the SoC profile.
void soc() {
  auto big = [] {
    TPipe pipe;
    TBuf<> buf;
    pipe.InitBuffer(buf, 200000);
    Duplicate(buf.Get<float>(), 1.0f, 64);
  };
  cann_cpu::LaunchResult r = cann_cpu::launch("big_ub", 1, big);
  std::printf("910B2 %d %s\n", r.ok, r.message.c_str());
  cann_cpu::set_soc("Ascend950PR_9599");
  r = cann_cpu::launch("big_ub", 1, big);
  std::printf("950PR %d %s\n", r.ok, r.message.c_str());
  try {
    cann_cpu::set_soc("Ascend999");
  } catch (const std::invalid_argument& e) {
    std::printf("unknown %s\n", e.what());
  }
  std::printf("profiles %s\n", cann_cpu::soc_profiles_json().c_str());
}

int main(int argc, char** argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "binary") binary();
  else if (s == "scalar") scalar();
  else if (s == "unary") unary();
  else if (s == "cast") casts();
  else if (s == "cmpsel") cmpsel();
  else if (s == "reduce") reduce();
  else if (s == "pad") pad();
  else if (s == "ragged") ragged();
  else if (s == "counters") counters();
  else if (s == "soc") soc();
  else return 2;
  return 0;
}
"""

NEGATIVE = COMMON + r"""
// Each scenario plants one bug; the launch must fail with the matching check.
float* X;  // GM 'x': 1025 floats = 4100 bytes
float* Y;  // GM 'y': 1024 floats

#define KERNEL(NAME) void NAME()
#define QIN TQue<QuePosition::VECIN, 1>
#define SETUP(QNUM, QLEN)                          \
  TPipe pipe;                                      \
  QIN q;                                           \
  TQue<QuePosition::VECOUT, 1> qo;                 \
  pipe.InitBuffer(q, QNUM, QLEN);                  \
  pipe.InitBuffer(qo, 1, 256);                     \
  GlobalTensor<float> xg, yg;                      \
  xg.SetGlobalBuffer((__gm__ float*)X);            \
  yg.SetGlobalBuffer((__gm__ float*)Y, 1024)

KERNEL(gm_oob) {  // block 3 of 8 reads 64 bytes at GM offset 4096 of a 4100-byte region
  SETUP(1, 64);
  LocalTensor<float> a = q.AllocTensor<float>();
  DataCopy(a, xg[(GetBlockIdx() + 1) * 256], 16);
  q.FreeTensor(a);
}
KERNEL(gm_size) {
  SETUP(1, 64);
  xg.SetGlobalBuffer((__gm__ float*)X, 8);
  LocalTensor<float> a = q.AllocTensor<float>();
  DataCopy(a, xg, 16);
  q.FreeTensor(a);
}
KERNEL(gm_scalar) {
  SETUP(1, 64);
  xg.SetValue(1025, 1.0f);
}
KERNEL(ub_capacity) { SETUP(2, 100000); }
KERNEL(ub_bounds) {
  SETUP(1, 64);
  TBuf<> t;
  pipe.InitBuffer(t, 256);
  Duplicate(t.Get<float>(), 1.0f, 128);
}
KERNEL(unaligned) {
  SETUP(1, 128);
  LocalTensor<float> a = q.AllocTensor<float>();
  DataCopy(a[3], xg, 8);
  q.FreeTensor(a);
}
KERNEL(enque_depth) {
  SETUP(2, 64);
  LocalTensor<float> a = q.AllocTensor<float>(), b = q.AllocTensor<float>();
  q.EnQue(a);
  q.EnQue(b);
}
KERNEL(alloc_exhausted) {
  SETUP(1, 64);
  LocalTensor<float> a = q.AllocTensor<float>(), b = q.AllocTensor<float>();
}
KERNEL(use_after_free) {
  SETUP(1, 64);
  LocalTensor<float> a = q.AllocTensor<float>();
  Duplicate(a, 1.0f, 16);
  q.FreeTensor(a);
  Adds(a, a, 1.0f, 16);
}
KERNEL(double_free) {
  SETUP(1, 64);
  LocalTensor<float> a = q.AllocTensor<float>();
  LocalTensor<float> alias = a;
  q.FreeTensor(a);
  q.FreeTensor(alias);
}
KERNEL(leak) {
  SETUP(1, 64);
  LocalTensor<float> a = qo.AllocTensor<float>();
  Duplicate(a, 0.0f, 16);
}
KERNEL(mte2_v_race) {  // vector op reads what DataCopy brought in, without EnQue/DeQue
  SETUP(1, 64);
  LocalTensor<float> a = q.AllocTensor<float>(), o = qo.AllocTensor<float>();
  DataCopy(a, xg, 16);
  Adds(o, a, 1.0f, 16);
  q.FreeTensor(a);
  qo.FreeTensor(o);
}
KERNEL(v_mte3_race) {  // copy-out of a vector result without EnQue/DeQue
  SETUP(1, 64);
  LocalTensor<float> o = qo.AllocTensor<float>();
  Duplicate(o, 2.0f, 64);
  DataCopy(yg, o, 64);
  qo.FreeTensor(o);
}
KERNEL(mte2_mte3_race) {  // copy in, copy straight out
  SETUP(1, 64);
  LocalTensor<float> a = q.AllocTensor<float>();
  DataCopy(a, xg, 16);
  DataCopy(yg, a, 16);
  q.FreeTensor(a);
}
KERNEL(wait_without_set) {
  SETUP(1, 64);
  WaitFlag<HardEvent::MTE2_V>(EVENT_ID1);
}
KERNEL(cast_mode) {
  SETUP(1, 64);
  LocalTensor<float> a = q.AllocTensor<float>();
  Duplicate(a, 1.5f, 16);
  Cast(a.ReinterpretCast<int32_t>(), a, RoundMode::CAST_NONE, 16);
  q.FreeTensor(a);
}
// Scalar accesses to UB run on pipe S: GetValue must see synchronised MTE2/V writes, SetValue's
// store must be synchronised before V or MTE3 read it.
#define SCALAR_SETUP                          \
  SETUP(1, 64);                               \
  TBuf<> t;                                   \
  pipe.InitBuffer(t, 256);                    \
  LocalTensor<float> v = t.Get<float>(), r = v[16], w = v[32]
KERNEL(v_s_race) {  // scalar read of a reduction result without V_S
  SCALAR_SETUP;
  Duplicate(v, 2.0f, 16);
  ReduceMax(r, v, w, 16);
  if (r.GetValue(0) != 2.0f) std::abort();
}
KERNEL(mte2_s_race) {  // DeQue waits on pipe V (MTE2_V), not on the scalar unit
  SCALAR_SETUP;
  LocalTensor<float> a = q.AllocTensor<float>();
  DataCopy(a, xg, 16);
  q.EnQue(a);
  a = q.DeQue<float>();
  (void)a.GetValue(3);
  q.FreeTensor(a);
}
KERNEL(s_v_race) {  // vector op reads what SetValue stored, without S_V
  SCALAR_SETUP;
  for (int i = 0; i < 16; ++i) v.SetValue(i, 0.5f * i);
  Adds(r, v, 1.0f, 16);
}
KERNEL(s_mte3_race) {  // SetValue into a VECOUT tensor: EnQue/DeQue carry V_MTE3 only
  SCALAR_SETUP;
  LocalTensor<float> o = qo.AllocTensor<float>();
  for (int i = 0; i < 16; ++i) o.SetValue(i, 1.0f);
  qo.EnQue(o);
  o = qo.DeQue<float>();
  DataCopy(yg, o, 16);
  qo.FreeTensor(o);
}
KERNEL(v_s_overwrite) {  // SetValue into a block a vector op may still be writing
  SCALAR_SETUP;
  Duplicate(v, 0.0f, 16);
  v.SetValue(5, 1.0f);
}
// Controls: the same data flow, synchronised.
KERNEL(synced_scalar) {
  SCALAR_SETUP;
  LocalTensor<float> a = q.AllocTensor<float>(), o = qo.AllocTensor<float>();
  DataCopy(a, xg, 16);
  SetFlag<HardEvent::MTE2_S>(EVENT_ID0);
  WaitFlag<HardEvent::MTE2_S>(EVENT_ID0);
  float x3 = a.GetValue(3);
  Duplicate(v, 2.0f, 16);
  ReduceMax(r, v, w, 16);
  event_t vs = static_cast<event_t>(GetTPipePtr()->FetchEventID(HardEvent::V_S));
  SetFlag<HardEvent::V_S>(vs);
  WaitFlag<HardEvent::V_S>(vs);
  float m = r.GetValue(0);
  for (int i = 0; i < 16; ++i) v.SetValue(i, m + x3);
  SetFlag<HardEvent::S_V>(EVENT_ID0);
  WaitFlag<HardEvent::S_V>(EVENT_ID0);
  Adds(o, v, 1.0f, 16);
  SetFlag<HardEvent::V_S>(vs);  // the store below must not race Adds' write of o
  WaitFlag<HardEvent::V_S>(vs);
  o.SetValue(15, 0.0f);
  q.FreeTensor(a);
  qo.FreeTensor(o);
}
KERNEL(synced_scalar_out) {
  SCALAR_SETUP;
  LocalTensor<float> o = qo.AllocTensor<float>();
  for (int i = 0; i < 16; ++i) o.SetValue(i, 1.0f);
  SetFlag<HardEvent::S_MTE3>(EVENT_ID0);
  WaitFlag<HardEvent::S_MTE3>(EVENT_ID0);
  DataCopy(yg, o, 16);
  qo.FreeTensor(o);
}
KERNEL(synced_scalar_barrier) {
  SCALAR_SETUP;
  Duplicate(v, 2.0f, 16);
  PipeBarrier<PIPE_ALL>();
  v.SetValue(0, v.GetValue(1));
  PipeBarrier<PIPE_ALL>();
  Adds(r, v, 1.0f, 16);
}
// Synchronisation is transitive: MTE2 -> V (DeQue) then V -> S (WaitFlag) orders the copy-in before
// the scalar read; a WaitFlag on S stalls instruction issue, so the copy-out issued after it sees V.
KERNEL(synced_transitive) {
  SCALAR_SETUP;
  LocalTensor<float> a = q.AllocTensor<float>();
  DataCopy(a, xg, 16);
  q.EnQue(a);
  a = q.DeQue<float>();
  ReduceMax(r, a, w, 16);
  SetFlag<HardEvent::V_S>(EVENT_ID0);
  WaitFlag<HardEvent::V_S>(EVENT_ID0);
  (void)(a.GetValue(3) + r.GetValue(0));
  DataCopy(yg, r, 8);
  q.FreeTensor(a);
}
KERNEL(synced_flag) {
  SETUP(1, 64);
  LocalTensor<float> a = q.AllocTensor<float>(), o = qo.AllocTensor<float>();
  DataCopy(a, xg, 16);
  event_t e = static_cast<event_t>(GetTPipePtr()->FetchEventID(HardEvent::MTE2_V));
  SetFlag<HardEvent::MTE2_V>(e);
  WaitFlag<HardEvent::MTE2_V>(e);
  Adds(o, a, 1.0f, 16);
  SetFlag<HardEvent::V_MTE3>(EVENT_ID0);
  WaitFlag<HardEvent::V_MTE3>(EVENT_ID0);
  DataCopy(yg, o, 16);
  q.FreeTensor(a);
  qo.FreeTensor(o);
}
KERNEL(synced_barrier) {
  SETUP(1, 64);
  LocalTensor<float> a = q.AllocTensor<float>(), o = qo.AllocTensor<float>();
  DataCopy(a, xg, 16);
  PipeBarrier<PIPE_ALL>();
  Adds(o, a, 1.0f, 16);
  PipeBarrier<PIPE_ALL>();
  DataCopy(yg, o, 16);
  q.FreeTensor(a);
  qo.FreeTensor(o);
}

int main(int argc, char** argv) {
  std::string s = argc > 1 ? argv[1] : "";
  X = (float*)cann_cpu::gm_alloc(4100, "x");
  Y = (float*)cann_cpu::gm_alloc(4096, "y");
  std::vector<std::pair<const char*, void (*)()>> kernels = {
      {"gm_oob", gm_oob}, {"gm_size", gm_size}, {"gm_scalar", gm_scalar}, {"ub_capacity", ub_capacity},
      {"ub_bounds", ub_bounds}, {"unaligned", unaligned}, {"enque_depth", enque_depth},
      {"alloc_exhausted", alloc_exhausted}, {"use_after_free", use_after_free}, {"double_free", double_free},
      {"leak", leak}, {"mte2_v_race", mte2_v_race}, {"v_mte3_race", v_mte3_race},
      {"mte2_mte3_race", mte2_mte3_race}, {"wait_without_set", wait_without_set}, {"cast_mode", cast_mode},
      {"v_s_race", v_s_race}, {"mte2_s_race", mte2_s_race}, {"s_v_race", s_v_race},
      {"s_mte3_race", s_mte3_race}, {"v_s_overwrite", v_s_overwrite}, {"synced_scalar", synced_scalar},
      {"synced_scalar_out", synced_scalar_out}, {"synced_scalar_barrier", synced_scalar_barrier},
      {"synced_transitive", synced_transitive},
      {"synced_flag", synced_flag}, {"synced_barrier", synced_barrier}, {"block_dim", synced_flag}};
  for (auto& [name, fn] : kernels) {
    if (s != name) continue;
    uint32_t blocks = s == "gm_oob" ? 8 : s == "block_dim" ? 0 : 2;
    cann_cpu::LaunchResult r = cann_cpu::launch(name, blocks, fn);
    std::printf("%s\n", r.ok ? "OK" : r.message.c_str());
    return 0;
  }
  return 2;
}
"""

# Every modelled API in one kernel; it must run clean on cann-cpu and compile against CANN 8.1.
ALL_API_KERNEL = r"""
#include "kernel_operator.h"
using namespace AscendC;

extern "C" __global__ __aicore__ void all_api(GM_ADDR x, GM_ADDR y) {
  TPipe pipe;
  TQue<QuePosition::VECIN, 1> qin;
  TQue<QuePosition::VECOUT, 1> qout;
  TBuf<TPosition::VECCALC> calc;
  TBuf<> tmp;
  pipe.InitBuffer(qin, 1, 256 * sizeof(float));
  pipe.InitBuffer(qout, 1, 256 * sizeof(float));
  pipe.InitBuffer(calc, 4096);
  pipe.InitBuffer(tmp, 1024);
  GlobalTensor<float> xg, yg;
  xg.SetGlobalBuffer((__gm__ float*)x + GetBlockIdx() * 256, 256);
  yg.SetGlobalBuffer((__gm__ float*)y);
  yg = yg[GetBlockIdx() * 256];
  float g0 = xg.GetValue(0) + (float)xg.GetSize() + (float)GetBlockNum();
  (void)xg.GetPhyAddr();

  LocalTensor<float> a = qin.AllocTensor<float>();
  DataCopy(a, xg, 64);
  DataCopyParams cp(2, 2, 0, 0);
  DataCopy(a[64], xg[64], cp);
  DataCopyExtParams ep(1, 20 * sizeof(float), 0, 0, 0);
  DataCopyPadExtParams<float> pp(true, 0, 4, 0.0f);
  DataCopyPad(a[96], xg[96], ep, pp);
  DataCopyParams lp(1, 8 * sizeof(float), 0, 0);
  DataCopyPadParams lpp(false, 0, 0, 0);
  DataCopyPad(a[128], xg[128], lp, lpp);
  SetPadValue((float)0);
  DataCopyPad(a[136], xg[136], ep, DataCopyPadExtParams<float>());
  DataCopy(a[160], xg[160], 96);
  qin.EnQue(a);
  a = qin.DeQue<float>();

  LocalTensor<float> c = calc.Get<float>();
  LocalTensor<float> d = calc.Get<float>(256);
  LocalTensor<float> e = calc.GetWithOffset<float>(256, 1024);
  LocalTensor<float> w = tmp.Get<float>();
  Add(c, a, a, 256); Sub(c, c, a, 256); Mul(c, c, a, 256); Div(d, c, a, 256); Max(d, d, a, 256); Min(d, d, a, 256);
  Adds(c, a, 1.0f, 256); Muls(c, c, 2.0f, 256); Maxs(c, c, 0.5f, 256); Mins(c, c, 100.0f, 256);
  Abs(d, a, 256); Relu(d, d, 256); Adds(d, d, 1.0f, 256); Exp(e, d, 256); Ln(e, d, 256); Sqrt(e, d, 256);
  Rsqrt(e, d, 256); Reciprocal(e, d, 256); Duplicate(e, 3.0f, 256);
  LocalTensor<half> h = e.ReinterpretCast<half>();
  Cast(h, d, RoundMode::CAST_RINT, 256);
  Cast(d, h, RoundMode::CAST_NONE, 256);
  LocalTensor<int32_t> iv = w.ReinterpretCast<int32_t>();
  Cast(iv, d, RoundMode::CAST_TRUNC, 64);
  LocalTensor<uint8_t> mask = w[64].ReinterpretCast<uint8_t>();
  Compare(mask, a, d, CMPMODE::LT, 64);
  CompareScalar(mask[32], a, 1.0f, CMPMODE::GE, 64);
  Select(c, mask, a, d, SELMODE::VSEL_TENSOR_TENSOR_MODE, 64);
  Select(c, mask, a, 0.0f, SELMODE::VSEL_TENSOR_SCALAR_MODE, 64);
  LocalTensor<float> r = w[128];
  ReduceSum(r, a, w[136], 256);
  ReduceMax(r[8], a, w[136], 256, true);
  ReduceMin(r[16], a, w[136], 256);
  WholeReduceSum(r[24], a, 64, 2, 1, 1, 8);
  BlockReduceSum(r[32], a, 1, 64, 1, 1, 8);
  event_t vs = static_cast<event_t>(GetTPipePtr()->FetchEventID(HardEvent::V_S));
  SetFlag<HardEvent::V_S>(vs);
  WaitFlag<HardEvent::V_S>(vs);
  float s = r.GetValue(0) + (float)r.GetSize() + g0;
  (void)r.GetPhyAddr();

  LocalTensor<float> o = qout.AllocTensor<float>();
  Adds(o, c, s * 0.0f, 256);
  SetFlag<HardEvent::V_S>(vs);
  WaitFlag<HardEvent::V_S>(vs);
  o.SetValue(0, (float)0);
  SetFlag<HardEvent::S_MTE3>(EVENT_ID0);
  WaitFlag<HardEvent::S_MTE3>(EVENT_ID0);
  PipeBarrier<PIPE_V>();
  qout.EnQue(o);
  o = qout.DeQue<float>();
  DataCopy(yg, o, 64);
  DataCopy(yg[64], o[64], cp);
  DataCopyPad(yg[96], o[96], ep);
  DataCopyPad(yg[128], o[128], lp);
  event_t ev = static_cast<event_t>(GetTPipePtr()->FetchEventID(HardEvent::MTE3_MTE2));
  SetFlag<HardEvent::MTE3_MTE2>(ev);
  WaitFlag<HardEvent::MTE3_MTE2>(ev);
  TEventID id = GetTPipePtr()->AllocEventID<HardEvent::V_MTE3>();
  GetTPipePtr()->ReleaseEventID<HardEvent::V_MTE3>(id);
  (void)GetTPipePtr()->FetchEventID<HardEvent::MTE2_V>();
  PipeBarrier<PIPE_ALL>();
  yg.SetValue(255, a.GetValue(255));
  qin.FreeTensor(a);
  qout.FreeTensor(o);
  pipe.Reset();
  pipe.Destroy();
}
"""

ALL_API_MAIN = r"""
#include <cstdio>
int main() {
  float* x = (float*)cann_cpu::gm_alloc(4 * 256 * 4, "x");
  float* y = (float*)cann_cpu::gm_alloc(4 * 256 * 4, "y");
  for (int i = 0; i < 1024; ++i) x[i] = 0.25f * (i % 37) - 3;
  cann_cpu::LaunchResult r = cann_cpu::launch("all_api", 4, [&] { all_api((GM_ADDR)x, (GM_ADDR)y); });
  std::printf("%s\n", r.ok ? "OK" : r.message.c_str());
}
"""

# Snippets the A2 hardware lacks: each must fail to compile (also with the real CANN headers).
UNSUPPORTED = {
    "cast_half_to_bf16": "Cast(t.ReinterpretCast<bfloat16_t>(), t, RoundMode::CAST_RINT, 16);",
    "exp_int32": "Exp(t.ReinterpretCast<int32_t>(), t.ReinterpretCast<int32_t>(), 16);",
    "add_uint8": "Add(t.ReinterpretCast<uint8_t>(), t.ReinterpretCast<uint8_t>(), t.ReinterpretCast<uint8_t>(), 32);",
}
UNSUPPORTED_MESSAGES = {
    "cast_half_to_bf16": "Cast between these types is not supported on Ascend A2",
    "exp_int32": "Exp supports half, float on Ascend A2",
    "add_uint8": "Add supports int16_t, half, int32_t, float on Ascend A2",
}


def unsupported_source(body: str) -> str:
    return (
        '#include "kernel_operator.h"\nusing namespace AscendC;\n'
        "extern \"C\" __global__ __aicore__ void k() {\n  TPipe pipe;\n  TBuf<> b;\n  pipe.InitBuffer(b, 1024);\n"
        f"  LocalTensor<half> t = b.Get<half>();\n  {body}\n}}\n"
    )


def parse(stdout: str) -> dict[str, np.ndarray]:
    out = {}
    for line in stdout.splitlines():
        key, *values = line.split(" ")
        if values and re.fullmatch(r"[\w.>]+", key) and key != "counters":
            out[key] = np.array([float(v) for v in values])
    return out


@pytest.fixture
def positive(cann_cpu):
    def run(scenario: str) -> str:
        proc = cann_cpu(POSITIVE, args=(scenario,))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout

    return run


def fa(n):
    return ((np.arange(n, dtype=np.float32) - 20) * np.float32(0.37)).astype(np.float32)


def fb(n):
    return (np.float32(1.5) + np.float32(0.25) * np.arange(n, dtype=np.float32)).astype(np.float32)


def f16(x):
    return np.asarray(x, dtype=np.float32).astype(np.float16)


def in_f16(op, *args):
    """An operation on halves computed exactly (float64) and rounded once to half."""
    with np.errstate(all="ignore"):
        return op(*[np.asarray(a, dtype=np.float64) for a in args]).astype(np.float16).astype(np.float64)


# --- numerics ------------------------------------------------------------------------------------


def test_binary_ops(positive):
    got = parse(positive("binary"))
    a, b = fa(64), fb(64)
    ops = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide, "Max": np.maximum,
           "Min": np.minimum}
    for name, op in ops.items():
        np.testing.assert_array_equal(got[f"f32.{name}"], op(a, b), err_msg=name)
        np.testing.assert_array_equal(got[f"f16.{name}"], in_f16(op, f16(a), f16(b)), err_msg=name)
    i16 = 30000 + np.arange(64)
    i32a, i32b = 100000 * (np.arange(64) - 30), 70000 - 3 * np.arange(64)
    np.testing.assert_array_equal(got["i16.Add"], (i16 + 5000).astype(np.int16))  # wraps
    np.testing.assert_array_equal(got["i16.Mul"], (i16 * 5000).astype(np.int16))
    np.testing.assert_array_equal(got["i32.Sub"], i32a - i32b)
    np.testing.assert_array_equal(got["i32.Mul"], (i32a * i32b).astype(np.int32))
    np.testing.assert_array_equal(got["i32.Max"], np.maximum(i32a, i32b))


def test_scalar_ops(positive):
    got = parse(positive("scalar"))
    a = fa(40)
    np.testing.assert_array_equal(got["f32.Adds"], a + np.float32(1.25))
    np.testing.assert_array_equal(got["f32.Muls"], a * np.float32(-3.5))
    np.testing.assert_array_equal(got["f32.Maxs"], np.maximum(a, np.float32(0.5)))
    np.testing.assert_array_equal(got["f32.Mins"], np.minimum(a, np.float32(0.5)))
    np.testing.assert_array_equal(got["f16.Adds"], in_f16(np.add, f16(a), f16(0.3)))
    np.testing.assert_array_equal(got["f16.Muls"], in_f16(np.multiply, f16(a), f16(0.3)))
    np.testing.assert_array_equal(got["i32.Muls"], (50000 * (np.arange(40) - 20) * 100000).astype(np.int32))
    np.testing.assert_array_equal(got["i16.Adds"], (1000 * (np.arange(40) - 20) + 30000).astype(np.int16))


def test_unary_ops_and_duplicate(positive):
    got = parse(positive("unary"))
    a = fa(48)
    ops = {"Exp": np.exp, "Ln": np.log, "Abs": np.abs, "Sqrt": np.sqrt, "Rsqrt": lambda x: 1 / np.sqrt(x),
           "Reciprocal": lambda x: 1 / x, "Relu": lambda x: np.maximum(x, 0)}
    with np.errstate(all="ignore"):
        for name, op in ops.items():
            np.testing.assert_allclose(got[f"f32.{name}"], op(a.astype(np.float64)).astype(np.float32), rtol=2e-7,
                                       err_msg=name)
            np.testing.assert_array_equal(got[f"f16.{name}"], in_f16(op, f16(a)), err_msg=name)
    np.testing.assert_array_equal(got["i32.Relu"], np.maximum(7 * (np.arange(48) - 24), 0))
    np.testing.assert_array_equal(got["f16.Duplicate"], np.full(40, 2.5))
    np.testing.assert_array_equal(got["u16.Duplicate"], np.full(20, 65535))
    np.testing.assert_array_equal(got["bf16.Duplicate"], np.full(16, 1.5))


def test_cast_round_modes(positive):
    got = parse(positive("cast"))
    u = 2.0**-10  # half ulp at 1.0
    # float -> half: 1 + u/2 is a tie; 65520 is the overflow threshold; -70000 overflows.
    expected = {
        "RINT": [1, -1, 1 + u, np.inf, -np.inf, 3],
        "NONE": [1, -1, 1 + u, np.inf, -np.inf, 3],
        "FLOOR": [1, -1 - u, 1, 65504, -np.inf, 3],
        "CEIL": [1 + u, -1, 1 + u, np.inf, -65504, 3],
        "ROUND": [1 + u, -1 - u, 1 + u, np.inf, -np.inf, 3],
        "TRUNC": [1, -1, 1, 65504, -65504, 3],
        "ODD": [1 + u, -1 - u, 1 + u, 65504, -65504, 3],
    }
    for mode, values in expected.items():
        np.testing.assert_array_equal(got[f"f32>f16.{mode}"], values, err_msg=mode)
    ints = {  # 2.5, -2.5, 3.5, -0.5, 2.7, -2.7, then float -> int32 saturation
        "RINT": [2, -2, 4, 0, 3, -3], "FLOOR": [2, -3, 3, -1, 2, -3], "CEIL": [3, -2, 4, 0, 3, -2],
        "ROUND": [3, -3, 4, -1, 3, -3], "TRUNC": [2, -2, 3, 0, 2, -2],
    }
    for mode, values in ints.items():
        np.testing.assert_array_equal(got[f"f32>i32.{mode}"], [*values, 2**31 - 1, -(2**31)], err_msg=mode)
        np.testing.assert_array_equal(got[f"f32>f32.{mode}"], [*values, 3e9, -3e9], err_msg=mode)
    np.testing.assert_array_equal(got["f16>i32.RINT"], [2, -2, 4, 1, -1, 60000])
    np.testing.assert_array_equal(got["f16>i32.FLOOR"], [2, -3, 3, 0, -1, 60000])
    np.testing.assert_array_equal(got["f16>i32.ROUND"], [3, -3, 4, 1, -1, 60000])
    b = 2.0**-7  # bf16 ulp at 1.0
    np.testing.assert_array_equal(got["f32>bf16.RINT"], [1, 1 + 2 * b, -1])
    np.testing.assert_array_equal(got["f32>bf16.CEIL"], [1 + b, 1 + 2 * b, -1])
    np.testing.assert_array_equal(got["f32>bf16.TRUNC"], [1, 1 + b, -1])
    np.testing.assert_array_equal(got["f16>i8.NONE"], [127, -128, 2, 4, -7])  # saturates, rint
    np.testing.assert_array_equal(got["f16>u8.NONE"], [255, 0, 2, 201])
    np.testing.assert_array_equal(got["f16>f32.NONE"], f16([0.1, -65504, 6e-8]).astype(np.float64))
    np.testing.assert_array_equal(got["i32>f32.RINT"], [16777216, 16777220, -16777216, 2**31])
    np.testing.assert_array_equal(got["i32>f32.CEIL"], [16777218, 16777220, -16777216, 2**31])
    np.testing.assert_array_equal(got["i32>f32.NONE"], [16777216, 16777220, -16777216, 2**31])
    np.testing.assert_array_equal(got["i32>i16.NONE"], [32767, 32767, -32768, 32767])
    np.testing.assert_array_equal(got["i32>i64.NONE"], [16777217, 16777219, -16777217, 2**31 - 1])


def mask_bits(values: np.ndarray, n: int) -> np.ndarray:
    return np.unpackbits(values.astype(np.uint8), bitorder="little")[:n].astype(bool)


def test_compare_and_select(positive):
    out = positive("cmpsel")
    got = parse(out)
    a, b = fa(128), (np.float32(7) - np.float32(0.1) * np.arange(128, dtype=np.float32)).astype(np.float32)
    lt = a < b
    np.testing.assert_array_equal(mask_bits(got["Compare.LT"], 128), lt)
    ragged = mask_bits(got["Compare.LT.ragged"], 128)
    np.testing.assert_array_equal(ragged[:64], lt[:64])  # one whole repeat compared
    np.testing.assert_array_equal(ragged[64:], np.tile([True, False], 32))  # the rest untouched (0x55)
    assert got["compare_rounded_down"][0] == 1
    h = np.arange(128) % 5
    np.testing.assert_array_equal(mask_bits(got["Compare.f16.EQ"], 128), h == np.arange(128) % 3)
    np.testing.assert_array_equal(mask_bits(got["CompareScalar.GE"], 128), a >= 0.5)
    np.testing.assert_array_equal(got["Select.TENSOR_TENSOR"], np.where(lt, a, b))
    np.testing.assert_array_equal(got["Select.TENSOR_SCALAR"], np.where(lt, a, 0))
    reused = np.tile(lt[:64], 2)  # mode 0 applies the first 64 mask bits to every repeat
    np.testing.assert_array_equal(got["Select.CMPMASK_SPR"], np.where(reused, a, b))


def test_reductions(positive):
    got = parse(positive("reduce"))
    i = np.arange(300)
    a32 = ((i * 37) % 101 - 50).astype(np.float64)
    a16 = f16(((i * 37) % 101) * 0.125).astype(np.float64)
    assert got["ReduceSum.f32"][0] == a32.sum()
    assert got["ReduceSum.f16"][0] == np.float16(a16.sum())
    assert got["ReduceMax.f32"][0] == a32.max()
    assert got["ReduceMax.f32.bits"][1] == np.argmax(a32)  # index stored as the element's bits
    assert got["ReduceMin.f16.bits"][1] == np.argmin(a16)
    assert np.float16(got["ReduceMin.f16.bits"][0].astype(np.uint16).view(np.float16)) == a16.min()
    w = (np.arange(192) % 13 - 4).astype(np.float64).reshape(3, 64)
    np.testing.assert_array_equal(got["WholeReduceSum.64"], w.sum(axis=1))
    np.testing.assert_array_equal(got["WholeReduceSum.10"], w[:, :10].sum(axis=1))
    np.testing.assert_array_equal(got["BlockReduceSum.64"], w[:2].reshape(16, 8).sum(axis=1))
    partial = np.full(16, -1.0)  # blocks without masked elements keep their value
    for r in range(2):
        for j in range(3):
            partial[8 * r + j] = w[r, 8 * j: min(8 * j + 8, 20)].sum()
    np.testing.assert_array_equal(got["BlockReduceSum.20"], partial)


def test_datacopypad_layout_and_padding(positive):
    got = parse(positive("pad"))
    x = np.arange(1, 65, dtype=np.float64)
    bursts = [x[6 * k: 6 * k + 5] for k in range(3)]  # 5 floats, then 1 skipped (srcStride 4 bytes)

    def blocks(make):
        return np.concatenate([make(b) for b in bursts])

    np.testing.assert_array_equal(got["pad.left1_right2"], blocks(lambda b: [-1, *b, -1, -1]))
    np.testing.assert_array_equal(got["pad.none"], blocks(lambda b: [*b, b[0], b[0], b[0]]))  # dummy = first element
    nopad = got["pad.right3_nopad"].reshape(3, 8)
    np.testing.assert_array_equal(nopad[:, :5], np.array(bursts))
    assert np.isnan(nopad[:, 5:]).all()  # undefined pad: garbage
    np.testing.assert_array_equal(got["pad.setpadvalue"], blocks(lambda b: [*b, 7, 7, 7]))
    np.testing.assert_array_equal(got["pad.legacy"], blocks(lambda b: [*b, 9, 9, 9]))
    strided = got["pad.dststride"].reshape(3, 16)  # dstStride 1: one 32-byte block gap per burst
    np.testing.assert_array_equal(strided[:, :8], np.array([[*b, 2, 2, 2] for b in bursts]))
    assert np.isnan(strided[:, 8:]).all()
    np.testing.assert_array_equal(got["copy.params"], np.concatenate([x[0:8], x[16:24]]))
    out = got["pad.out"]  # UB->GM: 5 floats from each 32-byte UB block, 8-byte GM gaps left untouched
    expected = np.full(40, -5.0)
    for k, b in enumerate(bursts):
        expected[7 * k: 7 * k + 5] = b
    np.testing.assert_array_equal(out, expected)


def test_ragged_datacopy_rounds_down_but_datacopypad_is_exact(positive):
    out = positive("ragged")
    got = parse(out)
    counters = [json.loads(line.split(" ", 1)[1]) for line in out.splitlines() if line.startswith("counters")]
    expected = np.arange(100) + 1.0
    wrong = got["ragged.datacopy"]
    np.testing.assert_array_equal(wrong[:96], expected[:96])  # 384 of 400 bytes moved
    assert np.isnan(wrong[96:]).all()  # tail never written: GM garbage
    assert counters[0]["total"]["datacopy_rounded_down"] == 2
    assert counters[0]["total"]["gm_to_ub_bytes"] == 384
    np.testing.assert_array_equal(got["ragged.pad"], expected)
    assert counters[1]["total"]["datacopy_rounded_down"] == 0
    assert counters[1]["total"]["gm_to_ub_bytes"] == 400


def test_counters(positive):
    out = positive("counters")
    np.testing.assert_array_equal(parse(out)["counters.z"], np.full(8, 3.0))
    c = json.loads(next(line for line in out.splitlines() if line.startswith("counters ")).split(" ", 1)[1])
    assert c["soc"] == "Ascend910B2" and c["kernel"] == "add_custom" and c["block_dim"] == 4
    assert [b["block"] for b in c["blocks"]] == [0, 1, 2, 3]
    for b in c["blocks"]:
        assert b["gm_to_ub_bytes"] == 2 * 1024 * 2  # x and y, 1024 halves each
        assert b["ub_to_gm_bytes"] == 1024 * 2
        assert b["vector"] == {"Add": {"instructions": 4, "repeats": 4 * 2}}  # 512 bytes per tile = 2 repeats
    assert (c["blocks"][0]["scalar_gm_reads"], c["blocks"][0]["scalar_gm_writes"]) == (2, 1)
    assert c["blocks"][1]["scalar_gm_reads"] == 0
    assert c["total"]["gm_to_ub_bytes"] == 4 * 4096 and c["total"]["vector"]["Add"]["repeats"] == 32


def test_soc_profiles(positive):
    out = dict(line.split(" ", 1) for line in positive("soc").splitlines())
    assert out["910B2"].startswith("0 cann-cpu: error: kernel 'big_ub' block 0/1: TPipe::InitBuffer: TBuf<VECCALC> #0 "
                                   "needs 200000 more bytes of UB but only 188160 of the 188160 usable bytes of "
                                   "Ascend910B2 are left")
    assert out["950PR"] == "1 "
    assert out["unknown"].startswith("cann-cpu: unknown SoC 'Ascend999' (known: Ascend910B1, Ascend910B2,")
    profiles = json.loads(out["profiles"])
    # The .def table is the one source of truth; Python reads it with one regex per row.
    rows = re.findall(r'^C2C_SOC\("(\w+)", (\d+), (\d+), (\d+), (\d+), (\d+)\)$',
                      (RUNTIME_DIR / "cann_cpu" / "soc_profiles.def").read_text(), re.M)
    assert [(p["name"], p["npu_arch"], p["aic_cores"], p["aiv_cores"], p["ub_bytes"], p["ub_usable_bytes"])
            for p in profiles] == [(r[0], *map(int, r[1:])) for r in rows]
    by_name = {p["name"]: p for p in profiles}
    assert by_name["Ascend910B2"]["ub_usable_bytes"] == 196608 - 256 - 8192
    assert by_name["Ascend910B3"]["aiv_cores"] == 40 and by_name["Ascend950DT_9581"]["aiv_cores"] == 64
    assert by_name["Ascend950PR_9599"]["ub_usable_bytes"] == 253952


# --- checks: one planted bug each ----------------------------------------------------------------

PREFIX = "cann-cpu: error: kernel '{k}' block {b}: "
NEGATIVE_CASES = {
    "gm_oob": ("3/8", "DataCopy(GM->UB): read of 64 bytes at GM offset 4096 of 'x' is out of bounds (size 4100 bytes)"),
    "gm_size": ("0/2", "DataCopy(GM->UB): read of elements [0, 16) is outside the GlobalTensor's buffer of 8 elements"),
    "gm_scalar": ("0/2", "GlobalTensor::SetValue: write of 4 bytes at GM offset 4100 of 'x' is out of bounds"),
    "ub_capacity": ("0/2", "TPipe::InitBuffer: buffer 1 of TQue<VECIN, 1> #0 needs 100000 more bytes of UB but only "
                           "88160 of the 188160 usable bytes of Ascend910B2 are left"),
    "ub_bounds": ("0/2", "Duplicate: dst of 128 elements (512 bytes) at UB 0x140 runs past the end of TBuf<VECCALC> #0"),
    "unaligned": ("0/2", "DataCopy(GM->UB): dst address UB 0xc is not 32-byte aligned"),
    "enque_depth": ("0/2", "EnQue: depth 1 of TQue<VECIN, 1> #0 exceeded: 1 tensors are already queued"),
    "alloc_exhausted": ("0/2", "AllocTensor: all 1 buffers of TQue<VECIN, 1> #0 are in use"),
    "use_after_free": ("0/2", "Adds: src tensor used after FreeTensor (buffer 0 of TQue<VECIN, 1> #0)"),
    "double_free": ("0/2", "FreeTensor: double free: the buffer of this tensor (buffer 0 of TQue<VECIN, 1> #0) was "
                           "already freed"),
    "leak": ("0/2", "kernel end: buffer 0 of TQue<VECOUT, 1> #1 is still allocated"),
    "mte2_v_race": ("0/2", "Adds: src reads UB bytes [0x0, 0x20) written by DataCopy(GM->UB) on pipe MTE2 before that "
                           "write was synchronised with pipe V (use EnQue/DeQue, SetFlag/WaitFlag<HardEvent::MTE2_V>"),
    "v_mte3_race": ("0/2", "DataCopy(UB->GM): src reads UB bytes [0x40, 0x60) written by Duplicate on pipe V before "
                           "that write was synchronised with pipe MTE3"),
    "mte2_mte3_race": ("0/2", "DataCopy(UB->GM): src reads UB bytes [0x0, 0x20) written by DataCopy(GM->UB) on pipe "
                              "MTE2 before that write was synchronised with pipe MTE3"),
    "wait_without_set": ("0/2", "WaitFlag<HardEvent::MTE2_V>: event ID 1 was not set by a matching SetFlag"),
    "cast_mode": ("0/2", "Cast: RoundMode::CAST_NONE is not supported for this type pair on Ascend A2"),
    "v_s_race": ("0/2", "LocalTensor::GetValue: element 0 reads UB bytes [0x180, 0x1a0) written by ReduceMax on pipe "
                        "V before that write was synchronised with pipe S (use SetFlag/WaitFlag<HardEvent::V_S> or "
                        "PipeBarrier<PIPE_ALL>)"),
    "mte2_s_race": ("0/2", "LocalTensor::GetValue: element 3 reads UB bytes [0x0, 0x20) written by DataCopy(GM->UB) "
                           "on pipe MTE2 before that write was synchronised with pipe S (use "
                           "SetFlag/WaitFlag<HardEvent::MTE2_S> or PipeBarrier<PIPE_ALL>)"),
    "s_v_race": ("0/2", "Adds: src reads UB bytes [0x140, 0x160) written by LocalTensor::SetValue on pipe S before "
                        "that write was synchronised with pipe V (use SetFlag/WaitFlag<HardEvent::S_V> or "
                        "PipeBarrier<PIPE_ALL>)"),
    "s_mte3_race": ("0/2", "DataCopy(UB->GM): src reads UB bytes [0x40, 0x60) written by LocalTensor::SetValue on "
                           "pipe S before that write was synchronised with pipe MTE3 (use "
                           "SetFlag/WaitFlag<HardEvent::S_MTE3> or PipeBarrier<PIPE_ALL>)"),
    "v_s_overwrite": ("0/2", "LocalTensor::SetValue: element 5 overwrites UB bytes [0x140, 0x160) written by "
                             "Duplicate on pipe V before that write was synchronised with pipe S (use "
                             "SetFlag/WaitFlag<HardEvent::V_S> or PipeBarrier<PIPE_ALL>)"),
}


@pytest.mark.parametrize("scenario", sorted(NEGATIVE_CASES))
def test_check_reports_kernel_block_and_api(cann_cpu, scenario):
    block, message = NEGATIVE_CASES[scenario]
    proc = cann_cpu(NEGATIVE, args=(scenario,))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(PREFIX.format(k=scenario, b=block) + message), proc.stdout


def test_launch_rejects_block_dim_out_of_range(cann_cpu):
    proc = cann_cpu(NEGATIVE, args=("block_dim",))
    assert proc.stdout.strip() == "cann-cpu: error: kernel 'block_dim': block_dim 0 out of range [1, 65535]"


@pytest.mark.parametrize("scenario", ["synced_flag", "synced_barrier", "synced_scalar", "synced_scalar_out",
                                      "synced_scalar_barrier", "synced_transitive"])
def test_synchronised_data_flow_passes(cann_cpu, scenario):
    assert cann_cpu(NEGATIVE, args=(scenario,)).stdout.strip() == "OK"


def test_unsupported_dtypes_fail_to_compile(cann_cpu):
    source = unsupported_source("\n  ".join(UNSUPPORTED.values()))
    with pytest.raises(BuildError) as err:
        cann_cpu(source)
    for name, message in UNSUPPORTED_MESSAGES.items():
        assert message in err.value.log, name


def test_all_api_kernel_runs_clean_and_compiles_with_wall(cann_cpu, tmp_path):
    assert cann_cpu(ALL_API_KERNEL + ALL_API_MAIN).stdout.strip() == "OK"
    src = tmp_path / "kernel.cpp"
    src.write_text(ALL_API_KERNEL)
    includes = [f"-I{d}" for d in Runtime.CANN_CPU.include_dirs]
    proc = subprocess.run([compiler(), "-std=c++17", "-fsyntax-only", "-Wall", "-Werror", *includes, str(src)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


# --- the real CANN 8.1 headers as an oracle ------------------------------------------------------


def real_header_syntax_check(source: str, tmp_path: Path) -> subprocess.CompletedProcess:
    c = Path(os.environ["CUDA2CANN_CANN_ROOT"])
    a = c / "aarch64-linux" / "ascendc" / "include"
    src = tmp_path / "kernel.cpp"
    src.write_text(source)
    includes = [c / "tools/tikicpulib/lib/include", c / "aarch64-linux/include", a / "basic_api",
                a / "basic_api/impl", a / "basic_api/interface", a / "highlevel_api", a / "highlevel_api/lib",
                a / "highlevel_api/impl", a / "highlevel_api/lib/matmul"]
    cmd = [compiler(), "-std=c++17", "-fsyntax-only", "-D__CCE_AICORE__=220", "-D__DAV_C220__",
           "-D_GLIBCXX_USE_CXX11_ABI=0", "-D__CCE_KT_TEST__=1", "-DASCENDC_CPU_DEBUG=1", "-DASCENDC_DEBUG=1",
           *[f"-I{d}" for d in includes], str(src)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(not os.environ.get("CUDA2CANN_CANN_ROOT"), reason="CUDA2CANN_CANN_ROOT (CANN 8.1 toolkit) not set")
def test_all_api_kernel_compiles_with_real_cann_headers(tmp_path):
    proc = real_header_syntax_check(ALL_API_KERNEL, tmp_path)
    assert proc.returncode == 0, proc.stderr[-5000:]
    for name, body in UNSUPPORTED.items():  # and the real headers reject what cann-cpu rejects
        assert real_header_syntax_check(unsupported_source(body), tmp_path).returncode != 0, name
