"""Argmax / argmin (issue #4): `if (v > best) { best = v; idx = c; }` in a per-thread loop is the first position of
the extreme; forms whose result would differ (last position on ties, other starts) stay unported."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.frontend.helpers import lift_text
from tests.frontend.helpers import store_of as store

KERNEL = """
__global__ void k(const float* x, int* idx, int rows, int cols) {{
  int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  float best = {best};
  int at = {at};
  for (int c = {start}; c < cols; ++c) {{
    float v = x[r * cols + c];
    if ({cond}) {{ best = v; at = c; }}
  }}
  idx[r] = at;
}}
"""
ARGMAX = dict(best="-INFINITY", at="0", start="0", cond="v > best")


def lift(tmp_path: Path, **fields):
    return lift_text(tmp_path, textwrap.dedent(KERNEL.format(**{**ARGMAX, **fields})))


@pytest.mark.parametrize(("fields", "expected"), [
    ({}, "idx[i0] = reduce_argmax(ks1 < cols: x[cols*i0 + ks1])"),
    ({"cond": "best < v"}, "idx[i0] = reduce_argmax(ks1 < cols: x[cols*i0 + ks1])"),
    ({"best": "INFINITY", "cond": "v < best"}, "idx[i0] = reduce_argmin(ks1 < cols: x[cols*i0 + ks1])"),
    ({"start": "2", "at": "2"}, "idx[i0] = add(index(2):int32, reduce_argmax(ks1 < cols - 2: x[cols*i0 + ks1 + 2]))"),
])
def test_first_position_of_the_extreme(tmp_path, fields, expected):
    k = lift(tmp_path, **fields)
    assert store(k) == expected and k.lifted.operator.op_class == "reduction"


@pytest.mark.parametrize(("fields", "fragment"), [
    ({"cond": "v >= best"}, "not an associative accumulation"),  # ties keep the last position
    ({"at": "-1"}, "does not start at the loop's first position"),
    ({"best": "x[r * cols]"}, "does not start at -INFINITY"),
])
def test_argmax_near_misses_stay_unported(tmp_path, fields, fragment):
    k = lift(tmp_path, **fields)
    assert k.lifted is None and k.code == "C2C102", store(k)
    assert fragment in k.message


def test_a_per_row_gather_lifts_to_a_gather_node(tmp_path):
    k = lift_text(tmp_path, textwrap.dedent("""
        __global__ void k(const float* x, const int* label, float* picked, int rows, int cols) {
          int r = blockIdx.x * blockDim.x + threadIdx.x;
          if (r < rows) picked[r] = x[r * cols + label[r]];
        }"""))
    assert store(k) == "picked[i0] = x[cols*i0 + label[i0]]"
