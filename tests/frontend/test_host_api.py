"""Finding CUDA host-API uses in a source file, with the mapping-table status of each."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cuda2cann.frontend.cuda.host_api import LAUNCH_NOTE, ApiUse, find_api_uses
from cuda2cann.mappings.tables import load_tables

HOST = b"""\
// Host code of a small training step. cudaMalloc, cublasSgemm and ncclAllReduce in this comment are not uses.
#include <cstdio>
#include <cuda_runtime.h>
#include "cublas_v2.h"
#include <cudnn.h>
#include <nccl.h>
#include <cuda/std/atomic>
#include "cuda_helpers.h"

#define CUDA_CHECK(call) do { cudaError_t err_ = (call); \\
    if (err_ != cudaSuccess) { printf("cudaMalloc failed: %s\\n", cudaGetErrorString(err_)); } } while (0)
#define CUBLAS_CHECK(call) if ((call) != CUBLAS_STATUS_SUCCESS) { /* cublasDestroy(h) */ }

__global__ void scale(float *x, float a, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) x[i] *= a;
}

static void cudaCheckLast(const char *where) {
  cudaError_t cudaStatus = cudaPeekAtLastError();
  if (cudaStatus != cudaSuccess) printf("%s: cudaFree(%s)\\n", where, "cudaStream_t");
}

