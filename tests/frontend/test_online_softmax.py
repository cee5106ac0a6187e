"""Online softmax (issue #4): a sum rescaled by its running maximum, per thread or across a warp, lifts to
reduce_add(exp(x - reduce_max(x))); variants that do not rescale stay unported."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.frontend.helpers import lift_text
from tests.frontend.helpers import store_of as store

WARP = """
#include <cfloat>
__global__ void k(const float* x, float* y, int rows, int cols) {{
  int row = blockIdx.x * blockDim.y + threadIdx.y;
  if (row >= rows) return;
  float m = -FLT_MAX, s = 0.0f;
  for (int c = threadIdx.x; c < cols; c += 32) {{
    float v = x[row * cols + c];
    float mn = fmaxf(m, v);
    {update}
    m = mn;
  }}
  for (int off = 16; off > 0; off >>= 1) {{
    {combine}
  }}
  for (int c = threadIdx.x; c < cols; c += 32) y[row * cols + c] = __expf(x[row * cols + c] - m) / s;
}}
"""
UPDATE = "s = s * __expf(m - mn) + __expf(v - mn);"
COMBINE = """float m2 = __shfl_xor_sync(0xffffffffu, m, off);
    float s2 = __shfl_xor_sync(0xffffffffu, s, off);
    float mx = fmaxf(m, m2);
    s = s * __expf(m - mx) + s2 * __expf(m2 - mx);
    m = mx;"""







def lift(tmp_path: Path, text: str):
    return lift_text(tmp_path, textwrap.dedent(text))


def test_warp_online_softmax_is_a_row_program(tmp_path):
    k = lift(tmp_path, WARP.format(update=UPDATE, combine=COMBINE))
    expected_max = "max(neg(3.4028234663852886e+38), reduce_max(k1 < cols: x[cols*i0 + k1]))"
    assert store(k) == (f"y[cols*i0 + i1] = div(exp(sub(x[cols*i0 + i1], {expected_max})), "
                        f"reduce_add(k2 < cols: exp(sub(x[cols*i0 + k2], {expected_max}))))")
    assert k.lifted.operator.op_class == "row" and k.lifted.block_requirements == {"x": 32}


def test_per_thread_online_softmax(tmp_path):
    k = lift(tmp_path, """
        __global__ void k(const float* x, float* y, int rows, int cols) {
          int r = blockIdx.x * blockDim.x + threadIdx.x;
          if (r >= rows) return;
          float m = -INFINITY, s = 0.0f;
          for (int c = 0; c < cols; ++c) {
            float mn = fmaxf(m, x[r * cols + c]);
            s = __expf(m - mn) * s + __expf(x[r * cols + c] - mn);
            m = mn;
          }
          for (int c = 0; c < cols; ++c) y[r * cols + c] = __expf(x[r * cols + c] - m) / s;
        }""")
    assert "reduce_add(ks1 < cols: exp(sub(x[cols*i0 + ks1], reduce_max(ks1m < cols:" in store(k)


@pytest.mark.parametrize(("update", "combine", "fragment"), [
    ("s = s + __expf(v - mn);", COMBINE, "not an associative accumulation"),  # the running sum is never rescaled
    (UPDATE, COMBINE.replace("s = s * __expf(m - mx) + s2 * __expf(m2 - mx);", "s = s + s2;"), "the sum is not merged as max(m, m2)"),
    (UPDATE, COMBINE.replace("float s2 = __shfl_xor_sync", "float s2 = __shfl_down_sync"), "must all be shuffled the same way"),
    (UPDATE, "s += __shfl_xor_sync(0xffffffffu, s, off);", "combined without its running maximum"),
])
def test_online_softmax_near_misses(tmp_path, update, combine, fragment):
    k = lift(tmp_path, WARP.format(update=update, combine=combine))
    assert k.lifted is None and k.code == "C2C101", store(k)
    assert fragment in k.message
