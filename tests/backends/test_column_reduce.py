"""Column reductions (issue #4): thread-per-column serial loops and atomicAdd into columns, lowered to column chunks
whose rows are combined element-wise on the vector unit."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cuda2cann.backends.ascendc.syntax_check import cann_root, syntax_check
from cuda2cann.translate import translate_tree
from cuda2cann.validate.harness import ValidateOptions
from tests.backends.helpers import translate_text, validate_mutant

KERNELS = {
    "col_mean": """
        __global__ void col_mean(const float* x, float* out, int rows, int cols) {
          int c = blockIdx.x * blockDim.x + threadIdx.x;
          if (c < cols) {
            float s = 0.0f;
            for (int r = 0; r < rows; ++r) s += x[r * cols + c];
            out[c] = s / rows;
          }
        }""",
    "col_max_from_first_row": """
        __global__ void col_max_from_first_row(const float* x, float* out, int rows, int cols) {
          int c = blockIdx.x * blockDim.x + threadIdx.x;
          if (c >= cols) return;
          float m = x[c];
          for (int r = 1; r < rows; r++) m = fmaxf(m, x[r * cols + c]);
          out[c] = m;
        }""",
    "col_sum_atomic": """
        __global__ void col_sum_atomic(const float* x, float* out, int rows, int cols) {
          int c = blockIdx.x * blockDim.x + threadIdx.x;
          int r = blockIdx.y * blockDim.y + threadIdx.y;
          if (c < cols && r < rows) atomicAdd(&out[c], x[r * cols + c]);
        }""",
}


def translate(tmp_path: Path, name: str, **kw):
    return translate_text(tmp_path, name, KERNELS[name], **kw)


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_column_reductions_are_equivalent(tmp_path, name):
    record = translate(tmp_path, name, validate=True, options=ValidateOptions(cases=3, seed=8, devices=False))
    assert record.status == "translated" and record.op_class == "reduction", record.findings
    assert record.validation == "equivalent", record.validation_message
    assert "Class: column reduction" in (Path(record.output) / f"{name}.cpp").read_text()


def test_a_column_reduction_that_skips_the_last_row_is_a_mismatch(tmp_path):
    record = translate(tmp_path, "col_mean")
    assert validate_mutant(record, "col_mean", "for (uint32_t r = 0; r < tiling_.c2cRows; ++r)",
                           "for (uint32_t r = 0; r + 1 < tiling_.c2cRows; ++r)", seed=8) == "mismatch"


@pytest.mark.skipif(cann_root() is None, reason="set CUDA2CANN_CANN_ROOT to a CANN toolkit to check against the real headers")
@pytest.mark.parametrize("name", sorted(KERNELS))
def test_column_reduce_kernels_compile_with_the_real_headers(tmp_path, name):
    record = translate(tmp_path, name)
    assert syntax_check(Path(record.output) / f"{name}.cpp", cann_root()) == []


def test_products_over_rows_and_columns_are_equivalent(tmp_path):
    corpus = Path(__file__).resolve().parents[2] / "op_corpus" / "reductions"
    for name in ("row_prod_block", "col_prod_serial"):
        record = translate_text(tmp_path / name, name, (corpus / f"{name}.cu").read_text(), validate=True,
                                options=ValidateOptions(cases=2, seed=9, devices=False))
        assert record.validation == "equivalent", (name, record.findings, record.validation_message)


def test_int32_column_reductions_are_exact(tmp_path):
    source = """
        __global__ void col_count(const float* x, int* out, int rows, int cols) {
          int c = blockIdx.x * blockDim.x + threadIdx.x;
          if (c >= cols) return;
          int n = 0;
          for (int r = 0; r < rows; ++r) n += x[r * cols + c] > 0.0f ? 1 : 0;
          out[c] = n;
        }
        __global__ void col_max_int(const int* x, int* out, int rows, int cols) {
          int c = blockIdx.x * blockDim.x + threadIdx.x;
          if (c >= cols) return;
          int m = -2147483647 - 1;
          for (int r = 0; r < rows; ++r) m = max(m, x[r * cols + c]);
          out[c] = m;
        }"""
    src = tmp_path / "src"
    src.mkdir()
    (src / "k.cu").write_text(textwrap.dedent(source))
    records = translate_tree(src, tmp_path / "out", validate=True, options=ValidateOptions(cases=2, seed=4, devices=False))
    assert [(r.kernel, r.validation) for r in records] == [("col_count", "equivalent"), ("col_max_int", "equivalent")]
    assert "AscendC::LocalTensor<int32_t> acc" in (Path(records[0].output) / "col_count.cpp").read_text()


def test_int32_row_reductions_are_exact(tmp_path):
    corpus = Path(__file__).resolve().parents[2] / "op_corpus" / "reductions"
    record = translate_text(tmp_path, "row_sum_int_block", (corpus / "row_sum_int_block.cu").read_text(), validate=True,
                            options=ValidateOptions(cases=2, seed=4, devices=False))
    assert record.validation == "equivalent", (record.findings, record.validation_message)
    assert "AscendC::LocalTensor<int32_t> acc" in (Path(record.output) / "row_sum_int_block.cpp").read_text()