int step(ncclComm_t comm, cudnnHandle_t dnn, int n) {
  cudaStream_t stream;
  CUDA_CHECK(cudaStreamCreate(&stream));
  float *d_a, *d_b, *d_c;
  CUDA_CHECK(cudaMalloc((void **)&d_a, n * n * sizeof(float)));
  cudaMemcpyAsync(d_a, d_b, n * sizeof(float), cudaMemcpyHostToDevice, stream);
  cublasHandle_t h;
  cublasCreate(&h);
  const float alpha = 1.0f, beta = 0.0f;
  CUBLAS_CHECK(cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_T, n, n, n, &alpha, d_a, n, d_b, n, &beta, d_c, n));
  cublasFancyNewGemm(h);  // not in the table: unknown
  cudnnTensorDescriptor_t desc;
  cudnnCreateTensorDescriptor(&desc);
  cudnnSetTensor4dDescriptor(desc, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, 1, 1, n, n);
  cudnnSoftmaxForward(dnn, CUDNN_SOFTMAX_ACCURATE, CUDNN_SOFTMAX_MODE_CHANNEL, &alpha, desc, d_a, &beta, desc, d_c);
  scale<<<(n + 255) / 256, 256, 0, stream>>>(d_c, 2.0f, n);
  cudaCheckLast("scale");
  ncclAllReduce(d_c, d_c, n, ncclFloat, ncclSum, comm, stream);
  ncclGroupStart();
  cudaStreamSynchronize(stream);
  cudaFree(d_a);
  return CUDNN_FUTURE_FLAG;
}
"""

EXPECTED = [
    ("cuda_runtime.h", "header", "exact", 3),
    ("cublas_v2.h", "header", "approximate", 4),
    ("cudnn.h", "header", "approximate", 5),
    ("nccl.h", "header", "exact", 6),
    ("cuda/std/atomic", "header", "unknown", 7),
    ("cudaError_t", "type", "exact", 10),
    ("cudaSuccess", "enum", "exact", 11),
    ("cudaGetErrorString", "function", "approximate", 11),
    ("CUBLAS_STATUS_SUCCESS", "enum", "exact", 12),
    ("cudaError_t", "type", "exact", 20),
    ("cudaPeekAtLastError", "function", "approximate", 20),
    ("cudaSuccess", "enum", "exact", 21),
    ("ncclComm_t", "type", "exact", 24),
    ("cudnnHandle_t", "type", "approximate", 24),
    ("cudaStream_t", "type", "exact", 25),
    ("cudaStreamCreate", "function", "exact", 26),
    ("cudaMalloc", "function", "exact", 28),
    ("cudaMemcpyAsync", "function", "exact", 29),
    ("cudaMemcpyHostToDevice", "enum", "exact", 29),
    ("cublasHandle_t", "type", "approximate", 30),
    ("cublasCreate", "function", "approximate", 31),
    ("cublasSgemm", "function", "exact", 33),
    ("CUBLAS_OP_N", "enum", "approximate", 33),
    ("CUBLAS_OP_T", "enum", "approximate", 33),
    ("cublasFancyNewGemm", "function", "unknown", 34),
    ("cudnnTensorDescriptor_t", "type", "approximate", 35),
    ("cudnnCreateTensorDescriptor", "function", "approximate", 36),
    ("cudnnSetTensor4dDescriptor", "function", "approximate", 37),
    ("CUDNN_TENSOR_NCHW", "enum", "exact", 37),
    ("CUDNN_DATA_FLOAT", "enum", "exact", 37),
    ("cudnnSoftmaxForward", "function", "approximate", 38),
    ("CUDNN_SOFTMAX_ACCURATE", "enum", "approximate", 38),
    ("CUDNN_SOFTMAX_MODE_CHANNEL", "enum", "approximate", 38),
    ("scale", "launch", "unknown", 39),
    ("ncclAllReduce", "function", "exact", 41),
    ("ncclFloat", "enum", "exact", 41),
    ("ncclSum", "enum", "exact", 41),
    ("ncclGroupStart", "function", "unsupported", 42),
    ("cudaStreamSynchronize", "function", "exact", 43),
    ("cudaFree", "function", "exact", 44),
    ("CUDNN_FUTURE_FLAG", "enum", "unknown", 45),
]


def summary(uses: list[ApiUse]) -> list[tuple[str, str, str, int]]:
    return [(u.name, u.kind, u.status, u.line) for u in uses]


def uses_of(source: str) -> list[ApiUse]:
    return find_api_uses(textwrap.dedent(source).encode(), "t.cu")


def test_realistic_host_file_exact_list():
    assert summary(find_api_uses(HOST, "host.cu")) == EXPECTED


def test_names_in_comments_and_strings_are_not_reported():
    uses = find_api_uses(HOST, "host.cu")
    lines = HOST.decode().splitlines()
    # line 1 (comment), the string in the macro on line 11, line 21's strings, line 12's /* cublasDestroy */
    assert [u.name for u in uses if u.line == 1] == []
    assert "cudaMalloc" not in [u.name for u in uses if u.line == 11]
    assert "cudaFree" not in [u.name for u in uses if u.line == 21] and "cudaStream_t" not in [u.name for u in uses if u.line == 21]
    assert "cublasDestroy" not in {u.name for u in uses}
    assert "cudaMalloc" in lines[0] and "cublasDestroy" in lines[11]  # the test file really has them


def test_spans_cover_exactly_the_name():
    for u in find_api_uses(HOST, "host.cu"):
        assert HOST[u.start_byte:u.end_byte].decode() == u.name
        line = HOST.decode().splitlines()[u.line - 1]
        assert line[u.column - 1:u.end_column - 1] == u.name
        assert u.end_line == u.line


def test_mapping_details_are_carried():
    by_name = {u.name: u for u in find_api_uses(HOST, "host.cu")}
    assert (by_name["cudaMalloc"].library, by_name["cudaMalloc"].target) == ("cuda_runtime", "aclrtMalloc")
    assert "destMax" in by_name["cudaMemcpyAsync"].note
    assert by_name["ncclFloat"].target == "HCCL_DATA_TYPE_FP32"
    assert by_name["cudaMemcpyHostToDevice"].target == "ACL_MEMCPY_HOST_TO_DEVICE"
    assert by_name["cuda_runtime.h"].target == "acl/acl.h"
    assert by_name["nccl.h"].target == "hccl/hccl.h"
    launch = by_name["scale"]
    assert (launch.library, launch.target, launch.note) == ("cuda_runtime", "", LAUNCH_NOTE)
    unknown = by_name["cublasFancyNewGemm"]
    assert (unknown.library, unknown.target) == ("cublas", "")
    assert "cublas" in unknown.note and "mapping table" in unknown.note


def test_deterministic_and_ordered():
    first = find_api_uses(HOST, "host.cu")
    assert first == find_api_uses(HOST, "host.cu")
    assert [u.start_byte for u in first] == sorted(u.start_byte for u in first)


def test_unknown_names_of_each_library():
    uses = uses_of("""
        void f() {
          cudaFancyAlloc(&p, 4);
          cudnnNewFusedOp(h);
          ncclAllToAllFancy(a, b);
          curandGenerateMagic(g);
          cufftExecMagic(plan);
          cublasLtMatmulSomethingNew(lt);
          cudaNewEnumValue + 1;
          cudnnShinyDescriptor_t d;
        }
    """)
    assert [(u.name, u.library, u.kind, u.status) for u in uses] == [
        ("cudaFancyAlloc", "cuda_runtime", "function", "unknown"),
        ("cudnnNewFusedOp", "cudnn", "function", "unknown"),
        ("ncclAllToAllFancy", "nccl", "function", "unknown"),
        ("curandGenerateMagic", "curand", "function", "unknown"),
        ("cufftExecMagic", "cufft", "function", "unknown"),
        ("cublasLtMatmulSomethingNew", "cublas", "function", "unknown"),
        ("cudaNewEnumValue", "cuda_runtime", "enum", "unknown"),
        ("cudnnShinyDescriptor_t", "cudnn", "type", "unknown"),
    ]


def test_names_the_file_declares_are_not_unknown_apis():
    uses = uses_of("""
        #define cudaCheck(x) x
        #define CUBLAS_CHECK(x) x
        typedef int cudaLocal_t;
        struct cudaHelper { int cudaField; };
        enum { CUDNN_MY_FLAG = 1 };
        static int cudaSafeCall(int cudaErr) { return cudaErr; }
        void g() {
          int cudaCount = cudaSafeCall(0);
          cudaLocal_t v = CUDNN_MY_FLAG;
          cudaCheck(cudaCount);
          CUBLAS_CHECK(v);
          cudaHelper h;
        }
    """)
    assert summary(uses) == []


def test_declaring_a_table_name_is_not_a_use_but_calling_it_is():
    uses = uses_of("""
        cudaError_t cudaMalloc(void **p, size_t n) { *p = malloc(n); return cudaSuccess; }
        void h(void **p) { cudaMalloc(p, 4); }
    """)
    assert summary(uses) == [("cudaError_t", "type", "exact", 2), ("cudaSuccess", "enum", "exact", 2),
                             ("cudaMalloc", "function", "exact", 3)]


def test_uses_in_macro_bodies_point_into_the_define_line():
    source = textwrap.dedent("""\
        #define ALLOC(p, n) \\
            cudaMalloc(&(p), (n)) /* not cudaFree(p) */
        #define STREAM_T cudaStream_t  // cudaEvent_t here is a comment
        #define MSG "cudaMemset"
    """).encode()
    uses = find_api_uses(source, "m.cu")
    assert summary(uses) == [("cudaMalloc", "function", "exact", 2), ("cudaStream_t", "type", "exact", 3)]
    for u in uses:
        assert source[u.start_byte:u.end_byte].decode() == u.name
    assert uses[0].column == 5


def test_qualified_and_template_calls_and_launch_forms():
    uses = uses_of("""
        template <typename T> __global__ void k(T *x) {}
        void f(float *x, cudaStream_t s) {
          ::cudaDeviceSynchronize();
          k<float><<<dim3(4), dim3(256), 0, s>>>(x);
          auto free_fn = &cudaFree;
          size_t bytes = sizeof(cudnnHandle_t);
        }
    """)
    assert summary(uses) == [
        ("cudaStream_t", "type", "exact", 3),
        ("cudaDeviceSynchronize", "function", "exact", 4),
        ("k", "launch", "unknown", 5),
        ("dim3", "type", "approximate", 5),
        ("dim3", "type", "approximate", 5),
        ("cudaFree", "function", "exact", 6),
        ("cudnnHandle_t", "type", "approximate", 7),
    ]


def test_includes_known_unknown_and_local():
    uses = uses_of("""
        #include <cuda_fp16.h>
        #include <cublasLt.h>
        #include <cudnn_ops_infer.h>
        #include <curand_kernel.h>
        #include "cuda_utils.h"
        #include <ATen/cuda/CUDAContext.h>
        #include HEADER_MACRO
        #include <vector>
    """)
    assert [(u.name, u.library, u.status) for u in uses] == [
        ("cuda_fp16.h", "cuda_runtime", "approximate"),
        ("cublasLt.h", "cublas", "unsupported"),
        ("cudnn_ops_infer.h", "cudnn", "unknown"),
        ("curand_kernel.h", "curand", "unsupported"),
    ]


def test_preprocessor_conditions_are_uses():
    uses = uses_of("""
        #if defined(CUDART_VERSION) && CUDNN_MAJOR >= 8
        int x;
        #endif
        #ifdef NCCL_VERSION_CODE
        #endif
    """)
    assert [(u.name, u.status) for u in uses] == [("CUDART_VERSION", "approximate"), ("CUDNN_MAJOR", "approximate"),
                                                  ("NCCL_VERSION_CODE", "approximate")]


def test_columns_count_characters_and_lines_are_one_based():
    source = "/* é */ cudaFree(p);\n".encode()
    (use,) = find_api_uses(source, "u.cu")
    assert (use.line, use.column, use.end_column) == (1, 9, 17)
    assert source[use.start_byte:use.end_byte] == b"cudaFree"


def test_broken_code_still_reports_what_it_can():
    uses = uses_of("""
        void f( {
          cudaMalloc(&p, 4
          cublasSgemm(h,
        }
    """)
    assert {u.name for u in uses} >= {"cudaMalloc", "cublasSgemm"}


def test_custom_tables(tmp_path: Path):
    (tmp_path / "mylib.toml").write_text(textwrap.dedent("""
        [library]
        name = "mylib"
        title = "MyLib"
        identifier_patterns = ["^my[A-Z]"]
        constant_patterns = []
        header_prefixes = ["mylib"]

        [function]
        myRun = { target = "aclrtLaunchKernel", status = "approximate", note = "One sentence." }
    """))
    uses = find_api_uses(b"void f() { myRun(); myOther(); cudaMalloc(0, 0); }\n", "c.cu", tables=load_tables(tmp_path))
    assert [(u.name, u.library, u.status) for u in uses] == [("myRun", "mylib", "approximate"), ("myOther", "mylib", "unknown")]


def test_rejects_text():
    with pytest.raises(TypeError, match=r"x\.cu"):
        find_api_uses("cudaMalloc(p, 4);", "x.cu")  # type: ignore[arg-type]
