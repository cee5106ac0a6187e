"""CUB and cooperative-groups reductions (issue #4) lift to the same reduce nodes as hand-written idioms."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cuda2cann.translate import translate_tree
from cuda2cann.validate.harness import ValidateOptions
from tests.frontend.helpers import lift_text
from tests.frontend.helpers import store_of as store

HEADER = """
#include <cub/cub.cuh>
#include <cooperative_groups.h>
#include <cooperative_groups/reduce.h>
namespace cg = cooperative_groups;
"""
ROW = """
__global__ void k(const float* x, float* out, int rows, int cols) {{
  {decl}
  int row = blockIdx.x;
  if (row >= rows) return;
  float acc = {init};
  for (int c = threadIdx.x; c < cols; c += blockDim.x) acc = {update};
  {combine}
}}
void launch(const float* x, float* out, int rows, int cols) {{ k<<<rows, {block}>>>(x, out, rows, cols); }}
"""
SUM = dict(init="0.0f", update="acc + x[row * cols + c]", block="256")
CASES = {
    "cub_sum": dict(SUM, decl="typedef cub::BlockReduce<float, 256> BR; __shared__ typename BR::TempStorage temp;",
                    combine="float total = BR(temp).Sum(acc); if (threadIdx.x == 0) out[row] = total;"),
    "cub_max": dict(init="-INFINITY", update="fmaxf(acc, x[row * cols + c])", block="128",
                    decl="using BR = cub::BlockReduce<float, 128>; __shared__ typename BR::TempStorage temp;",
                    combine="float m = BR(temp).Reduce(acc, cub::Max()); if (threadIdx.x == 0) out[row] = m;"),
    "cg_two_level": dict(SUM, decl="__shared__ float sh[32];", combine="""
        cg::thread_block block = cg::this_thread_block();
        auto tile = cg::tiled_partition<32>(block);
        acc = cg::reduce(tile, acc, cg::plus<float>());
        if (tile.thread_rank() == 0) sh[tile.meta_group_rank()] = acc;
        block.sync();
        acc = block.thread_rank() < block.size() / 32 ? sh[tile.thread_rank()] : 0.0f;
        if (tile.meta_group_rank() == 0) acc = cg::reduce(tile, acc, cg::plus<float>());
        if (block.thread_rank() == 0) out[row] = acc;"""),
    "cg_tile_shuffles": dict(SUM, block="32", decl="", combine="""
        cg::thread_block_tile<32> tile = cg::tiled_partition<32>(cg::this_thread_block());
        for (int o = tile.size() / 2; o > 0; o /= 2) acc += tile.shfl_down(acc, o);
        if (tile.thread_rank() == 0) out[row] = acc;"""),
    "cub_warp_two_level": dict(SUM, decl="__shared__ float sh[32]; __shared__ cub::WarpReduce<float>::TempStorage wt[8];", combine="""
        int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
        acc = cub::WarpReduce<float>(wt[warp]).Sum(acc);
        if (lane == 0) sh[warp] = acc;
        __syncthreads();
        acc = threadIdx.x < blockDim.x / 32 ? sh[lane] : 0.0f;
        if (warp == 0) acc = cub::WarpReduce<float>(wt[0]).Sum(acc);
        if (threadIdx.x == 0) out[row] = acc;"""),
}


def source(name: str) -> str:
    return HEADER + textwrap.dedent(ROW.format(**CASES[name]))





def lift(tmp_path: Path, text: str):
    return lift_text(tmp_path, text)


@pytest.mark.parametrize("name", sorted(CASES))
def test_library_reductions_lift_to_one_reduce(tmp_path, name):
    op = "max" if name == "cub_max" else "add"
    assert store(lift(tmp_path, source(name))) == f"out[i0] = reduce_{op}(k1 < cols: x[cols*i0 + k1])"


@pytest.mark.parametrize("name", ["cub_sum", "cg_two_level"])
def test_library_reductions_are_equivalent(tmp_path, name):
    src = tmp_path / "src"
    src.mkdir()
    (src / "k.cu").write_text(source(name))
    (record,) = translate_tree(src, tmp_path / "out", validate=True, options=ValidateOptions(cases=2, seed=3, devices=False))
    assert record.validation == "equivalent", (record.findings, record.validation_message)


@pytest.mark.parametrize(("name", "edit", "fragment"), [
    ("cub_sum", ("if (threadIdx.x == 0) out[row] = total;", "out[row] = total;"), "complete in thread 0 only"),
    ("cub_sum", ("BR(temp).Sum(acc)", "BR(temp).Sum(acc, cols)"), "partial tiles"),
    ("cub_sum", ("BR(temp).Sum(acc)", "BR(temp).Sum(x[row])"), "not a partial of the same reduction"),
    ("cub_max", ("cub::Max()", "MyMax()"), "user functors"),
    ("cg_two_level", ("cg::tiled_partition<32>", "cg::tiled_partition<16>"), "tiles of 16 threads"),
    ("cg_two_level", ("cg::plus<float>()", "cg::greater<float>()"), "not a partial of the same reduction"),
])
def test_library_near_misses_stay_unported(tmp_path, name, edit, fragment):
    text = source(name)
    assert edit[0] in text
    k = lift(tmp_path, text.replace(*edit, 1))
    assert k.lifted is None and k.code == "C2C101", "lifted"
    assert fragment in k.message
