"""Every op_corpus/reductions kernel of ours translates, and every NEAR-MISS file stays unported with a C2C1xx reason
(fast: lift and plan only). The full validation of the corpus is the README's main job and the slow suite below."""
from __future__ import annotations

from pathlib import Path

import pytest

from cuda2cann.translate import translate_tree
from cuda2cann.validate.harness import ValidateOptions

CORPUS = Path(__file__).resolve().parents[2] / "op_corpus" / "reductions"


def test_corpus_reductions_translate_and_near_misses_do_not(tmp_path):
    records = translate_tree(CORPUS, tmp_path / "out")
    near_miss = {r.kernel for r in records if Path(r.file).name.startswith("nearmiss_")}
    assert len(records) >= 40 and len(near_miss) >= 3
    for r in records:
        if r.kernel in near_miss:
            assert r.status == "unported" and r.findings[0]["code"].startswith("C2C1"), r
        else:
            assert r.status == "translated", (r.file, r.findings)
    classes = {r.op_class for r in records if r.status == "translated"}
    assert classes == {"reduction", "row"}


@pytest.mark.slow
def test_corpus_reductions_are_equivalent(tmp_path):
    records = translate_tree(CORPUS, tmp_path / "out", validate=True, options=ValidateOptions(cases=4, seed=17, devices=False))
    bad = [(r.kernel, r.validation, r.validation_message) for r in records if r.status == "translated" and r.validation != "equivalent"]
    assert not bad
