"""Each supported AscendC instruction, generated from CUDA and validated on cann-cpu against cuda-cpu.

Kernels are grouped (several outputs each) so one build checks many instruction rules.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cuda2cann.backends.ascendc.syntax_check import cann_root, syntax_check
from cuda2cann.translate import translate_tree
from cuda2cann.validate.harness import ValidateOptions
from cuda2cann.validate.spec import load_spec

OPTIONS = ValidateOptions(cases=2, seed=5, devices=False, shrink=False)

KERNELS = {
    "bytemask": """
        __global__ void bytemask(const float* x, const unsigned char* m, float* y, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) y[i] = m[i] ? x[i] : -10000.0f;
        }""",
    "pairs": """
        #include <cuda_fp16.h>
        #include <cuda_bf16.h>
        __global__ void pairs(const __half2* a, const __half2* b, __half2* c, int n2) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n2) c[i] = __hadd2(__hmul2(a[i], b[i]), a[i]);
        }""",
    "bf16": """
        #include <cuda_bf16.h>
        __global__ void bf16(const __nv_bfloat16* p, const __nv_bfloat16* r, __nv_bfloat16* q, float* f, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) { q[i] = __hmul(__hadd(p[i], r[i]), p[i]); f[i] = __bfloat162float(p[i]) * 0.5f; }
        }""",
    "intmask": """
        __global__ void intmask(const float* x, const int* m, float* y, float* z, float fill, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) { y[i] = m[i] != 0 ? x[i] : fill; z[i] = m[i] == 3 ? fill : x[i]; }
        }""",
    "rounding": """
        __global__ void rounding(const float* x, float* f, float* c, float* r, float* e, float* t, float* p3, float* ps, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) {
            float v = x[i] * 1000.0f;
            f[i] = floorf(v); c[i] = ceilf(v); r[i] = roundf(v); e[i] = rintf(v); t[i] = truncf(v);
            p3[i] = powf(x[i], 3.0f); ps[i] = powf(fabsf(x[i]), 0.5f);
          }
        }""",
    "rowscale": """
        __global__ void rowscale(const float* x, const float* s, const float* b, float* y, int rows, int cols) {
          int r = blockIdx.y * blockDim.y + threadIdx.y, c = blockIdx.x * blockDim.x + threadIdx.x;
          if (r < rows && c < cols) {
            float v = x[r * cols + c] * s[r] + b[c];
            y[r * cols + c] = v > 0.0f ? v : 0.1f * v;
          }
        }""",
    "affine2d": """
        __global__ void affine2d(const float* x, float* y, float alpha, float beta, int rows, int cols) {
          int r = blockIdx.y * blockDim.y + threadIdx.y, c = blockIdx.x * blockDim.x + threadIdx.x;
          if (r < rows && c < cols) y[r * cols + c] = alpha * x[r * cols + c] + beta;
        }""",
    "arith": """
        __global__ void arith(const float* a, const float* b, float* add, float* sub, float* mul, float* dv, float* mx,
                              float* mn, float* sc, float alpha, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) {
            add[i] = a[i] + b[i]; sub[i] = a[i] - b[i]; mul[i] = a[i] * b[i];
            dv[i] = a[i] / (fabsf(b[i]) + 1.0f); mx[i] = fmaxf(a[i], b[i]); mn[i] = fminf(a[i], alpha);
            sc[i] = (alpha - a[i]) * 0.5f + fmaxf(b[i], -0.25f) - a[i] / alpha;
          }
        }""",
    "transcendental": """
        __global__ void transcendental(const float* x, float* e, float* l, float* s, float* r, float* t, float* g, float* rc,
                                       int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i >= n) return;
          float v = x[i];
          e[i] = expf(v * 0.5f); l[i] = logf(fabsf(v) + 1.0f); s[i] = sqrtf(fabsf(v)); r[i] = rsqrtf(v * v + 1.0f);
          t[i] = tanhf(v); g[i] = 1.0f / (1.0f + expf(-v)); rc[i] = 1.0f / (v * v + 2.0f);
        }""",
    "selects": """
        __global__ void selects(const float* x, const float* y, float* relu, float* clip, float* pick, float* band, float alpha,
                                int n) {
          for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
            float v = x[i];
            relu[i] = v > 0.0f ? v : alpha * v;
            clip[i] = v < -0.5f ? -0.5f : (v > 0.5f ? 0.5f : v);
            pick[i] = v >= y[i] ? y[i] : v;
            band[i] = (v > -1.0f && v < 1.0f) ? 1.0f : 0.0f;
          }
        }""",
    "casts": """
        #include <cuda_fp16.h>
        __global__ void casts(const __half* h, const int* q, const signed char* c, __half* ho, float* fo, int* io, float* co,
                              int n) {
          int row = blockIdx.y * blockDim.y + threadIdx.y;
          int col = blockIdx.x * blockDim.x + threadIdx.x;
          if (row < n && col < 4) {
            int i = row * 4 + col;
            ho[i] = __hadd(h[i], h[i]);
            fo[i] = __half2float(h[i]) + (float)q[i];
            io[i] = max(q[i], 3) * 2 - 1;
            co[i] = static_cast<float>(c[i]) * 0.25f;
          }
        }""",
}


def translate(tmp_path: Path, name: str, **kw):
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / f"{name}.cu").write_text(textwrap.dedent(KERNELS[name]))
    (record,) = translate_tree(src, tmp_path / "out", **kw)
    return record


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_lowered_instructions_are_equivalent_on_cann_cpu(tmp_path, name):
    record = translate(tmp_path, name, validate=True, options=OPTIONS)
    assert record.status == "translated", record.findings
    assert record.validation == "equivalent", record.validation_message


@pytest.mark.skipif(cann_root() is None, reason="set CUDA2CANN_CANN_ROOT to a CANN toolkit to check against the real headers")
@pytest.mark.parametrize("name", sorted(KERNELS))
def test_generated_kernels_compile_with_the_real_cann_headers(tmp_path, name):
    record = translate(tmp_path, name)
    kernel = Path(record.output) / f"{name}.cpp"
    assert syntax_check(kernel, cann_root()) == []


def test_a_wrong_instruction_in_a_generated_kernel_fails_validation(tmp_path):
    from cuda2cann.validate.harness import validate_spec
    record = translate(tmp_path, "arith")
    kernel = Path(record.output) / "arith.cpp"
    text = kernel.read_text()
    assert "AscendC::Sub(" in text
    kernel.write_text(text.replace("AscendC::Sub(", "AscendC::Add(", 1))
    result = validate_spec(load_spec(Path(record.output) / "arith.c2c.toml"), OPTIONS)
    assert result.status == "mismatch" and "output 'sub'" in result.message


def test_generated_plan_fits_the_ub_of_each_soc(tmp_path):
    from cuda2cann.backends.ascendc.pointwise import plan_pointwise
    from cuda2cann.frontend.cuda.translation_unit import analyse_file
    from cuda2cann.validate.soc import profiles
    (tmp_path / "t.cu").write_text(textwrap.dedent(KERNELS["transcendental"]))
    (k,) = analyse_file(tmp_path / "t.cu").kernels
    for soc in profiles().values():
        plan = plan_pointwise(k.lifted, soc)
        assert plan.ub_bytes <= soc.ub_usable and plan.tile_elems % 256 == 0


def test_broadcast_rows_longer_than_a_tile_are_chunked(tmp_path):
    """Rows of more columns than a UB tile take the column-chunk path of the row-wise layout."""
    from cuda2cann.validate.harness import validate_spec
    record = translate(tmp_path, "rowscale")
    spec_path = Path(record.output) / "rowscale.c2c.toml"
    text = spec_path.read_text()
    assert "c2cRows" in text and "cols = { min = 1, max = 1094 }" in text and "rows = { min = 1, max = 1094 }" in text
    spec_path.write_text(text.replace("cols = { min = 1, max = 1094 }", "cols = { min = 9000, max = 40000 }")
                         .replace("rows = { min = 1, max = 1094 }", "rows = { min = 1, max = 3 }"))
    result = validate_spec(load_spec(spec_path), OPTIONS)
    assert result.status == "equivalent", result.message
