"""Tuples merged across a block (issue #4): Welford (count, mean, m2) triples and online-softmax (max, sum) pairs by a
shared-memory tree (one array per component), and argmax / Welford / online-softmax tuples in two levels (warp
shuffles, per-warp tuples through shared memory, a second warp merge). Merge steps are checked on a table of tuples,
lanes without elements included."""
from __future__ import annotations

from pathlib import Path

import pytest

from cuda2cann.ir.printer import format_node
from tests.frontend.helpers import lift_text

CORPUS = Path(__file__).resolve().parents[2] / "op_corpus" / "reductions"


def lift_corpus(tmp_path: Path, name: str, edit: tuple[str, str] | None = None):
    text = (CORPUS / f"{name}.cu").read_text()
    if edit:
        assert edit[0] in text
        text = text.replace(*edit)
    return lift_text(tmp_path, text)


def test_a_welford_tree_is_the_rows_mean_and_deviations(tmp_path):
    k = lift_corpus(tmp_path, "layernorm_welford_block")
    (store,) = k.lifted.operator.stores
    text = format_node(store.value)
    assert "div(reduce_add(k2 < hidden: x[hidden*i0 + k2]), index(max(hidden, 1)):float32)" in text
    assert "reduce_add(k3 < hidden: mul(sub(x[hidden*i0 + k3]" in text and "welford" in k.lifted.reformulated


def test_an_online_softmax_tree_is_max_and_rescaled_sum(tmp_path):
    k = lift_corpus(tmp_path, "softmax_online_block")
    text = format_node(k.lifted.operator.stores[0].value)
    assert "reduce_max(k1 < cols: x[cols*i0 + k1])" in text and "reduce_add(k2 < cols: exp(sub(x[cols*i0 + k2]" in text


@pytest.mark.parametrize(("name", "edit", "fragment"), [
    # m starting at -INFINITY: two empty lanes merge to exp(-inf - -inf) = NaN
    ("softmax_online_block", ("float m = -FLT_MAX", "float m = -INFINITY"), "merging lanes that saw no element"),
    # the partner's sum added without rescaling
    ("softmax_online_block", ("s_sum[threadIdx.x + stride] * __expf(m_b - m_ab)", "s_sum[threadIdx.x + stride]"),
     "the sum is not merged"),
    # the merge of two empty triples divides 0 by 0
    ("layernorm_welford_block", ("if (n_ab > 0) {", "{"), "merging two empty lanes does not leave an empty triple"),
    # the cross term of Chan's formula left out
    ("layernorm_welford_block", (" + delta * delta * n_a * w_b;", ";"), "the m2 is not Chan's merge"),
    # the counts not merged: the tree step leaves count out
    ("layernorm_welford_block", ("      s_count[threadIdx.x] = n_ab;\n", ""), "the count is not Chan's merge"),
])
def test_tuple_tree_near_misses_stay_unported(tmp_path, name, edit, fragment):
    k = lift_corpus(tmp_path, name, edit)
    assert k.lifted is None and k.code == "C2C101", k
    assert fragment in k.message, k.message


def test_a_warp_online_softmax_starting_at_minus_infinity_is_refused(tmp_path):
    k = lift_corpus(tmp_path, "softmax_online_warp", ("float m = -FLT_MAX", "float m = -INFINITY"))
    assert k.lifted is None and "merging lanes that saw no element" in k.message, k.message


# two levels: a warp merge of per-lane tuples, per-warp tuples through shared memory, a second warp merge
@pytest.mark.parametrize(("name", "fragment"), [
    ("row_argmax_two_level", "reduce_argmax(k2 < experts: x"),
    ("softmax_online_two_level", "reduce_max(k1 < cols: x[cols*i0 + k1])"),
])
def test_tuples_merged_in_two_levels(tmp_path, name, fragment):
    k = lift_corpus(tmp_path, name)
    text = format_node(k.lifted.operator.stores[0].value).replace("logits", "x")
    assert fragment in text, text
    assert "x" not in k.lifted.block_requirements or k.lifted.block_requirements["x"] > 32


@pytest.mark.parametrize(("name", "edit", "fragment"), [
    # lanes without a warp's pair take position -1: it would win the tie rule against a real -INFINITY
    ("row_argmax_two_level", ("warp_expert[lane] : 0;", "warp_expert[lane] : -1;"), "must take the reduction's identity"),
    # lanes without a warp's pair take an m that is not the start value: the row's max could come from nowhere
    ("softmax_online_two_level", ("warp_m[lane] : -FLT_MAX;", "warp_m[lane] : 0.0f;"), "must take the reduction's identity"),
    # every lane publishes its warp's pair after a shift-down: only lane 0 holds it
    ("row_argmax_two_level", ("  if (lane == 0) {\n    warp_score[warp]", "  {\n    warp_score[warp]"), "lane 0 of each warp"),
    # the second level's result stored by every lane of warp 0 after a shift-down
    ("row_argmax_two_level", ("if (lane == 0) expert_of[blockIdx.x] = expert;", "expert_of[blockIdx.x] = expert;"),
     "complete in thread 0 only"),
])
def test_two_level_tuple_near_misses(tmp_path, name, edit, fragment):
    k = lift_corpus(tmp_path, name, edit)
    assert k.lifted is None and k.code == "C2C101", k
    assert fragment in k.message, k.message
