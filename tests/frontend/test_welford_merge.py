"""Welford across a warp (issue #4): per-lane (count, mean, m2) triples over strided elements, merged by shuffles with
Chan's formula, are the row's count, mean and sum of squared deviations; merges that are wrong or that divide 0 by 0
for empty lanes stay unported with the reason."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cuda2cann.ir.printer import format_node
from tests.frontend.helpers import lift_text

KERNEL = """
__global__ void k(const float* x, float* mean_out, float* var_out, int rows, int cols) {{
  const int row = blockIdx.x * blockDim.y + threadIdx.y;
  if (row >= rows) return;
  int count = 0;
  float mean = 0.0f, m2 = 0.0f;
  for (int c = threadIdx.x; c < cols; c += 32) {{
    float v = x[row * cols + c];
    {update}
  }}
  for (int o = 16; o > 0; o >>= 1) {{
    int n_b = {shfl}(0xffffffffu, count, o);
    float mean_b = {shfl}(0xffffffffu, mean, o);
    float m2_b = {shfl}(0xffffffffu, m2, o);
    {merge}
  }}
  {store}
}}
"""
DEFAULTS = dict(
    update="count++; float d = v - mean; mean += d / count; m2 += d * (v - mean);",
    shfl="__shfl_xor_sync",
    merge="""int n_ab = count + n_b;
    float delta = mean_b - mean;
    float w = n_ab == 0 ? 0.0f : (float)n_b / n_ab;
    mean += delta * w;
    m2 += m2_b + delta * delta * count * w;
    count = n_ab;""",
    store="mean_out[row] = mean; var_out[row] = m2 / count;",
)
MEAN = "div(reduce_add(k2 < cols: x[cols*i0 + k2]), index(max(cols, 1)):float32)"


def lift(tmp_path: Path, **fields):
    k = lift_text(tmp_path, textwrap.dedent(KERNEL.format(**{**DEFAULTS, **fields})))
    return k


def test_a_welford_merge_across_a_warp_is_the_rows_mean_and_m2(tmp_path):
    k = lift(tmp_path)
    mean_store, var_store = (format_node(st.value) for st in k.lifted.operator.stores)
    assert mean_store == MEAN
    deviation = f"sub(x[cols*i0 + k3], {MEAN.replace('k2', 'k3w')})"  # the count (k1) is n itself, m2 is over k3
    assert var_store == f"div(reduce_add(k3 < cols: mul({deviation}, {deviation})), float32(index(max(cols, 0)):int32))"
    assert k.lifted.block_requirements["x"] == 32 and "welford" in k.lifted.reformulated


@pytest.mark.parametrize("merge", [
    # the same merge written with the counts as floats and the weights the other way round
    """float na = count, nb = n_b, n = na + nb;
    float delta = mean_b - mean;
    if (n > 0.0f) { mean = (na * mean + nb * mean_b) / n; m2 = m2 + m2_b + delta * delta * na * nb / n; }
    count = count + n_b;""",
])
def test_other_spellings_of_chans_merge(tmp_path, merge):
    k = lift(tmp_path, merge=merge)
    assert k.lifted is not None, k.message
    assert format_node(k.lifted.operator.stores[0].value) == MEAN


@pytest.mark.parametrize(("fields", "fragment"), [
    # no guard: two empty lanes give 0 / 0
    (dict(merge="""int n_ab = count + n_b;
    float delta = mean_b - mean;
    mean += delta * n_b / n_ab;
    m2 += m2_b + delta * delta * count * n_b / n_ab;
    count = n_ab;"""), "merging two empty lanes does not leave an empty triple"),
    # the cross term forgotten
    (dict(merge="""int n_ab = count + n_b;
    float delta = mean_b - mean;
    float w = n_ab == 0 ? 0.0f : (float)n_b / n_ab;
    mean += delta * w;
    m2 += m2_b;
    count = n_ab;"""), "the m2 is not Chan's merge"),
    # the count not merged
    (dict(merge="""int n_ab = count + n_b;
    float delta = mean_b - mean;
    float w = n_ab == 0 ? 0.0f : (float)n_b / n_ab;
    mean += delta * w;
    m2 += m2_b + delta * delta * count * w;"""), "the count is not Chan's merge"),
    # a shift-down leaves the triple whole in lane 0 only, but every lane stores
    (dict(shfl="__shfl_down_sync"), "complete in thread 0 only"),
])
def test_welford_merge_near_misses_stay_unported(tmp_path, fields, fragment):
    k = lift(tmp_path, **fields)
    assert k.lifted is None and k.code == "C2C101", k
    assert fragment in k.message, k.message


def test_a_counter_that_is_not_a_welford_count_is_refused(tmp_path):
    k = lift(tmp_path, update="count++; mean += v; m2 += v * v;")
    assert k.lifted is None and "not the count of a Welford update" in k.message, k.message


def test_a_running_mean_that_does_not_start_at_0_is_refused(tmp_path):
    source = textwrap.dedent(KERNEL.format(**DEFAULTS)).replace("float mean = 0.0f", "float mean = 1.0f")
    k = lift_text(tmp_path, source)
    assert k.lifted is None and "does not start at 0" in k.message, k.message
