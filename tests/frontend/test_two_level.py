"""Two-level reductions (issue #4): a shuffle inside each warp, per-warp results through shared memory, a second
shuffle over the warp results; results published to every thread through a shared variable."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.frontend.helpers import lift_text
from tests.frontend.helpers import store_of as store

HELPERS = """
__device__ float warp_sum(float v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
  return v;
}
__device__ float warp_max_xor(float v) {
  for (int o = warpSize / 2; o > 0; o /= 2) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}
"""

TWO_LEVEL = """
__global__ void k(const float* x, float* out, int rows, int cols) {{
  __shared__ float sh[32];
  int row = blockIdx.x;
  if (row >= rows) return;
  int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  float v = {init};
  for (int c = threadIdx.x; c < cols; c += blockDim.x) v = {accumulate};
  v = {first}(v);
  {store_warp}
  __syncthreads();
  v = {read};
  {second}
  {store_out}
}}
"""
SUM = dict(init="0.0f", accumulate="v + x[row * cols + c]", first="warp_sum", store_warp="if (lane == 0) sh[warp] = v;",
           read="(threadIdx.x < blockDim.x / 32) ? sh[lane] : 0.0f", second="if (warp == 0) v = warp_sum(v);",
           store_out="if (threadIdx.x == 0) out[row] = v;")







def lift(tmp_path: Path, source: str):
    return lift_text(tmp_path, HELPERS + textwrap.dedent(source))


@pytest.mark.parametrize("variant", [
    {},
    {"second": "v = warp_sum(v);"},  # every warp reduces; warps other than 0 sum identities, thread 0 stores
    {"read": "(lane < blockDim.x / warpSize) ? sh[lane] : 0.0f", "store_out": "if (lane == 0 && warp == 0) out[row] = v;"},
    {"read": "threadIdx.x < (blockDim.x + 31) / 32 ? sh[threadIdx.x] : 0.0f"},
    {"read": "(threadIdx.x & 31) < (blockDim.x >> 5) ? sh[threadIdx.x & 31] : 0.0f", "second": "if (warp == 0) { v = warp_sum(v); }"},
])
def test_two_level_sum_is_one_reduce(tmp_path, variant):
    k = lift(tmp_path, TWO_LEVEL.format(**{**SUM, **variant}))
    assert store(k) == "out[i0] = reduce_add(k1 < cols: x[cols*i0 + k1])"
    assert k.lifted.operator.op_class == "reduction"
    assert "x" not in k.lifted.block_requirements  # any block of whole warps


def test_two_level_max_with_butterflies_stored_by_every_lane(tmp_path):
    k = lift(tmp_path, TWO_LEVEL.format(**{**SUM, "init": "-INFINITY", "accumulate": "fmaxf(v, x[row * cols + c])",
                                         "first": "warp_max_xor", "store_warp": "sh[warp] = v;",
                                         "read": "lane < blockDim.x / 32 ? sh[lane] : -INFINITY", "second": "v = warp_max_xor(v);",
                                         "store_out": "out[row] = v;"}))
    assert store(k) == "out[i0] = reduce_max(k1 < cols: x[cols*i0 + k1])"


PUBLISHED = """
__global__ void k(const float* x, float* y, int rows, int cols) {{
  __shared__ float sh[32];
  __shared__ float total;
  int row = blockIdx.x;
  if (row >= rows) return;
  int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  float v = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) v += x[row * cols + c];
  v = warp_sum(v);
  if (lane == 0) sh[warp] = v;
  __syncthreads();
  if (warp == 0) {{
    v = lane < blockDim.x / 32 ? sh[lane] : 0.0f;
    v = warp_sum(v);
    {publish}
  }}
  __syncthreads();
  for (int c = threadIdx.x; c < cols; c += blockDim.x) y[row * cols + c] = x[row * cols + c] / {use};
}}
"""


@pytest.mark.parametrize(("publish", "use"), [("if (lane == 0) total = v;", "total"), ("if (threadIdx.x == 0) total = v;", "total"),
                                            ("if (lane == 0 && warp == 0) sh[0] = v;", "sh[0]")])
def test_total_published_through_shared_memory_makes_a_row_program(tmp_path, publish, use):
    k = lift(tmp_path, PUBLISHED.format(publish=publish, use=use))
    assert store(k) == "y[cols*i0 + i1] = div(x[cols*i0 + i1], reduce_add(k1 < cols: x[cols*i0 + k1]))"
    assert k.lifted.operator.op_class == "row"


@pytest.mark.parametrize(("fields", "fragment"), [
    ({"read": "sh[lane]"}, "per-warp slots read by every lane"),
    ({"store_warp": "sh[warp] = v;"}, "stored to sh[warp] by every thread"),
    ({"store_warp": "if (threadIdx.x == 0) sh[warp] = v;"}, "stored to sh[warp] by thread 0"),
    ({"read": "(threadIdx.x < blockDim.x / 32) ? sh[lane] : 1.0f"}, "must take the reduction's identity"),
    ({"read": "(threadIdx.x < 4) ? sh[lane] : 0.0f"}, "warps = blockDim.x / 32"),
    ({"store_out": "if (lane == 0) out[row] = v;"}, "complete in thread 0 only, but it is stored by lane 0 of each warp"),
    ({"store_warp": "if (lane == 0) sh[warp] = v;", "first": "warp_max_xor"}, "is shuffled but is not a partial"),
])
def test_two_level_near_misses_stay_unported_with_a_reason(tmp_path, fields, fragment):
    k = lift(tmp_path, TWO_LEVEL.format(**{**SUM, **fields}))
    assert k.lifted is None and k.code == "C2C101", store(k)
    assert fragment in k.message


@pytest.mark.parametrize(("publish", "use", "fragment"), [
    ("total = v;", "total", "complete in thread 0 only, but it is stored by warp 0"),
    ("", "total", "before a reduced value was published"),
    ("if (lane == 0) total = v;", "v", "complete in thread 0 only, but it is stored by every thread"),
])
def test_publication_near_misses(tmp_path, publish, use, fragment):
    k = lift(tmp_path, PUBLISHED.format(publish=publish, use=use))
    assert k.lifted is None and k.code == "C2C101", store(k)
    assert fragment in k.message


def test_a_warp_result_used_whole_in_a_larger_block_is_refused(tmp_path):
    k = lift(tmp_path, """
        template <int BLOCK>
        __global__ void k(const float* x, float* out, int cols) {
          float v = 0.0f;
          for (int c = threadIdx.x; c < cols; c += BLOCK) v += x[blockIdx.x * cols + c];
          v = warp_sum(v);
          if (threadIdx.x == 0) out[blockIdx.x] = v;
        }
        void launch(const float* x, float* out, int rows, int cols) { k<256><<<rows, 256>>>(x, out, cols); }
        """)
    assert k.lifted is None and k.code == "C2C101"
    assert "in a block of 256 threads" in k.message
