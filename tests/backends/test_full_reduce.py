"""Full reductions (issue #4): per-core partials into a workspace, combined in core order by a second launch."""
from __future__ import annotations

from pathlib import Path

import pytest

from cuda2cann.backends.ascendc.syntax_check import cann_root, syntax_check
from cuda2cann.validate.harness import ValidateOptions
from cuda2cann.validate.spec import load_spec
from tests.backends.helpers import translate_text, validate_mutant

KERNELS = {
    "sum_squares": """
        __global__ void sum_squares(const float* x, float* out, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) atomicAdd(out, x[i] * x[i]);
        }""",
    "abs_min": """
        __global__ void abs_min(const float* x, float* out, int n) {
          __shared__ float sh[256];
          float m = INFINITY;
          for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) m = fminf(m, fabsf(x[i]));
          sh[threadIdx.x] = m;
          __syncthreads();
          for (int s = blockDim.x / 2; s > 0; s >>= 1) {
            if (threadIdx.x < s) sh[threadIdx.x] = fminf(sh[threadIdx.x], sh[threadIdx.x + s]);
            __syncthreads();
          }
          if (threadIdx.x == 0) atomicMin((int*)out, __float_as_int(sh[0]));
        }""",
    "half_sum": """
        #include <cuda_fp16.h>
        __device__ float warp_sum(float v) {
          for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
          return v;
        }
        __global__ void half_sum(const __half* x, float* out, int n) {
          float acc = 0.0f;
          for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) acc += __half2float(x[i]);
          acc = warp_sum(acc);
          if ((threadIdx.x & 31) == 0) atomicAdd(out, acc);
        }""",
    # a product over the whole tensor in one block (a tree of *=): halving Muls per core, partials multiplied in order
    "prod_all": """
        __global__ void prod_all(const float* x, float* out, int n) {
          __shared__ float sh[256];
          float p = 1.0f;
          for (int i = threadIdx.x; i < n; i += blockDim.x) p *= x[i];
          sh[threadIdx.x] = p;
          __syncthreads();
          for (int s = blockDim.x / 2; s > 0; s >>= 1) {
            if (threadIdx.x < s) sh[threadIdx.x] *= sh[threadIdx.x + s];
            __syncthreads();
          }
          if (threadIdx.x == 0) out[0] = sh[0];
        }""",
}


def translate(tmp_path: Path, name: str, **kw):
    return translate_text(tmp_path, name, KERNELS[name], **kw)


@pytest.mark.parametrize("name", ["sum_squares", "half_sum", "prod_all"])
def test_full_reductions_over_all_cores_are_equivalent(tmp_path, name):
    record = translate(tmp_path, name, validate=True, options=ValidateOptions(cases=3, seed=5, devices=False))
    assert record.status == "translated" and record.op_class == "reduction", record.findings
    assert record.validation == "equivalent", record.validation_message
    spec = load_spec(next(Path(record.output).glob("*.c2c.toml")))
    assert [launch.kernel for launch in spec.ascendc.launches] == [name, f"{name}_combine"]


def test_atomic_min_through_an_integer_reinterpretation_stays_unported(tmp_path):
    # atomicMin on the int bits of a float orders non-negative floats only: not recognised, reported with a reason
    record = translate(tmp_path, "abs_min")
    assert record.status == "unported" and record.findings


def test_a_product_combined_as_a_sum_is_a_mismatch(tmp_path):
    record = translate(tmp_path, "prod_all")
    assert validate_mutant(record, "prod_all", "total = total * partial;", "total = total + partial;", seed=5) == "mismatch"


def test_a_partial_combine_that_skips_a_core_is_a_mismatch(tmp_path):
    record = translate(tmp_path, "sum_squares")
    assert validate_mutant(record, "sum_squares", "for (uint32_t b = 0; b < tiling_.c2cCores; ++b)",
                           "for (uint32_t b = 1; b < tiling_.c2cCores; ++b)", seed=5) == "mismatch"


@pytest.mark.skipif(cann_root() is None, reason="set CUDA2CANN_CANN_ROOT to a CANN toolkit to check against the real headers")
@pytest.mark.parametrize("name", ["sum_squares", "half_sum", "prod_all"])
def test_full_reduce_kernels_compile_with_the_real_headers(tmp_path, name):
    record = translate(tmp_path, name)
    assert syntax_check(Path(record.output) / f"{name}.cpp", cann_root()) == []


@pytest.mark.parametrize("name", ["count_positive_atomic", "int_max_grid_atomic"])
def test_int32_full_reductions_are_exact(tmp_path, name):
    corpus = Path(__file__).resolve().parents[2] / "op_corpus" / "reductions"
    record = translate_text(tmp_path, name, (corpus / f"{name}.cu").read_text(), validate=True,
                            options=ValidateOptions(cases=3, seed=5, devices=False))
    assert record.validation == "equivalent", (record.findings, record.validation_message)
    assert "int32 accumulation is exact" in (Path(record.output) / f"{name}.cpp").read_text()


def test_an_int32_sum_that_drops_the_scalar_tail_is_a_mismatch(tmp_path):
    corpus = Path(__file__).resolve().parents[2] / "op_corpus" / "reductions"
    record = translate_text(tmp_path, "count_positive_atomic", (corpus / "count_positive_atomic.cu").read_text())
    assert validate_mutant(record, "count_positive_atomic", "for (uint32_t i = 1; i < len; ++i)",
                           "for (uint32_t i = 1; i < 1; ++i)", seed=5) == "mismatch"


def test_a_single_block_reduction_becomes_a_multi_core_full_reduction(tmp_path):
    corpus = Path(__file__).resolve().parents[2] / "op_corpus" / "reductions"
    name = "sum_partials_single_block"
    record = translate_text(tmp_path, name, (corpus / f"{name}.cu").read_text(), validate=True,
                            options=ValidateOptions(cases=2, seed=5, devices=False))
    assert record.validation == "equivalent", (record.findings, record.validation_message)
    spec = load_spec(next(Path(record.output).glob("*.c2c.toml")))
    assert [g.text for g in spec.cuda.grid] == ["1"] and len(spec.ascendc.launches) == 2


def test_the_workspace_has_a_slot_for_every_core_of_the_largest_soc(tmp_path):
    # Ascend 950 has 72 vector cores: a workspace sized for 64 would be overrun (cann-cpu's GM guard would say so)
    record = translate(tmp_path, "sum_squares", soc="Ascend950PR_9599", validate=True,
                       options=ValidateOptions(cases=2, seed=3, devices=False, soc="Ascend950PR_9599"))
    assert record.validation == "equivalent", record.validation_message
    spec = load_spec(next(Path(record.output).glob("*.c2c.toml")))
    assert spec.tensor("c2cWorkspace").shape[0].evaluate({}) >= 72 * 8
