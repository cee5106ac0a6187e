"""Per-block partial results (issue #4): the first kernel of a grid-level two-pass reduction.

`if (threadIdx.x == 0) partial[blockIdx.x] = share` after a grid-strided loop and a block collective: block b reduces
the segments [(j * gridDim.x + b) * blockDim.x, + blockDim.x) of the input. The port takes gridDim.x and blockDim.x
as parameters and copies each block's segments with strided DataCopyPads (a batch of segments per copy when a segment
is a 32-byte multiple, one at a time otherwise)."""
from __future__ import annotations

from pathlib import Path

import pytest

from cuda2cann.backends.ascendc.syntax_check import cann_root, syntax_check
from cuda2cann.ir.printer import format_node
from cuda2cann.validate.harness import ValidateOptions
from cuda2cann.validate.spec import load_spec
from tests.backends.helpers import translate_text, validate_mutant
from tests.frontend.helpers import lift_text

TREE = """
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {{
      if (threadIdx.x < s) sh[threadIdx.x] {combine};
      __syncthreads();
    }}"""

KERNELS = {
    # the classic first pass: grid-strided sum, shared-memory tree, thread 0 stores
    "block_sums": """
        __global__ void block_sums(const float* x, float* partial, int n) {
          __shared__ float sh[256];
          float acc = 0.0f;
          for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) acc += x[i] * x[i];
          sh[threadIdx.x] = acc;
          __syncthreads();""" + TREE.format(combine="+= sh[threadIdx.x + s]") + """
          if (threadIdx.x == 0) partial[blockIdx.x] = sh[0];
        }
        void launch(const float* x, float* partial, int n) { block_sums<<<48, 256>>>(x, partial, n); }""",
    # segments of 4 floats (16 bytes): not 32-byte multiples, so copied one at a time
    "narrow_block_min": """
        __global__ void narrow_block_min(const float* x, float* partial, int n) {
          __shared__ float sh[4];
          float m = INFINITY;
          for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) m = fminf(m, x[i]);
          sh[threadIdx.x] = m;
          __syncthreads();""" + TREE.format(combine="= fminf(sh[threadIdx.x], sh[threadIdx.x + s])") + """
          if (threadIdx.x == 0) partial[blockIdx.x] = sh[0];
        }
        void launch(const float* x, float* partial, int n) { narrow_block_min<<<7, 4>>>(x, partial, n); }""",
    # exact int32 counts, half inputs
    "block_counts": """
        #include <cuda_fp16.h>
        __global__ void block_counts(const __half* x, int* counts, int n) {
          __shared__ int sh[128];
          int c = 0;
          for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) c += __half2float(x[i]) > 0.5f;
          sh[threadIdx.x] = c;
          __syncthreads();""" + TREE.format(combine="+= sh[threadIdx.x + s]") + """
          if (threadIdx.x == 0) counts[blockIdx.x] = sh[0];
        }
        void launch(const __half* x, int* counts, int n) { block_counts<<<32, 128>>>(x, counts, n); }""",
    # one element per thread (no grid-stride loop), the CUDA samples' first pass: block b reduces [b * B, + B) ∩ [0, n)
    "block_max_once": """
        __global__ void block_max_once(const float* x, float* partial, int n) {
          __shared__ float sh[256];
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          sh[threadIdx.x] = i < n ? fabsf(x[i]) : -INFINITY;
          __syncthreads();""" + TREE.format(combine="= fmaxf(sh[threadIdx.x], sh[threadIdx.x + s])") + """
          if (threadIdx.x == 0) partial[blockIdx.x] = sh[0];
        }
        void launch(const float* x, float* partial, int n) { block_max_once<<<(n + 255) / 256, 256>>>(x, partial, n); }""",
    # the same elements added atomically by thread 0 of each block: a full sum over every k < n
    "sum_once_atomic": """
        __global__ void sum_once_atomic(const float* x, float* out, int n) {
          __shared__ float sh[128];
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          sh[threadIdx.x] = (i < n) ? x[i] * 2.0f : 0.0f;
          __syncthreads();""" + TREE.format(combine="+= sh[threadIdx.x + s]") + """
          if (threadIdx.x == 0) atomicAdd(out, sh[0]);
        }
        void launch(const float* x, float* out, int n) { sum_once_atomic<<<(n + 127) / 128, 128>>>(x, out, n); }""",
}

PER_BLOCK = ["block_sums", "narrow_block_min", "block_counts", "block_max_once"]


def translate(tmp_path: Path, name: str, **kw):
    return translate_text(tmp_path, name, KERNELS[name], **kw)


