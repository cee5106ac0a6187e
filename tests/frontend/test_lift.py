"""Lifting CUDA kernels of each pointwise style to the operator IR, compared through the printer."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cuda2cann.frontend.cuda.translation_unit import analyse_file
from cuda2cann.ir.printer import format_node, format_operator


def lift(tmp_path: Path, source: str, **defines):
    path = tmp_path / "k.cu"
    path.write_text(textwrap.dedent(source))
    from cuda2cann.frontend.cuda.translation_unit import analyse_file as af
    tu = af(path, defines=defines or None)
    assert len(tu.kernels) >= 1
    return tu.kernels


def store_lines(kernel) -> list[str]:
    assert kernel.lifted is not None, f"{kernel.code}: {kernel.message}"
    return [f"{s.tensor}[{s.index}] = {format_node(s.value)}" for s in kernel.lifted.operator.stores]


def test_guarded_one_thread_per_element(tmp_path):
    (k,) = lift(tmp_path, """
        __global__ void add(const float* __restrict__ x, const float* y, float* z, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) z[i] = x[i] + y[i];
        }""")
    op = k.lifted.operator
    assert [a.name for a in op.axes] == ["i0"] and str(op.axes[0].extent) == "n"
    assert store_lines(k) == ["z[i0] = add(x[i0], y[i0])"]
    assert [(p.name, getattr(p, "role", None)) for p in op.params] == [("x", "input"), ("y", "input"), ("z", "output"), ("n", None)]


def test_early_return_guard_and_scalar(tmp_path):
    (k,) = lift(tmp_path, """
        __global__ void scale(float* x, float s, int n) {
          const int i = threadIdx.x + blockIdx.x * blockDim.x;
          if (i >= n) return;
          x[i] *= s;
        }""")
    assert store_lines(k) == ["x[i0] = mul(x[i0], %s)"]
    assert k.lifted.operator.param("x").role == "inout"


def test_grid_stride_loop(tmp_path):
    (k,) = lift(tmp_path, """
        __global__ void relu(const float* x, float* y, int n) {
          for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x)
            y[i] = fmaxf(x[i], 0.0f);
        }""")
    assert store_lines(k) == ["y[i0] = max(x[i0], 0.0)"]
    assert k.lifted.axis_origin == {"i0": "it1"}


def test_two_dimensional_grid(tmp_path):
    (k,) = lift(tmp_path, """
        __global__ void add2d(const float* a, const float* b, float* c, int rows, int cols) {
          int row = blockIdx.y * blockDim.y + threadIdx.y;
          int col = blockIdx.x * blockDim.x + threadIdx.x;
          if (row < rows && col < cols) c[row * cols + col] = a[row * cols + col] - b[row * cols + col];
        }""")
    op = k.lifted.operator
    assert [str(a.extent) for a in op.axes] == ["rows", "cols"]
    assert store_lines(k) == ["c[cols*i0 + i1] = sub(a[cols*i0 + i1], b[cols*i0 + i1])"]


def test_remainder_by_a_constant_is_an_index_but_by_a_parameter_a_finding(tmp_path):
    (k,) = lift(tmp_path, """
        __global__ void bias(const float* x, const float* b, float* y, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) y[i] = x[i] + b[i % 64];
        }""")
    assert store_lines(k) == ["y[i0] = add(x[i0], b[i0 % 64])"]
    (k,) = lift(tmp_path, """
        __global__ void bias(const float* x, const float* b, float* y, int n, int C) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) y[i] = x[i] + b[i % C];
        }""")
    assert k.lifted is None and k.code == "C2C107" and "positive constants only" in k.message


def test_ternary_if_else_and_device_function(tmp_path):
    (k,) = lift(tmp_path, """
        __device__ __forceinline__ float leaky(float v, float a) { return v > 0.f ? v : a * v; }
        __global__ void act(const float* x, float* y, float* z, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) {
            float v = x[i];
            float w;
            if (v < 0.0f) { w = -v; } else { w = v * 2.0f; }
            y[i] = leaky(v, 0.1f);
            z[i] = w;
          }
        }""")
    assert store_lines(k) == [
        "y[i0] = select(gt(x[i0], 0.0), x[i0], mul(0.10000000149011612, x[i0]))",
        "z[i0] = select(lt(x[i0], 0.0), neg(x[i0]), mul(x[i0], 2.0))",
    ]


def test_half_intrinsics_and_casts(tmp_path):
    (k,) = lift(tmp_path, """
        #include <cuda_fp16.h>
        __global__ void h(const __half* x, __half* y, const int* q, float* f, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) {
            y[i] = __float2half(__half2float(x[i]) * 2.0f);
            f[i] = (float)q[i] + static_cast<float>(i % 3 == 0);
          }
        }""")
    lines = store_lines(k)
    assert lines[0] == "y[i0] = float16(mul(float32(x[i0]), 2.0))"
    assert lines[1].startswith("f[i0] = add(float32(q[i0]), ")


def test_macros_ifdef_and_templates(tmp_path):
    src = """
        #define SQR(v) ((v) * (v))
        #ifdef USE_ABS
        #define F(v) fabsf(v)
        #else
        #define F(v) SQR(v)
        #endif
        template <typename T> __global__ void k(const T* x, T* y, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) y[i] = F(x[i]);
        }
        void launch(const float* x, float* y, int n) { k<float><<<(n + 255) / 256, 256>>>(x, y, n); }
    """
    (k,) = lift(tmp_path, src)
    assert k.template_args == {"T": "float"} and store_lines(k) == ["y[i0] = mul(x[i0], x[i0])"]
    (k,) = lift(tmp_path, src, USE_ABS="1")
    assert store_lines(k) == ["y[i0] = abs(x[i0])"]


def test_hard_coded_block_size_is_recorded(tmp_path):
    (k,) = lift(tmp_path, """
        __global__ void k(const float* x, float* y, int n) {
          int i = blockIdx.x * 128 + threadIdx.x;
          if (i < n) y[i] = x[i];
        }""")
    assert k.lifted.block_requirements == {"x": 128}


@pytest.mark.parametrize(("body", "code", "fragment"), [
    ("__shared__ float s[32]; s[threadIdx.x] = x[0]; __syncthreads(); y[0] = s[0];", "C2C101", "shared memory"),
    ("int i = blockIdx.x * blockDim.x + threadIdx.x; if (i < n) y[0] = x[i];", "C2C105", "same element"),
    ("int i = blockIdx.x * blockDim.x + threadIdx.x; if (i < n) y[(int)x[i]] = x[i];", "C2C106", "data-dependent index"),
    ("int i = blockIdx.x * blockDim.x + threadIdx.x; if (i < n) atomicCAS((int*)y, 0, 1);", "C2C101", "atomicCAS"),
    ("int i = blockIdx.x * blockDim.x + threadIdx.x; while (i < n) { y[i] = x[i]; i += 1; }", "C2C102", "while"),
    ("int i = blockIdx.x * blockDim.x + threadIdx.x; if (i < n) y[i] = mystery(x[i]);", "C2C108", "mystery"),
    ("int i = threadIdx.x; if (i < n) y[i] = x[i];", "C2C101", "block decomposition"),
])
def test_unliftable_kernels_become_findings_with_lines(tmp_path, body, code, fragment):
    (k,) = lift(tmp_path, f"__global__ void k(const float* x, float* y, int n) {{\n  {body}\n}}\n")
    assert k.lifted is None and k.code == code and fragment in k.message
    assert k.line == 2 or k.line == 1


def test_corpus_pointwise_kernels_lift():
    root = Path(__file__).resolve().parents[2] / "op_corpus"
    for name in ("vector_add", "saxpy", "gelu_tanh", "silu_half", "clamp_int32", "leaky_relu", "dequant_int8", "bias_add_2d"):
        (k,) = analyse_file(root / name / f"{name}.cu").kernels
        assert k.lifted is not None, f"{name}: {k.code} {k.message}"
        assert format_operator(k.lifted.operator).startswith(f"operator {name}")


def test_float4_vectorised_access_becomes_a_lane_axis(tmp_path):
    (k,) = lift(tmp_path, """
        __global__ void scale4(const float* __restrict__ x, float* __restrict__ y, float s, int n4) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n4) {
            float4 v = reinterpret_cast<const float4*>(x)[i];
            float4 r;
            r.x = v.x * s; r.y = v.y * s; r.z = v.z * s; r.w = v.w * s;
            reinterpret_cast<float4*>(y)[i] = r;
          }
        }""")
    op = k.lifted.operator
    assert [str(a.extent) for a in op.axes] == ["n4", "4"]
    assert store_lines(k) == ["y[i0*4 + i1] = mul(x[i0*4 + i1], %s)"]


def test_typedefs_and_aliases_resolve(tmp_path):
    (k,) = lift(tmp_path, """
        typedef float real;
        using acc_t = real;
        __global__ void k(const real* x, acc_t* y, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) { acc_t v = x[i]; y[i] = v * v; }
        }""")
    assert store_lines(k) == ["y[i0] = mul(x[i0], x[i0])"]


def test_if_else_storing_in_both_branches_is_one_select(tmp_path):
    (k,) = lift(tmp_path, """
        __global__ void softplus(const float* x, float* y, float t, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) {
            if (x[i] > t) y[i] = x[i]; else y[i] = logf(1.0f + expf(x[i]));
          }
        }""")
    assert store_lines(k) == ["y[i0] = select(not(gt(x[i0], %t)), log(add(1.0, exp(x[i0]))), x[i0])"]
    assert k.lifted.operator.param("y").role == "output"  # the old content of y is never needed


def test_a_thread_reads_back_what_it_wrote(tmp_path):
    (k,) = lift(tmp_path, """
        __global__ void k(const float* x, float* y, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) { y[i] = 1.0f; y[i] = y[i] + x[i]; }
        }""")
    assert store_lines(k) == ["y[i0] = add(1.0, x[i0])"]


def test_two_dimensional_early_return_with_or(tmp_path):
    (k,) = lift(tmp_path, """
        __global__ void k(const float* x, float* y, int rows, int cols) {
          int r = blockIdx.y * blockDim.y + threadIdx.y, c = blockIdx.x * blockDim.x + threadIdx.x;
          if (r >= rows || c >= cols) return;
          y[r * cols + c] = __ldg(&x[r * cols + c]) * 2.0f;
        }""")
    assert [str(a.extent) for a in k.lifted.operator.axes] == ["rows", "cols"]
    assert store_lines(k) == ["y[cols*i0 + i1] = mul(x[cols*i0 + i1], 2.0)"]


def test_device_function_with_early_returns(tmp_path):
    (k,) = lift(tmp_path, """
        __device__ float relu6(float v) {
          if (v < 0.0f) return 0;
          if (v > 6.0f) { return 6.0f; }
          return v;
        }
        __global__ void k(const float* x, float* y, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) y[i] = relu6(x[i]);
        }""")
    assert store_lines(k) == ["y[i0] = select(lt(x[i0], 0.0), 0.0, select(gt(x[i0], 6.0), 6.0, x[i0]))"]


def test_return_inside_a_branch_guards_the_code_after_it(tmp_path):
    (k,) = lift(tmp_path, """
        __global__ void k(const float* x, float* y, float* z, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i >= n) return;
          if (x[i] < 0.0f) { y[i] = 0.0f; return; }
          y[i] = x[i];
          z[i] = 1.0f;
        }""")
    assert store_lines(k) == ["y[i0] = select(not(lt(x[i0], 0.0)), x[i0], 0.0)",
                              "z[i0] = select(not(lt(x[i0], 0.0)), 1.0, z[i0])"]


def test_functional_casts_and_composed_math(tmp_path):
    (k,) = lift(tmp_path, """
        template <typename T> __global__ void k(const T* x, T* y, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) y[i] = x[i] > T(0) ? log1pf(x[i]) : (T)(expm1f(x[i]));
        }""")
    assert store_lines(k) == ["y[i0] = select(gt(x[i0], 0.0), log(add(x[i0], 1.0)), sub(exp(x[i0]), 1.0))"]


def test_kernel_without_guard_takes_the_launch_thread_count(tmp_path):
    (k,) = lift(tmp_path, """
        __global__ void k(const float* x, float* y) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          y[i] = x[i] * 3.0f;
        }""")
    op = k.lifted.operator
    assert str(op.axes[0].extent) == "c2c_threads_x" and op.params[-1].name == "c2c_threads_x"
