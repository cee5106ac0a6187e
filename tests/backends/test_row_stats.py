"""Rows longer than the UB: which reductions of a row program share one pass over GM (row_stats.py), and that the
merged passes stay equivalent to the CUDA original, -inf rows included."""
from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from cuda2cann.backends.ascendc.row_program import plan_row_program
from cuda2cann.backends.ascendc.syntax_check import cann_root, syntax_check
from cuda2cann.frontend.cuda.translation_unit import analyse_file
from cuda2cann.validate.compare import compare_arrays, policy_for
from cuda2cann.validate.executors import CannCpuExecutor, CudaCpuExecutor
from cuda2cann.validate.harness import ValidateOptions
from cuda2cann.validate.inputs import Case, Materialized, tensor_shapes
from cuda2cann.validate.sandbox import Limits
from cuda2cann.validate.soc import soc_profile
from cuda2cann.validate.spec import load_spec
from tests.backends.helpers import translate_text

#: a thread per row: a first statistic `a`, a second `b` reading it, then the outputs
SERIAL = """
__global__ void k(const float* x, const float* w, float* y, float c0, int rows, int cols) {{
  int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  const float* xr = x + r * cols;
  float a = {init};
  for (int c = 0; c < cols; ++c) a = {first};
  {between}
  float b = 0.0f;
  for (int c = 0; c < cols; ++c) b += {second};
  for (int c = 0; c < cols; ++c) y[r * cols + c] = {out};
}}
"""
SOFTMAX = dict(init="-INFINITY", first="fmaxf(a, xr[c])", between="", second="expf(xr[c] - a)", out="expf(xr[c] - a) / b")
NORM = dict(init="0.0f", first="a + xr[c]", between="float mean = a / cols;", second="(xr[c] - mean) * (xr[c] - mean)",
            out="(xr[c] - mean) * rsqrtf(b / cols + 1e-5f)")
CASES = {
    # merged: a max and a sum of exp(x - t(max)), t non-decreasing
    "softmax": (SOFTMAX, "online"),
    "softmax_floor_shift": ({**SOFTMAX, "between": "float t = fmaxf(a, -1e30f);", "second": "expf(xr[c] - t)",
                             "out": "expf(xr[c] - t) / b"}, "online"),
    "logsumexp_shifted": ({**SOFTMAX, "between": "float t = a + c0;", "second": "__expf(xr[c] - t)",
                           "out": "xr[c] - t - logf(b)"}, "online"),
    # merged: a sum and a sum of squared deviations from a per-row value of it
    "layernorm": (NORM, "welford"),
    "variance_pow_reversed": ({**NORM, "second": "powf(mean - xr[c], 2.0f)", "out": "b / cols"}, "welford"),
    "deviation_from_shifted_mean": ({**NORM, "between": "float mean = a / cols + c0;"}, "welford"),
    # not merged
    "exp_minus_row_min": ({**SOFTMAX, "init": "INFINITY", "first": "fminf(a, xr[c])"}, None),
    "exp_minus_max_of_another_tensor": ({**SOFTMAX, "first": "fmaxf(a, w[r * cols + c])"}, None),
    "exp_minus_decreasing_shift": ({**SOFTMAX, "between": "float t = c0 - a;", "second": "expf(xr[c] - t)",
                                    "out": "expf(xr[c] - t) / b"}, None),
    "squares_around_a_parameter": ({**NORM, "second": "(xr[c] - c0) * (xr[c] - c0)"}, None),
    "squares_around_the_mean_of_another_tensor": ({**NORM, "first": "a + w[r * cols + c]"}, None),
    "cubes_around_the_mean": ({**NORM, "second": "(xr[c] - mean) * (xr[c] - mean) * (xr[c] - mean)"}, None),
}


def kernel_text(name: str) -> str:
    return textwrap.dedent(SERIAL.format(**CASES[name][0]))


def plan_of(tmp_path: Path, text: str):
    path = tmp_path / "k.cu"
    path.write_text(text)
    (k,) = analyse_file(path).kernels
    assert k.lifted is not None, f"{k.code}: {k.message}"
    return plan_row_program(k.lifted, soc_profile("Ascend910B2"))


def pass_kinds(plan) -> list[str]:
    return [p.merged.kind if p.merged else "reduce" for p in plan.reduction_passes]


@pytest.mark.parametrize("name", sorted(CASES))
def test_which_statistics_share_a_pass(tmp_path, name):
    plan = plan_of(tmp_path, kernel_text(name))
    merged = CASES[name][1]
    assert pass_kinds(plan) == ([merged] if merged else ["reduce", "reduce"])
    assert f"longer rows take {2 if merged else 3} chunked passes over GM" in plan.notes[-1]
    assert plan.uses_acc == (merged is None)


def test_a_reduction_repeated_over_a_fresh_axis_reuses_the_merged_result(tmp_path):
    # the per-thread online softmax lifts to max(ks1) for the outputs and sum(exp(x - max(ks1m))): equal maxima
    corpus = Path(__file__).resolve().parents[2] / "op_corpus" / "reductions"
    plan = plan_of(tmp_path, (corpus / "softmax_online_thread_per_row.cu").read_text())
    assert plan.reductions == 3 and pass_kinds(plan) == ["online"]
    (p,) = plan.reduction_passes
    assert len(p.aliases) == 1 and p.aliases[0][1] in p.results


