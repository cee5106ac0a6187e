"""Argmax / argmin rows (issue #4): ReduceMax with its index per chunk, chunks compared in order on the scalar unit."""
from __future__ import annotations

from pathlib import Path

import pytest

from cuda2cann.backends.ascendc.syntax_check import cann_root, syntax_check
from cuda2cann.validate.harness import ValidateOptions
from tests.backends.helpers import translate_text, validate_mutant

CORPUS = Path(__file__).resolve().parents[2] / "op_corpus" / "reductions"


def translate(tmp_path: Path, name: str, **kw):
    return translate_text(tmp_path, name, (CORPUS / f"{name}.cu").read_text(), **kw)


@pytest.mark.parametrize("name", ["moe_top1_route", "nearest_centroid_argmin", "row_argmax_block_pairs", "row_argmin_warp_pairs",
                                  "row_argmax_two_level"])
def test_argmax_and_argmin_rows_are_equivalent(tmp_path, name):
    record = translate(tmp_path, name, validate=True, options=ValidateOptions(cases=3, seed=21, devices=False))
    assert record.status == "translated", record.findings
    assert record.validation == "equivalent", record.validation_message


def test_positions_in_later_chunks_need_their_chunk_offset(tmp_path):
    # the generated spec always runs rows longer than the UB, so a position measured from the chunk start is caught
    record = translate(tmp_path, "moe_top1_route")
    assert validate_mutant(record, "moe_top1_route", "static_cast<int32_t>(c + position.index)",
                           "static_cast<int32_t>(position.index)", seed=21) == "mismatch"


@pytest.mark.skipif(cann_root() is None, reason="set CUDA2CANN_CANN_ROOT to a CANN toolkit to check against the real headers")
def test_argmax_kernel_compiles_with_the_real_headers(tmp_path):
    record = translate(tmp_path, "moe_top1_route")
    assert syntax_check(Path(record.output) / "moe_top1_route.cpp", cann_root()) == []
