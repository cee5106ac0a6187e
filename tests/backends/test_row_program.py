"""Row programs (softmax, log-softmax, layernorm) lifted from CUDA block reductions and lowered to one-pass AscendC."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cuda2cann.backends.ascendc.syntax_check import cann_root, syntax_check
from cuda2cann.translate import translate_tree
from cuda2cann.validate.harness import ValidateOptions
from cuda2cann.validate.soc import soc_profile
from cuda2cann.validate.spec import load_spec

KERNELS = {
    "logsoftmax": """
        __global__ void logsoftmax(const float* x, float* y, int rows, int cols) {
          __shared__ float sh[256];
          int row = blockIdx.x, tid = threadIdx.x;
          if (row >= rows) return;
          float m = -INFINITY;
          for (int c = tid; c < cols; c += blockDim.x) m = fmaxf(m, x[row * cols + c]);
          sh[tid] = m; __syncthreads();
          for (int s = blockDim.x / 2; s > 0; s >>= 1) { if (tid < s) sh[tid] = fmaxf(sh[tid], sh[tid + s]); __syncthreads(); }
          float mx = sh[0]; __syncthreads();
          float acc = 0.0f;
          for (int c = tid; c < cols; c += blockDim.x) acc += expf(x[row * cols + c] - mx);
          sh[tid] = acc; __syncthreads();
          for (int s = blockDim.x / 2; s > 0; s >>= 1) { if (tid < s) sh[tid] += sh[tid + s]; __syncthreads(); }
          float lse = logf(sh[0]) + mx;
          for (int c = tid; c < cols; c += blockDim.x) y[row * cols + c] = x[row * cols + c] - lse;
        }""",
    "layernorm": """
        __global__ void layernorm(const float* x, const float* gamma, const float* beta, float* y, float eps, int rows, int cols) {
          __shared__ float sh[256];
          int row = blockIdx.x, tid = threadIdx.x;
          if (row >= rows) return;
          float s1 = 0.0f;
          for (int c = tid; c < cols; c += blockDim.x) s1 += x[row * cols + c];
          sh[tid] = s1; __syncthreads();
          for (int s = blockDim.x / 2; s > 0; s >>= 1) { if (tid < s) sh[tid] += sh[tid + s]; __syncthreads(); }
          float mean = sh[0] / cols; __syncthreads();
          float s2 = 0.0f;
          for (int c = tid; c < cols; c += blockDim.x) { float d = x[row * cols + c] - mean; s2 += d * d; }
          sh[tid] = s2; __syncthreads();
          for (int s = blockDim.x / 2; s > 0; s >>= 1) { if (tid < s) sh[tid] += sh[tid + s]; __syncthreads(); }
          float inv = rsqrtf(sh[0] / cols + eps);
          for (int c = tid; c < cols; c += blockDim.x)
            y[row * cols + c] = (x[row * cols + c] - mean) * inv * gamma[c] + beta[c];
        }""",
}


def translate(tmp_path: Path, name: str, **kw):
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / f"{name}.cu").write_text(textwrap.dedent(KERNELS[name]))
    (record,) = translate_tree(src, tmp_path / "out", **kw)
    return record


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_row_programs_are_equivalent(tmp_path, name):
    record = translate(tmp_path, name, validate=True, options=ValidateOptions(cases=3, seed=4, devices=False))
    assert record.status == "translated" and record.op_class == "row", record.findings
    assert record.validation == "equivalent", record.validation_message
    # the generated spec always runs two rows longer than the whole UB (the chunked path)
    spec = load_spec(next(Path(record.output).glob("*.c2c.toml")))
    (edge,) = spec.edges
    assert edge.symbols["cols"] * 4 > soc_profile("Ascend910B2").ub_usable and edge.symbols["cols"] % 8


@pytest.mark.skipif(cann_root() is None, reason="set CUDA2CANN_CANN_ROOT to a CANN toolkit to check against the real headers")
@pytest.mark.parametrize("name", sorted(KERNELS))
def test_row_program_kernels_compile_with_the_real_headers(tmp_path, name):
    record = translate(tmp_path, name)
    assert syntax_check(Path(record.output) / f"{name}.cpp", cann_root()) == []


@pytest.mark.parametrize(("name", "merged"), [("logsoftmax", "OnlinePass0("), ("layernorm", "WelfordPass0(")])
def test_rows_longer_than_a_tile_take_chunked_passes(tmp_path, monkeypatch, name, merged):
    # a 256-element tile makes every random row of the spec (up to ~1000 columns) take the chunked path: one pass for
    # both statistics (online max and sum; sum and squared deviations by Chan's combine), one for the outputs
    monkeypatch.setattr("cuda2cann.backends.ascendc.row_program.MAX_COLS", 256)
    record = translate(tmp_path, name, validate=True, options=ValidateOptions(cases=4, seed=11, devices=False))
    assert record.status == "translated", record.findings
    kernel = (Path(record.output) / f"{name}.cpp").read_text()
    assert "constexpr uint32_t MAX_COLS = 256;" in kernel and merged in kernel and "ReducePass" not in kernel
    assert "longer rows take 2 chunked passes over GM" in kernel
    assert record.validation == "equivalent", record.validation_message


@pytest.mark.parametrize("name", ["row_logsumexp", "row_variance_serial", "cross_entropy_fwd"])
def test_per_row_values_of_dependent_reductions(tmp_path, name):
    # one value per row from two reductions (the second uses the first): a row program without element outputs
    corpus = Path(__file__).resolve().parents[2] / "op_corpus" / "reductions"
    src = tmp_path / "src"
    src.mkdir()
    (src / f"{name}.cu").write_text((corpus / f"{name}.cu").read_text())
    (record,) = translate_tree(src, tmp_path / "out", validate=True, options=ValidateOptions(cases=3, seed=6, devices=False))
    assert record.status == "translated" and record.op_class == "reduction", record.findings
    assert record.validation == "equivalent", record.validation_message
    kernel = (Path(record.output) / f"{name}.cpp").read_text()
    assert "StoreRowValues(r);" in kernel and "Class: row program" in kernel


def test_cross_entropy_labels_are_drawn_as_valid_positions(tmp_path):
    corpus = Path(__file__).resolve().parents[2] / "op_corpus" / "reductions"
    src = tmp_path / "src"
    src.mkdir()
    (src / "ce.cu").write_text((corpus / "cross_entropy_fwd.cu").read_text())
    (record,) = translate_tree(src, tmp_path / "out")
    spec = load_spec(next(Path(record.output).glob("*.c2c.toml")))
    labels = spec.tensor("labels")
    assert labels.bounds({"rows": 3, "classes": 10}) == (0.0, 9.0)
