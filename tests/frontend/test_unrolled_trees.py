"""Unrolled shared-memory trees (issue #4): a halving loop that stops early and the last warp written out, or every
step written out for a template block size. Steps must halve the lanes that hold combinations, run in every lane
below their offset and follow a barrier; the legacy warp-synchronous form without __syncwarp is refused."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.frontend.helpers import lift_text
from tests.frontend.helpers import store_of as store

CORPUS = Path(__file__).resolve().parents[2] / "op_corpus" / "reductions"


def lift_corpus(tmp_path: Path, name: str, *edits: tuple[str, str]):
    text = (CORPUS / f"{name}.cu").read_text()
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    return lift_text(tmp_path, text)


@pytest.mark.parametrize(("name", "expected", "block"), [
    ("row_sum_unrolled_last_warp", "out[i0] = reduce_add(k1 < cols: x[cols*i0 + k1])", None),
    ("row_max_template_unrolled", "out[i0] = reduce_max(k1 < cols: x[cols*i0 + k1])", 512),
])
def test_unrolled_trees_are_the_rows_reduction(tmp_path, name, expected, block):
    k = lift_corpus(tmp_path, name)
    assert store(k) == expected
    assert k.lifted.block_requirements.get("x") == block


@pytest.mark.parametrize(("name", "edits", "fragment"), [
    # the legacy last warp: no barrier between the steps
    ("nearmiss_warp_synchronous_legacy", (), "relies on a warp running in lockstep"),
    # a step skipped: 32 then 8 leaves lanes 8..15 uncombined
    ("row_sum_unrolled_last_warp", (("  sdata[tid] += sdata[tid + 16];\n  __syncwarp();\n", ""),),
     "where 32 lanes hold partial combinations"),
    # the last warp's steps run by half a warp only
    ("row_sum_unrolled_last_warp", (("if (tid < 32) warp_reduce", "if (tid < 16) warp_reduce"),),
     "taken by lanes below 16 only"),
    # the tree loop stops at 64 lanes but the written-out steps start at 16
    ("row_sum_unrolled_last_warp", (("  sdata[tid] += sdata[tid + 32];\n  __syncwarp();\n", ""),),
     "where 64 lanes hold partial combinations"),
    # a barrier missing between two steps across warps
    ("row_max_template_unrolled", (("sh[tid] = fmaxf(sh[tid], sh[tid + 128]);\n    __syncthreads();",
                                    "sh[tid] = fmaxf(sh[tid], sh[tid + 128]);"),),
     "reads lanes written since the last barrier"),
])
def test_unrolled_tree_near_misses_stay_unported(tmp_path, name, edits, fragment):
    k = lift_corpus(tmp_path, name, *edits)
    assert k.lifted is None and k.code == "C2C101", k
    assert fragment in k.message, k.message
