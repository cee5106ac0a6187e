"""Atomic accumulation (issue #4): atomicAdd / atomicMax / atomicMin become reductions over the axes the target
index does not use; grid-strided partials combined per warp or block are added once per share."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.frontend.helpers import lift_text
from tests.frontend.helpers import store_of as store

WARP_SUM = """
__device__ float warp_sum(float v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
  return v;
}
"""







def lift(tmp_path: Path, source: str):
    return lift_text(tmp_path, WARP_SUM + textwrap.dedent(source))


def test_per_element_atomic_add_is_a_full_sum(tmp_path):
    k = lift(tmp_path, """
        __global__ void k(const float* x, float* out, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) atomicAdd(out, x[i] * x[i]);
        }""")
    assert store(k) == "out[0] = add(out[0], reduce_add(k1 < n: mul(x[k1], x[k1])))"
    assert k.lifted.operator.axes == () and [p.role for p in k.lifted.operator.tensors] == ["input", "inout"]


def test_atomic_max_with_a_predicate_takes_the_identity_elsewhere(tmp_path):
    k = lift(tmp_path, """
        __global__ void k(const int* x, int* out, int n) {
          for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x)
            if (x[i] > 0) atomicMax(out, x[i]);
        }""")
    assert store(k) == "out[0] = max(out[0], reduce_max(k1 < n: select(gt(x[k1], 0), x[k1], -2147483648)))"


def test_atomic_add_into_columns_reduces_over_rows(tmp_path):
    k = lift(tmp_path, """
        __global__ void k(const float* x, float* out, int rows, int cols) {
          int c = blockIdx.x * blockDim.x + threadIdx.x;
          int r = blockIdx.y * blockDim.y + threadIdx.y;
          if (c < cols && r < rows) atomicAdd(&out[c], x[r * cols + c]);
        }""")
    assert store(k) == "out[i0] = add(out[i0], reduce_add(k1 < rows: x[cols*k1 + i0]))"
    assert [a.extent for a in k.lifted.operator.axes] == [k.lifted.operator.axes[0].extent] and k.lifted.reduced_axes


@pytest.mark.parametrize("combine", [
    # block tree, thread 0 adds the block's share
    """sh[threadIdx.x] = acc; __syncthreads();
       for (int s = blockDim.x / 2; s > 0; s >>= 1) { if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s]; __syncthreads(); }
       if (threadIdx.x == 0) atomicAdd(out, sh[0]);""",
    # lane 0 of each warp adds the warp's share
    """acc = warp_sum(acc); if ((threadIdx.x & 31) == 0) atomicAdd(out, acc);""",
    # every thread adds its own partial
    """atomicAdd(out, acc);""",
    # two levels of shuffles, thread 0 adds the block's share
    """acc = warp_sum(acc); if (threadIdx.x % 32 == 0) sh[threadIdx.x / 32] = acc; __syncthreads();
       acc = threadIdx.x < blockDim.x / 32 ? sh[threadIdx.x % 32] : 0.0f; acc = warp_sum(acc);
       if (threadIdx.x == 0) atomicAdd(out, acc);""",
])
def test_grid_strided_partials_added_once_per_share_are_a_full_sum(tmp_path, combine):
    k = lift(tmp_path, f"""
        __global__ void k(const float* x, float* out, int n) {{
          __shared__ float sh[256];
          float acc = 0.0f;
          for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) acc += x[i];
          {combine}
        }}""")
    assert store(k) == "out[0] = add(out[0], reduce_add(k1 < n: x[k1]))"


@pytest.mark.parametrize(("source", "fragment"), [
    ("if (i < n) old[i] = atomicAdd(out, x[i]);", "the old value atomicAdd returns is used"),
    ("if (i < n) atomicExch(out, x[i]);", "only atomicAdd / atomicMax / atomicMin"),
    ("if (i < n) { atomicAdd(out, x[i]); old[i] = x[i]; }", "mixed with plain stores"),
])
def test_order_dependent_atomics_stay_unported(tmp_path, source, fragment):
    k = lift(tmp_path, f"""
        __global__ void k(const float* x, float* out, float* old, int n) {{
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          {source}
        }}""")
    assert k.lifted is None and k.code == "C2C101", store(k)
    assert fragment in k.message


@pytest.mark.parametrize(("combine", "fragment"), [
    # every thread adds the block's share: the block sum would be counted blockDim.x times
    ("""sh[threadIdx.x] = acc; __syncthreads();
        for (int s = blockDim.x / 2; s > 0; s >>= 1) { if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s]; __syncthreads(); }
        atomicAdd(out, sh[0]);""", "must be added once, by thread 0, but it is added by every thread"),
    # every lane adds the warp's share
    ("acc = warp_sum(acc); atomicAdd(out, acc);", "by lane 0 of each warp, but it is added by every thread"),
    # the block's share stored as a per-block result, but one slot further: not one value per block at blockIdx.x
    ("""sh[threadIdx.x] = acc; __syncthreads();
        for (int s = blockDim.x / 2; s > 0; s >>= 1) { if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s]; __syncthreads(); }
        if (threadIdx.x == 0) out[blockIdx.x + 1] = sh[0];""", "only one value per block at [blockIdx.x]"),
    # the block's share stored by every thread (after a shift-down shuffle only thread 0 holds it whole)
    ("""acc = warp_sum(acc); if ((threadIdx.x & 31) == 0) sh[threadIdx.x >> 5] = acc; __syncthreads();
        acc = threadIdx.x < blockDim.x / 32 ? sh[threadIdx.x] : 0.0f; acc = warp_sum(acc);
        out[blockIdx.x] = acc;""", "must be stored once per block, by thread 0, but it is stored by every thread"),
    # the block's share used in arithmetic: a value of a grid-dependent partition
    ("""sh[threadIdx.x] = acc; __syncthreads();
        for (int s = blockDim.x / 2; s > 0; s >>= 1) { if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s]; __syncthreads(); }
        if (threadIdx.x == 0) out[blockIdx.x] = sh[0] * 2.0f;""", "a block's share of a grid-wide reduction used as a value"),
    # a max partial added
    ("atomicAdd(out, m);", "an atomic add of partial results accumulated with max"),
])
def test_grid_reduction_near_misses(tmp_path, combine, fragment):
    k = lift(tmp_path, f"""
        __global__ void k(const float* x, float* out, int n) {{
          __shared__ float sh[256];
          float acc = 0.0f, m = -INFINITY;
          for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {{ acc += x[i]; m = fmaxf(m, x[i]); }}
          {combine}
        }}""")
    assert k.lifted is None and k.code == "C2C101", store(k)
    assert fragment in k.message