@pytest.mark.parametrize("name", ["softmax", "layernorm"])
def test_merging_leaves_the_one_pass_path_alone(tmp_path, monkeypatch, name):
    merged = plan_of(tmp_path, kernel_text(name))
    monkeypatch.setattr("cuda2cann.backends.ascendc.row_program.merge", lambda *args: None)
    unmerged = plan_of(tmp_path, kernel_text(name))
    assert pass_kinds(unmerged) == ["reduce", "reduce"]
    assert (merged.instrs, merged.max_cols, merged.temps) == (unmerged.instrs, unmerged.max_cols, unmerged.temps)


@pytest.mark.parametrize("name", ["deviation_from_shifted_mean", "logsumexp_shifted", "exp_minus_row_min"])
def test_long_rows_are_equivalent(tmp_path, monkeypatch, name):
    # a 256-element tile makes every random row of the spec (up to ~1000 columns) take the chunked path
    monkeypatch.setattr("cuda2cann.backends.ascendc.row_program.MAX_COLS", 256)
    record = translate_text(tmp_path, "k", kernel_text(name), validate=True,
                            options=ValidateOptions(cases=3, seed=5, devices=False))
    assert record.status == "translated", record.findings
    assert record.validation == "equivalent", record.validation_message


def test_the_per_thread_online_softmax_is_equivalent_on_long_rows(tmp_path, monkeypatch):
    monkeypatch.setattr("cuda2cann.backends.ascendc.row_program.MAX_COLS", 256)
    corpus = Path(__file__).resolve().parents[2] / "op_corpus" / "reductions"
    record = translate_text(tmp_path, "softmax_online_thread_per_row",
                            (corpus / "softmax_online_thread_per_row.cu").read_text(), validate=True,
                            options=ValidateOptions(cases=3, seed=8, devices=False))
    assert record.validation == "equivalent", record.validation_message
    assert "float reduced2 = reduced0;" in (Path(record.output) / "softmax_online_thread_per_row.cpp").read_text()


MASKED = """
__global__ void masked_softmax(const float* x, const unsigned char* mask, float* y, int rows, int cols) {
  int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  float m = -INFINITY;
  for (int c = 0; c < cols; ++c) m = fmaxf(m, mask[r * cols + c] ? -INFINITY : x[r * cols + c]);
  float s = 0.0f;
  for (int c = 0; c < cols; ++c) s += expf((mask[r * cols + c] ? -INFINITY : x[r * cols + c]) - m);
  for (int c = 0; c < cols; ++c) y[r * cols + c] = expf((mask[r * cols + c] ? -INFINITY : x[r * cols + c]) - m) / s;
}
"""


def test_masked_rows_of_minus_infinity_match_the_cuda_original(tmp_path, monkeypatch):
    # row 0 fully masked: CUDA gives NaN (exp(-inf - -inf)); row 1 masked over its first chunks only: the running
    # sum taken against a -inf max must restart at 0, not stay NaN; row 2 a random mask
    monkeypatch.setattr("cuda2cann.backends.ascendc.row_program.MAX_COLS", 256)
    record = translate_text(tmp_path, "masked_softmax", MASKED)
    assert "OnlinePass0(" in (Path(record.output) / "masked_softmax.cpp").read_text()
    spec = load_spec(next(Path(record.output).glob("*.c2c.toml")))
    rows, cols = 3, 1000
    rng = np.random.default_rng(0)
    mask = (rng.random((rows, cols)) < 0.3).astype(np.uint8)
    mask[0], mask[1, :600] = 1, 1
    case = Case({"rows": rows, "cols": cols}, {}, "normal", 0, "masked rows")
    data = Materialized(case, {"rows": rows, "cols": cols}, tensor_shapes(spec, {"rows": rows, "cols": cols}))
    data.arrays = {"x": rng.standard_normal(rows * cols).astype(np.float32), "mask": mask.ravel()}
    limits = Limits(timeout_s=120, memory_bytes=2 << 30)
    outcomes = []
    for executor in (CudaCpuExecutor, CannCpuExecutor):
        ex = executor(spec, soc_profile("Ascend910B2"), limits)
        ex.build()
        outcomes.append(ex.run(data))
    (expected, got) = (o.outputs["y"].reshape(rows, cols) for o in outcomes)
    assert np.isnan(expected[0]).all() and np.isfinite(expected[1:]).all()
    assert compare_arrays(expected, got, spec.tensor("y").dtype, policy_for(spec.tensor("y").dtype)).ok


@pytest.mark.skipif(cann_root() is None, reason="set CUDA2CANN_CANN_ROOT to a CANN toolkit to check against the real headers")
@pytest.mark.parametrize("name", ["softmax_floor_shift", "deviation_from_shifted_mean"])
def test_merged_passes_compile_with_the_real_headers(tmp_path, name):
    record = translate_text(tmp_path, "k", kernel_text(name))
    assert syntax_check(Path(record.output) / "k.cpp", cann_root()) == []
