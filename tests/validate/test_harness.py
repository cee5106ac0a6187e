"""End-to-end harness tests on corpus pairs: equivalence, mutations caught, failures reported."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cuda2cann.validate.harness import ValidateOptions, validate_spec
from cuda2cann.validate.spec import load_spec

CORPUS = Path(__file__).resolve().parents[2] / "op_corpus"
QUICK = ValidateOptions(cases=3, seed=7, devices=False)


def copy_pair(tmp_path: Path, name: str) -> Path:
    """A private copy of a corpus pair, so a test can plant bugs in it."""
    target = tmp_path / name
    shutil.copytree(CORPUS / name, target)
    return target / f"{name}.c2c.toml"


def mutate(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"mutation anchor {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, 1))


def test_vector_add_pair_is_equivalent():
    result = validate_spec(load_spec(CORPUS / "vector_add" / "vector_add.c2c.toml"), QUICK)
    assert result.status == "equivalent", result.message
    assert result.cases >= 5  # 3 edge cases + 3 random (some may be filtered)
    assert result.max_abs_err == 0.0  # one fp32 add: bit-exact on both sides
    assert result.executors == {"cuda-cpu": "ran", "cann-cpu": "ran"}
    assert result.counters["gm_to_ub_bytes"] > 0


def test_wrong_instruction_is_a_mismatch_with_a_reproducer(tmp_path):
    spec_path = copy_pair(tmp_path, "vector_add")
    mutate(spec_path.parent / "vector_add_ascendc.cpp", "AscendC::Add(zLocal", "AscendC::Sub(zLocal")
    result = validate_spec(load_spec(spec_path), QUICK)
    assert result.status == "mismatch"
    assert "output 'z'" in result.message and "expected" in result.message
    assert result.reproduce == f"cuda2cann validate {spec_path} --seed 7 --cases 3"


def test_unsynchronised_copy_out_is_caught_by_cann_cpu(tmp_path):
    spec_path = copy_pair(tmp_path, "vector_add")
    src = spec_path.parent / "vector_add_ascendc.cpp"
    # drop the EnQue/DeQue between Compute and CopyOut: the V -> MTE3 dependency is lost
    mutate(src, "outZ_.EnQue(zLocal);", "outZ_.FreeTensor(zLocal);")
    mutate(src, "AscendC::LocalTensor<float> zLocal = outZ_.DeQue<float>();",
           "AscendC::LocalTensor<float> zLocal = outZ_.AllocTensor<float>();")
    result = validate_spec(load_spec(spec_path), QUICK)
    assert result.status == "mismatch"
    assert "vector_add" in result.message and "block" in result.message


def test_ragged_tail_lost_by_datacopy_is_a_mismatch(tmp_path):
    spec_path = copy_pair(tmp_path, "vector_add")
    src = spec_path.parent / "vector_add_ascendc.cpp"
    mutate(src, "AscendC::DataCopyPad(zGm_[offset], zLocal, params);", "AscendC::DataCopy(zGm_[offset], zLocal, count);")
    result = validate_spec(load_spec(spec_path), ValidateOptions(cases=0, seed=1, devices=False))
    assert result.status == "mismatch"
    assert "smallest" in result.message or "ragged" in result.message  # caught by a fixed edge case


def test_build_failure_is_an_error_naming_the_file(tmp_path):
    spec_path = copy_pair(tmp_path, "vector_add")
    mutate(spec_path.parent / "vector_add_ascendc.cpp", "AscendC::Add(zLocal, xLocal, yLocal,",
           "AscendC::Add(zLocal, xLocal,")
    result = validate_spec(load_spec(spec_path), QUICK)
    assert result.status == "error" and "build of cann-cpu failed" in result.message
    assert "vector_add_ascendc.cpp:" in result.message


def test_crashing_reference_is_an_error(tmp_path):
    spec_path = copy_pair(tmp_path, "vector_add")
    mutate(spec_path.parent / "vector_add.cu", "z[i] = x[i] + y[i];", "if (i == 0) __builtin_trap(); z[i] = x[i] + y[i];")
    result = validate_spec(load_spec(spec_path), QUICK)
    assert result.status == "error" and "CUDA reference failed" in result.message


def test_missing_ascendc_section_is_unported(tmp_path):
    spec_path = copy_pair(tmp_path, "vector_add")
    text = spec_path.read_text()
    spec_path.write_text(text[:text.index("[ascendc]")])
    assert validate_spec(load_spec(spec_path), QUICK).status == "unported"


@pytest.mark.parametrize(("pair", "old", "new"), [
    ("saxpy", "AscendC::Muls(", "AscendC::Adds("),
    ("softmax_rows", "AscendC::Exp(", "AscendC::Abs("),
    ("row_sum", "AscendC::ReduceSum(", "AscendC::ReduceMax("),
])
def test_mutated_corpus_pairs_are_mismatches(tmp_path, pair, old, new):
    if not (CORPUS / pair).is_dir():
        pytest.fail(f"corpus pair {pair} is missing")
    spec_path = copy_pair(tmp_path, pair)
    mutate(spec_path.parent / f"{pair}_ascendc.cpp", old, new)
    result = validate_spec(load_spec(spec_path), ValidateOptions(cases=2, seed=3, devices=False, shrink=False))
    assert result.status == "mismatch", result.message
