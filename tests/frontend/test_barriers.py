"""Barriers around shared memory (issue #4): a tree, a two-level reduction or a published value read by other threads
before a `__syncthreads()` is a race (on a GPU, and under cuda-cpu's sequential threads a different result): such
kernels are refused with the missing barrier named, never translated as if the race did not exist."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.frontend.helpers import lift_text

CORPUS = Path(__file__).resolve().parents[2] / "op_corpus" / "reductions"


def lift_corpus(tmp_path: Path, name: str, old: str, new: str):
    text = (CORPUS / f"{name}.cu").read_text()
    assert text.count(old) == 1, old
    return lift_text(tmp_path, text.replace(old, new))


@pytest.mark.parametrize(("name", "old", "new", "fragment"), [
    # the lanes' partials stored, then the tree starts without a barrier
    ("block_partial_sums", "  sh[threadIdx.x] = acc;\n  __syncthreads();\n", "  sh[threadIdx.x] = acc;\n",
     "the tree reads the lanes' partials in sh before a barrier"),
    # no barrier between two steps of the tree loop
    ("block_partial_sums", "    if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];\n    __syncthreads();\n",
     "    if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];\n", "a tree step is not followed by a barrier"),
    # per-warp results read back before a barrier
    ("block_partial_absmax_two_level", "  if (lane == 0) warp_results[warp] = m;\n  __syncthreads();\n",
     "  if (lane == 0) warp_results[warp] = m;\n", "the per-warp results in warp_results are read before a barrier"),
    # a (value, index) tree without the barrier in its loop
    ("row_argmax_block_pairs", "    }\n    __syncthreads();\n  }\n  if (threadIdx.x == 0) token",
     "    }\n  }\n  if (threadIdx.x == 0) token", "a tree step is not followed by a barrier"),
    # one element per thread stored, then the tree starts without a barrier
    ("block_partial_sums_once", "  sdata[tid] = (i < n) ? in[i] : 0.0f;\n  __syncthreads();\n", "  sdata[tid] = (i < n) ? in[i] : 0.0f;\n",
     "the tree reads the lanes' partials in sdata before a barrier"),
    # the row's max read by every thread, then the same array reused for the sums without a barrier in between
    ("softmax_block", "  float row_max = shared[0];\n  __syncthreads();\n", "  float row_max = shared[0];\n",
     "shared is overwritten while other threads may still be reading what it held"),
])
def test_missing_barriers_are_refused(tmp_path, name, old, new, fragment):
    k = lift_corpus(tmp_path, name, old, new)
    assert k.lifted is None and k.code == "C2C101", k
    assert fragment in k.message, k.message


def test_a_published_value_read_by_every_thread_needs_a_barrier(tmp_path):
    source = """
        __global__ void k(const float* x, float* y, int n) {
          __shared__ float sh[256];
          __shared__ float total;
          float acc = 0.0f;
          for (int c = threadIdx.x; c < n; c += blockDim.x) acc += x[blockIdx.x * n + c];
          sh[threadIdx.x] = acc;
          __syncthreads();
          for (int s = blockDim.x / 2; s > 0; s >>= 1) {
            if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
            __syncthreads();
          }
          if (threadIdx.x == 0) total = sh[0] / n;
          BARRIER
          for (int c = threadIdx.x; c < n; c += blockDim.x) y[blockIdx.x * n + c] = x[blockIdx.x * n + c] - total;
        }"""
    assert lift_text(tmp_path, source.replace("BARRIER", "__syncthreads();")).lifted is not None
    k = lift_text(tmp_path, source.replace("BARRIER", ""))
    assert k.lifted is None and "total is read by other threads than its writer before a barrier" in k.message, k.message
