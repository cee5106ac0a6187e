"""Lifting cooperative row reductions (issue #4): shared-memory trees and warp shuffles become reduce nodes."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cuda2cann.frontend.cuda.translation_unit import analyse_file
from cuda2cann.ir.printer import format_node

TREE = """
__global__ void rowsum(const float* x, float* out, int rows, int cols) {{
  __shared__ float sh[256];
  int row = blockIdx.x;
  if (row >= rows) return;
  float acc = {init};
  for (int c = threadIdx.x; c < cols; c += blockDim.x) acc {update};
  sh[threadIdx.x] = acc;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {{
    if (threadIdx.x < s) {tree};
    __syncthreads();
  }}
  if (threadIdx.x == 0) out[row] = sh[0]{finish};
}}
"""


def lift(tmp_path: Path, source: str):
    path = tmp_path / "k.cu"
    path.write_text(textwrap.dedent(source))
    (k,) = analyse_file(path).kernels
    return k


def store(k) -> str:
    assert k.lifted is not None, f"{k.code}: {k.message}"
    (s,) = k.lifted.operator.stores
    return f"{s.tensor}[{s.index}] = {format_node(s.value)}"


@pytest.mark.parametrize(("init", "update", "tree", "finish", "expected"), [
    ("0.0f", "+= x[row * cols + c]", "sh[threadIdx.x] += sh[threadIdx.x + s]", "",
     "out[i0] = reduce_add(k1 < cols: x[cols*i0 + k1])"),
    ("0.0f", "+= x[row * cols + c] * x[row * cols + c]", "sh[threadIdx.x] = sh[threadIdx.x] + sh[threadIdx.x + s]", " / cols",
     "out[i0] = div(reduce_add(k1 < cols: mul(x[cols*i0 + k1], x[cols*i0 + k1])), float32(index(cols):int32))"),
    ("-INFINITY", "= fmaxf(acc, x[row * cols + c])", "sh[threadIdx.x] = fmaxf(sh[threadIdx.x], sh[threadIdx.x + s])", "",
     "out[i0] = reduce_max(k1 < cols: x[cols*i0 + k1])"),
])
def test_shared_memory_tree_reductions(tmp_path, init, update, tree, finish, expected):
    k = lift(tmp_path, TREE.format(init=init, update=update, tree=tree, finish=finish))
    assert k.lifted.operator.op_class == "reduction"
    assert store(k) == expected


def test_warp_shuffle_butterfly_one_warp_per_row(tmp_path):
    k = lift(tmp_path, """
        __global__ void rowmax(const float* x, float* out, int rows, int cols) {
          int row = blockIdx.x * blockDim.y + threadIdx.y;
          if (row >= rows) return;
          float m = -INFINITY;
          for (int c = threadIdx.x; c < cols; c += warpSize) m = fmaxf(m, x[row * cols + c]);
          for (int o = warpSize / 2; o > 0; o >>= 1) m = fmaxf(m, __shfl_xor_sync(0xffffffff, m, o));
          if (threadIdx.x == 0) out[row] = m;
        }""")
    assert store(k) == "out[i0] = reduce_max(k1 < cols: x[cols*i0 + k1])"
    assert k.lifted.block_requirements == {"x": 32} and k.lifted.axis_origin == {"i0": "gid.r"}


def test_shuffle_down_sum(tmp_path):
    k = lift(tmp_path, """
        __global__ void rowsum(const float* x, float* out, int rows, int cols) {
          int row = blockIdx.x * blockDim.y + threadIdx.y;
          if (row >= rows) return;
          float v = 0.0f;
          for (int c = threadIdx.x; c < cols; c += 32) v += x[row * cols + c];
          for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffff, v, o);
          if (threadIdx.x == 0) out[row] = v;
        }""")
    assert store(k) == "out[i0] = reduce_add(k1 < cols: x[cols*i0 + k1])"


@pytest.mark.parametrize(("init", "update", "tree", "fragment"), [
    # not an associative accumulation: the result depends on the order the lanes visit the elements
    ("0.0f", "= acc * 0.5f + x[row * cols + c]", "sh[threadIdx.x] += sh[threadIdx.x + s]", "not an associative accumulation"),
    # a tree that subtracts: not a reduction of the partials
    ("0.0f", "+= x[row * cols + c]", "sh[threadIdx.x] -= sh[threadIdx.x + s]", "tree step is not"),
    # a sum that does not start at 0 counts its start once per lane
    ("1.0f", "+= x[row * cols + c]", "sh[threadIdx.x] += sh[threadIdx.x + s]", "does not start at 0"),
    # the tree combines with max what was summed
    ("0.0f", "+= x[row * cols + c]", "sh[threadIdx.x] = fmaxf(sh[threadIdx.x], sh[threadIdx.x + s])", "another op"),
])
def test_near_miss_idioms_stay_unported_with_a_reason(tmp_path, init, update, tree, fragment):
    k = lift(tmp_path, TREE.format(init=init, update=update, tree=tree, finish=""))
    assert k.lifted is None and k.code == "C2C101" and fragment in k.message


def test_corpus_reductions_lift():
    root = Path(__file__).resolve().parents[2] / "op_corpus"
    for name in ("row_sum", "row_max_warp"):
        (k,) = analyse_file(root / name / f"{name}.cu").kernels
        assert k.lifted is not None and k.lifted.operator.op_class == "reduction", f"{name}: {k.code} {k.message}"


def test_shuffle_down_result_stored_by_every_lane_is_refused(tmp_path):
    k = lift(tmp_path, """
        __global__ void rowsum(const float* x, float* out, int rows, int cols) {
          int row = blockIdx.x * blockDim.y + threadIdx.y;
          if (row >= rows) return;
          float v = 0.0f;
          for (int c = threadIdx.x; c < cols; c += 32) v += x[row * cols + c];
          for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffff, v, o);
          out[row] = v;
        }""")
    assert k.lifted is None and k.code == "C2C101" and "complete in thread 0 only" in k.message


def test_shuffle_reduction_inside_a_device_helper(tmp_path):
    k = lift(tmp_path, """
        __device__ float warp_max(float v) {
          for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_down_sync(0xffffffff, v, o));
          return v;
        }
        __global__ void rowmax(const float* x, float* out, int rows, int cols) {
          int row = blockIdx.x * blockDim.y + threadIdx.y;
          if (row >= rows) return;
          float m = -INFINITY;
          for (int c = threadIdx.x; c < cols; c += 32) m = fmaxf(m, x[row * cols + c]);
          m = warp_max(m);
          if (threadIdx.x == 0) out[row] = m;
        }""")
    assert store(k) == "out[i0] = reduce_max(k1 < cols: x[cols*i0 + k1])"


def test_ternary_max_accumulation_and_tree(tmp_path):
    k = lift(tmp_path, TREE.format(init="-INFINITY", update="= x[row * cols + c] > acc ? x[row * cols + c] : acc",
                                   tree="sh[threadIdx.x] = sh[threadIdx.x + s] > sh[threadIdx.x] ? sh[threadIdx.x + s] : sh[threadIdx.x]",
                                   finish=""))
    assert store(k) == "out[i0] = reduce_max(k1 < cols: x[cols*i0 + k1])"


def test_row_guard_block_instead_of_early_return(tmp_path):
    k = lift(tmp_path, """
        __global__ void rowsum(const float* x, float* out, int rows, int cols) {
          __shared__ float sh[256];
          int row = blockIdx.x;
          if (row < rows) {
            float acc = 0.0f;
            for (int c = threadIdx.x; c < cols; c += blockDim.x) acc += x[row * cols + c];
            sh[threadIdx.x] = acc;
            __syncthreads();
            for (int s = blockDim.x / 2; s > 0; s >>= 1) {
              if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
              __syncthreads();
            }
            if (threadIdx.x == 0) out[row] = sh[0];
          }
        }""")
    assert store(k) == "out[i0] = reduce_add(k1 < cols: x[cols*i0 + k1])"
    assert str(k.lifted.operator.axes[0].extent) == "rows"


def test_non_type_template_block_size(tmp_path):
    k = lift(tmp_path, """
        template <int BLOCK>
        __global__ void rowsum(const float* x, float* out, int rows, int cols) {
          __shared__ float sh[BLOCK];
          int row = blockIdx.x;
          if (row >= rows) return;
          float acc = 0.0f;
          for (int c = threadIdx.x; c < cols; c += BLOCK) acc += x[row * cols + c];
          sh[threadIdx.x] = acc;
          __syncthreads();
          for (int s = BLOCK / 2; s > 0; s >>= 1) {
            if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
            __syncthreads();
          }
          if (threadIdx.x == 0) out[row] = sh[0];
        }
        void launch(const float* x, float* out, int rows, int cols) { rowsum<128><<<rows, 128>>>(x, out, rows, cols); }""")
    assert k.template_args == {"BLOCK": "128"} and k.lifted.block_requirements == {"x": 128}
    assert store(k) == "out[i0] = reduce_add(k1 < cols: x[cols*i0 + k1])"