def test_a_block_share_stored_per_block_reduces_the_blocks_segments(tmp_path):
    k = lift_text(tmp_path, KERNELS["block_sums"])
    op = k.lifted.operator
    (store,) = op.stores
    assert f"{store.tensor}[{store.index}]" == "partial[i0]" and str(op.axes[0].extent) == "c2c_grid_dim_x"
    assert format_node(store.value) == ("reduce_add(k1 < n: select(eq(mod(div(index(k1):int64, %c2c_block_dim_x), "
                                        "%c2c_grid_dim_x), index(i0):int64), mul(x[k1], x[k1]), 0.0))")
    assert [p.name for p in op.params][-2:] == ["c2c_grid_dim_x", "c2c_block_dim_x"]


def test_one_element_per_thread_is_a_block_of_contiguous_elements(tmp_path):
    k = lift_text(tmp_path, KERNELS["block_max_once"])
    assert format_node(k.lifted.operator.stores[0].value) == (
        "reduce_max(k1 < n: select(eq(div(index(k1):int64, %c2c_block_dim_x), index(i0):int64), abs(x[k1]), -inf))")


@pytest.mark.parametrize("name", list(KERNELS))
def test_per_block_partials_are_equivalent(tmp_path, name):
    record = translate(tmp_path, name, validate=True, options=ValidateOptions(cases=4, seed=11, devices=False))
    assert record.status == "translated" and record.op_class == "reduction", record.findings
    assert record.validation == "equivalent", record.validation_message
    spec = load_spec(next(Path(record.output).glob("*.c2c.toml")))
    if name in PER_BLOCK:
        assert [e.text for e in spec.cuda.grid] == ["c2c_grid_dim_x"] and [e.text for e in spec.cuda.block] == ["c2c_block_dim_x"]
    else:  # a full sum: the launch covers the n elements, one per thread
        assert [e.text for e in spec.cuda.grid] == ["ceil_div(max(n, 1), 128)"]


@pytest.mark.parametrize(("store", "fragment"), [
    ("sh[threadIdx.x] = x[i];", "must be read under a bounds guard"),
    ("sh[threadIdx.x] = i < n ? x[i] : 0.0f;", "must contribute the max reduction's identity (-inf), not 0.0"),
    ("sh[threadIdx.x] = i < n ? x[threadIdx.x] : -INFINITY;", "depends on the thread other than through i"),
])
def test_one_element_per_thread_near_misses(tmp_path, store, fragment):
    k = lift_text(tmp_path, """
        __global__ void k(const float* x, float* partial, int n) {
          __shared__ float sh[256];
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          """ + store + """
          __syncthreads();""" + TREE.format(combine="= fmaxf(sh[threadIdx.x], sh[threadIdx.x + s])") + """
          if (threadIdx.x == 0) partial[blockIdx.x] = sh[0];
        }""")
    assert k.lifted is None and k.code == "C2C101" and fragment in k.message, k.message


def test_the_block_size_of_the_launch_site_is_the_one_validated(tmp_path):
    record = translate(tmp_path, "narrow_block_min")
    spec = (next(Path(record.output).glob("*.c2c.toml"))).read_text()
    assert "c2c_block_dim_x = { min = 4, max = 4 }" in spec and "c2c_grid_dim_x = { min = 1, max = 160 }" in spec


@pytest.mark.parametrize(("name", "old", "new"), [
    # segments read one gap too far apart
    ("block_sums", "CopySegments(first + s * stride, m, static_cast<uint32_t>(block), stride - block);",
     "CopySegments(first + s * stride, m, static_cast<uint32_t>(block), stride);"),
    # the last, partial segment of a block dropped
    ("block_sums", "if (tail < total) {", "if (tail < total && false) {"),
    # a narrow segment batch treated as contiguous in UB
    ("narrow_block_min", "% 32 == 0 ? CHUNK_ELEMS / static_cast<uint32_t>(block) : 1;",
     "% 32 == 0 ? CHUNK_ELEMS / static_cast<uint32_t>(block) : 2;"),
    # the accumulator's identity fill one repeat short (UB starts as 0xFF garbage on cann-cpu)
    ("block_sums", "static_cast<uint32_t>((rowElems + 63) / 64 * 64)", "static_cast<uint32_t>((rowElems + 63) / 64 * 64 - 64)"),
    # one element per thread: a block reading its neighbour's segment too
    ("block_max_once", "full = full > 1 ? 1 : full;", "full = full > 2 ? 2 : full;"),
])
def test_planted_segment_bugs_are_mismatches(tmp_path, name, old, new):
    record = translate(tmp_path, name)
    assert validate_mutant(record, name, old, new, seed=3) == "mismatch"


@pytest.mark.skipif(cann_root() is None, reason="set CUDA2CANN_CANN_ROOT to a CANN toolkit to check against the real headers")
@pytest.mark.parametrize("name", PER_BLOCK)
def test_per_block_partials_compile_with_the_real_headers(tmp_path, name):
    record = translate(tmp_path, name)
    assert syntax_check(Path(record.output) / f"{name}.cpp", cann_root()) == []
