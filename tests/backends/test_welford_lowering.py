"""Welford triples merged across a warp (issue #4) lower as the row program of their reformulation (sum / n and the
sum of squared deviations), stated as an approximation in the plan."""
from __future__ import annotations

from pathlib import Path

import pytest

from cuda2cann.backends.ascendc.syntax_check import cann_root, syntax_check
from cuda2cann.validate.harness import ValidateOptions
from tests.backends.helpers import translate_text

CORPUS = Path(__file__).resolve().parents[2] / "op_corpus" / "reductions"
NAME = "layernorm_welford_warp"


def translate(tmp_path: Path, **kw):
    return translate_text(tmp_path, NAME, (CORPUS / f"{NAME}.cu").read_text(), **kw)


def test_a_warp_welford_layernorm_is_equivalent(tmp_path):
    record = translate(tmp_path, validate=True, options=ValidateOptions(cases=3, seed=8, devices=False))
    assert record.status == "translated" and record.op_class == "row", record.findings
    assert record.validation == "equivalent", record.validation_message
    kernel = (Path(record.output) / f"{NAME}.cpp").read_text()
    assert "Welford's running mean and m2 are computed as sum / n" in kernel


@pytest.mark.skipif(cann_root() is None, reason="set CUDA2CANN_CANN_ROOT to a CANN toolkit to check against the real headers")
def test_a_warp_welford_layernorm_compiles_with_the_real_headers(tmp_path):
    record = translate(tmp_path)
    assert syntax_check(Path(record.output) / f"{NAME}.cpp", cann_root()) == []
