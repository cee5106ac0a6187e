"""Differential fuzz (slow suite): mutants of the corpus reductions that translate must validate `equivalent`.

Each mutant changes one or two tokens of a corpus kernel (an operator, a constant, a barrier removed, ...). Most are
refused or are not valid CUDA; the ones that translate are run on cuda-cpu and cann-cpu. A mismatch means a kernel
was translated although its meaning differs from what the lifter assumed (this found missing-barrier races and an
early-stopping tuple tree taken as complete). Run with `pytest -m slow tests/backends/test_differential_fuzz.py`.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from cuda2cann.frontend.cuda.preprocess import PreprocessError
from cuda2cann.frontend.cuda.translation_unit import analyse_file
from cuda2cann.translate import translate_tree
from cuda2cann.validate.harness import ValidateOptions

CORPUS = Path(__file__).resolve().parents[2] / "op_corpus" / "reductions"
#: token edits: comparisons, combining ops, warp offsets, identities, barriers, indices
EDITS = (("<", "<="), ("<=", "<"), (">", ">="), ("+=", "*="), ("+", "-"), ("fmaxf", "fminf"), ("32", "16"), ("16", "8"),
         ("0.0f", "1.0f"), ("==", "!="), ("&&", "||"), ("threadIdx.x", "blockIdx.x"), ("lane", "warp"),
         ("s >>= 1", "s >>= 2"), ("__syncwarp();", ""), ("__syncthreads();", ""), ("-INFINITY", "INFINITY"),
         ("0", "1"), ("1", "2"), ("< ", "> "))
MUTANTS = 40


def _mutant(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 2)):
        old, new = rng.choice(EDITS)
        places = [m.start() for m in re.finditer(re.escape(old), text)]
        if places:
            at = rng.choice(places)
            text = text[:at] + new + text[at + len(old):]
    return text


@pytest.mark.slow
def test_translated_mutants_are_equivalent(tmp_path):
    rng = random.Random(2026)
    sources = sorted(p for p in CORPUS.glob("*.cu") if not p.stem.startswith("nearmiss"))
    seen: set[str] = set()
    translated, bad = 0, []
    while translated < MUTANTS and len(seen) < 40 * MUTANTS:
        source = rng.choice(sources)
        text = _mutant(rng, source.read_text())
        if text in seen:
            continue
        seen.add(text)
        src = tmp_path / f"m{len(seen)}"
        src.mkdir()
        (src / source.name).write_text(text)
        try:
            if not any(k.lifted is not None for k in analyse_file(src / source.name).kernels):
                continue
        except PreprocessError:
            continue
        for record in translate_tree(src, tmp_path / f"o{len(seen)}", validate=True,
                                     options=ValidateOptions(cases=3, seed=4, devices=False)):
            if record.status != "translated":
                continue
            if record.validation == "error" and "build of cuda-cpu failed" in (record.validation_message or ""):
                continue  # the mutant is not valid CUDA
            translated += 1
            if record.validation != "equivalent":
                bad.append((str(src / source.name), record.kernel, record.validation, record.validation_message[:300]))
    assert translated >= MUTANTS // 2
    assert not bad, bad
