"""Tuples merged by a shared-memory tree (issue #4): Welford (count, mean, m2) triples and online-softmax (max, sum)
pairs, one array per component, merged by a step that is checked on a table of tuples, lanes without elements included."""
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
