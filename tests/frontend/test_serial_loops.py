"""Per-thread loops with a run-time trip count (issue #4): associative accumulations become reduce nodes."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.frontend.helpers import lift_text
from tests.frontend.helpers import store_of as store


def lift(tmp_path: Path, body: str):
    return lift_text(tmp_path, textwrap.dedent(f"""
        __global__ void k(const float* A, const float* v, float* y, int rows, int cols) {{
          int r = blockIdx.x * blockDim.x + threadIdx.x;
          if (r >= rows) return;
          {body}
        }}"""))


@pytest.mark.parametrize(("body", "expected"), [
    ("float s = 0.0f; for (int c = 0; c < cols; c++) s += A[r * cols + c] * v[c]; y[r] = s;",
     "y[i0] = reduce_add(ks1 < cols: mul(A[cols*i0 + ks1], v[ks1]))"),
    ("float s = 1.0f; for (int c = 0; c < cols; ++c) s = s + A[r * cols + c]; y[r] = s;",
     "y[i0] = add(1.0, reduce_add(ks1 < cols: A[cols*i0 + ks1]))"),
    ("float m = -INFINITY; for (int c = 0; c < cols; c += 1) m = fmaxf(m, A[r * cols + c]); y[r] = m;",
     "y[i0] = reduce_max(ks1 < cols: A[cols*i0 + ks1])"),
    ("float m = A[r * cols]; for (int c = 1; c < cols; c++) m = A[r * cols + c] < m ? A[r * cols + c] : m; y[r] = m;",
     "y[i0] = min(A[cols*i0], reduce_min(ks1 < cols - 1: A[cols*i0 + ks1 + 1]))"),
])
def test_serial_accumulations_become_reductions(tmp_path, body, expected):
    assert store(lift(tmp_path, body)) == expected


@pytest.mark.parametrize(("body", "fragment"), [
    ("float s = 0.0f; for (int c = 0; c < cols; c++) { s += A[r * cols + c]; y[r * cols + c] = s; }", "both stores and accumulates"),
    ("float s = 0.0f; for (int c = 0; c < cols; c++) s = 0.5f * s + A[r * cols + c]; y[r] = s;", "not an associative accumulation"),
    ("float s = 0.0f; int p = 0; for (int c = 0; c < cols; c++) { s += A[p]; p += 2; } y[r] = s;", "loop steps"),
])
def test_order_dependent_serial_loops_stay_unported(tmp_path, body, fragment):
    k = lift(tmp_path, body)
    assert k.lifted is None and k.code == "C2C102", store(k)
    assert fragment in k.message


def test_a_storing_loop_is_one_more_axis_and_makes_a_thread_per_row_row_program(tmp_path):
    k = lift(tmp_path, """
        float m = -INFINITY;
        for (int c = 0; c < cols; ++c) m = fmaxf(m, A[r * cols + c]);
        for (int c = 0; c < cols; ++c) y[r * cols + c] = A[r * cols + c] - m;""")
    assert store(k) == "y[cols*i0 + i1] = sub(A[cols*i0 + i1], reduce_max(ks1 < cols: A[cols*i0 + ks1]))"
    assert k.lifted.operator.op_class == "row" and k.lifted.axis_origin["i1"].startswith("itm")


@pytest.mark.parametrize(("body", "fragment"), [
    ("for (int c = 1; c < cols; c++) y[r * cols + c] = A[r * cols + c];", "must start at 0"),
    ("for (int c = 0; c < cols - 1; c++) y[r * cols + c + 1] = y[r * cols + c] + A[r * cols + c];",
     "which another iteration of the loop writes"),
    ("float s = 0.0f; for (int c = 0; c < cols; c++) { s += A[r * cols + c]; y[r * cols + c] = A[r * cols + c]; }",
     "both stores and accumulates"),
])
def test_storing_loops_with_dependences_stay_unported(tmp_path, body, fragment):
    k = lift(tmp_path, body)
    assert k.lifted is None and k.code == "C2C102", store(k)
    assert fragment in k.message


def test_products_accumulate_like_sums(tmp_path):
    k = lift(tmp_path, "float p = 1.0f; for (int c = 0; c < cols; ++c) p *= A[r * cols + c]; y[r] = p;")
    assert store(k) == "y[i0] = reduce_mul(ks1 < cols: A[cols*i0 + ks1])"


WELFORD = """
float mean = 0.0f, m2 = 0.0f;
int n = {n0};
for (int c = 0; c < cols; ++c) {{
  float v = A[r * cols + c];
  n++;
  float delta = v - mean;
  mean += delta / n;
  m2 += {m2_update};
}}
y[r] = m2 / cols;
"""


def test_welford_mean_and_m2_become_sums(tmp_path):
    k = lift(tmp_path, WELFORD.format(n0="0", m2_update="delta * (v - mean)"))
    value = store(k)
    assert value.startswith("y[i0] = div(reduce_add(ks1 < cols: mul(sub(A[cols*i0 + ks1], div(reduce_add(ks1w < cols:")
    assert "welford" in k.lifted.reformulated


@pytest.mark.parametrize(("fields", "fragment"), [
    ({"n0": "1", "m2_update": "delta * (v - mean)"}, "does not start at 0"),
    ({"n0": "0", "m2_update": "delta * delta"}, "nor an online-softmax sum"),  # the classic one-pass mistake
])
def test_welford_look_alikes_stay_unported(tmp_path, fields, fragment):
    k = lift(tmp_path, WELFORD.format(**fields))
    assert k.lifted is None and k.code == "C2C102", store(k)
    assert fragment in k.message


def test_values_after_a_loop_that_may_not_run(tmp_path):
    # a counter and the loop variable keep their start when the loop runs no iteration (cols - 5 < 0)
    k = lift(tmp_path, "int n = 3; int c = 5; for (c = 5; c < cols; ++c) n += 2; y[r] = (float)(n + c);")
    assert store(k) == "y[i0] = float32(index(max(cols - 5, 0)*3 + 8):int32)"
