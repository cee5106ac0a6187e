"""The frontend never raises on bad kernels: every kernel ends lifted or with a finding."""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cuda2cann.frontend.cuda.translation_unit import analyse_file

CORPUS = Path(__file__).resolve().parents[2] / "op_corpus"
SOURCES = sorted(CORPUS.rglob("*.cu"))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(SOURCES), st.data())
def test_mutilated_corpus_files_yield_findings_not_exceptions(tmp_path_factory, source, data):
    text = source.read_text()
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 40)))
    junk = data.draw(st.sampled_from(["", "(", "}", "x[", "__syncthreads();", "int", "#define Q(", ";;", "1/0", "*p++ = 3;"]))
    path = tmp_path_factory.mktemp("fuzz") / "k.cu"
    path.write_text(text[:start] + junk + text[end:])
    try:
        tu = analyse_file(path)
    except Exception as exc:  # only preprocessing errors may escape, as PreprocessError
        assert type(exc).__name__ == "PreprocessError", repr(exc)
        return
    for k in tu.kernels:
        assert (k.lifted is None) == (k.code is not None)
        assert k.code is None or (k.code.startswith("C2C") and k.message)


def test_unparsable_kernel_is_a_finding(tmp_path):
    path = tmp_path / "k.cu"
    path.write_text("__global__ void k(float* y, int n) {\n  int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
                    "  if (i < n) y[i] = UNKNOWN_MACRO(i) @ 2;\n}\n")
    (k,) = analyse_file(path).kernels
    assert k.code == "C2C002" and k.line == 3
