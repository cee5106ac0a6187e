"""Argmax / argmin across the threads of a row (issue #4): (value, position) pairs combined by a shared-memory tree or
by warp shuffles, with the tie rule that makes the result the first position; forms whose ties depend on the thread
that found them stay unported with that reason."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.frontend.helpers import lift_text
from tests.frontend.helpers import store_of as store

TREE = """
__global__ void k(const float* x, int* out, int n) {{
  __shared__ float sv[256];
  __shared__ int si[256];
  float best = {best};
  int bi = {start};
  for (int c = threadIdx.x; c < n; c += blockDim.x) {{
    float v = x[blockIdx.x * n + c];
    if (v {cmp} best) {{ best = v; bi = {position}; }}
  }}
  sv[threadIdx.x] = best;
  si[threadIdx.x] = bi;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {{
    if (threadIdx.x < s) {{
      float ov = sv[threadIdx.x + s];
      int oi = si[threadIdx.x + s];
      if ({take}) {{ sv[threadIdx.x] = ov; si[threadIdx.x] = oi; }}
    }}
    __syncthreads();
  }}
  if (threadIdx.x == 0) out[blockIdx.x] = si[0];
}}
"""
ARGMAX = dict(best="-INFINITY", start="0", cmp=">", position="c",
              take="ov > sv[threadIdx.x] || (ov == sv[threadIdx.x] && oi < si[threadIdx.x])")

SHUFFLE = """
__global__ void k(const float* x, int* out, int n) {{
  float best = INFINITY;
  int bi = 0;
  for (int c = threadIdx.x; c < n; c += 32) {{
    float v = x[blockIdx.x * n + c];
    if (v < best) {{ best = v; bi = c; }}
  }}
  for (int o = 16; o > 0; o >>= 1) {{
    float ov = {shfl}(0xffffffffu, best, o);
    int oi = {shfl}(0xffffffffu, bi, o);
    {take}
  }}
  {store}
}}
"""
ARGMIN_DOWN = dict(shfl="__shfl_down_sync", take="if (ov < best || (ov == best && oi < bi)) { best = ov; bi = oi; }",
                   store="if (threadIdx.x == 0) out[blockIdx.x] = bi;")


def lift(tmp_path: Path, template: str, defaults: dict, **fields):
    return lift_text(tmp_path, textwrap.dedent(template.format(**{**defaults, **fields})))


@pytest.mark.parametrize("take", [
    ARGMAX["take"],
    "(sv[threadIdx.x] < ov) || (sv[threadIdx.x] == ov && si[threadIdx.x] > oi)",  # the same rule, spelled backwards
    "ov > sv[threadIdx.x] || (!(ov < sv[threadIdx.x]) && oi < si[threadIdx.x])",
])
def test_a_pair_tree_with_the_tie_rule_is_the_first_position_of_the_maximum(tmp_path, take):
    k = lift(tmp_path, TREE, ARGMAX, take=take)
    assert store(k) == "out[i0] = reduce_argmax(k2 < n: x[i0*n + k2])"


@pytest.mark.parametrize(("fields", "fragment"), [
    # ties won by the lower thread: thread 0's element 256 would beat thread 1's element 1
    (dict(take="ov > sv[threadIdx.x]"), "ties are won by the thread that holds a pair, not by the smaller position"),
    # ties won by the partner: the last position on ties within the tree's order
    (dict(take="ov >= sv[threadIdx.x]"), "ties are won by the thread"),
    # the partner's value kept but not its position
    (dict(take="ov > sv[threadIdx.x] || (ov == sv[threadIdx.x] && oi > si[threadIdx.x])"), "ties are won by the thread"),
    # positions recorded off by one
    (dict(position="c + 1"), "records something other than the element's position"),
    # a row of -INFINITY keeps the start position
    (dict(start="-1"), "does not start at 0"),
    # the running maximum starts at 0, not -INFINITY
    (dict(best="0.0f"), "does not start at -INFINITY"),
])
def test_pair_tree_near_misses_stay_unported(tmp_path, fields, fragment):
    k = lift(tmp_path, TREE, ARGMAX, **fields)
    assert k.lifted is None and k.code == "C2C101", store(k)
    assert fragment in k.message, k.message


@pytest.mark.parametrize("fields", [
    ARGMIN_DOWN,
    dict(ARGMIN_DOWN, shfl="__shfl_xor_sync", store="out[blockIdx.x] = bi;"),  # a butterfly: every lane holds it
    dict(ARGMIN_DOWN, take="bool take = ov < best || (ov == best && oi < bi); best = take ? ov : best; bi = take ? oi : bi;"),
])
def test_a_pair_shuffle_across_a_warp_is_the_first_position_of_the_minimum(tmp_path, fields):
    k = lift(tmp_path, SHUFFLE, fields)
    assert store(k) == "out[i0] = reduce_argmin(k2 < n: x[i0*n + k2])"
    assert k.lifted.block_requirements["x"] == 32


@pytest.mark.parametrize(("fields", "fragment"), [
    (dict(ARGMIN_DOWN, take="if (ov < best) { best = ov; bi = oi; }"), "ties are won by the thread"),
    # every lane stores after a shift-down: only lane 0 holds the whole row's pair
    (dict(ARGMIN_DOWN, store="out[blockIdx.x] = bi;"), "complete in thread 0 only"),
    # the position shuffled with another kind than the value
    (dict(ARGMIN_DOWN, take="int oj = __shfl_xor_sync(0xffffffffu, bi, o); if (ov < best || (ov == best && oj < bi)) "
                            "{ best = ov; bi = oj; }"), "shuffled the same way"),
])
def test_pair_shuffle_near_misses_stay_unported(tmp_path, fields, fragment):
    k = lift(tmp_path, SHUFFLE, fields)
    assert k.lifted is None and k.code == "C2C101", store(k)
    assert fragment in k.message, k.message


GUARDED = TREE.replace("""    if (threadIdx.x < s) {{
      float ov = sv[threadIdx.x + s];
      int oi = si[threadIdx.x + s];
      if ({take}) {{ sv[threadIdx.x] = ov; si[threadIdx.x] = oi; }}
    }}""", """    if (threadIdx.x < s && ({take})) {{
      sv[threadIdx.x] = sv[threadIdx.x + s];
      si[threadIdx.x] = si[threadIdx.x + s];
    }}""")


@pytest.mark.parametrize(("take", "fragment"), [
    ("sv[threadIdx.x + s] > sv[threadIdx.x] || (sv[threadIdx.x + s] == sv[threadIdx.x] && si[threadIdx.x + s] < si[threadIdx.x])", ""),
    ("sv[threadIdx.x + s] > sv[threadIdx.x]", "ties are won by the thread"),
])
def test_the_partner_test_may_share_the_tree_guard(tmp_path, take, fragment):
    assert GUARDED != TREE
    k = lift(tmp_path, GUARDED, ARGMAX, take=take)
    if not fragment:
        assert store(k) == "out[i0] = reduce_argmax(k2 < n: x[i0*n + k2])"
    else:
        assert k.lifted is None and fragment in k.message, store(k)
