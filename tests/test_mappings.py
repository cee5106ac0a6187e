"""The CUDA → CANN mapping tables: loading, validation errors, coverage, and the generated support page."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cuda2cann.mappings import KINDS, STATUSES, MappingError, default_tables, load_library, load_tables
from cuda2cann.mappings.docs import main as docs_main
from cuda2cann.mappings.docs import render_api_support

ROOT = Path(__file__).resolve().parents[1]

#: CANN names recorded in shared/reference/ascendc_facts.md §4 (ACL), §4.1 (aclnn) and §4.2 (HCCL; enumerators
#: spelled in full as in hccl_types.h). A target outside this list is a name nobody has checked.
_RECORDED = """
    acl/acl.h aclnnop/aclnn_matmul.h hccl/hccl.h
    aclError aclrtStream aclrtEvent aclrtMemcpyKind aclDataType aclFormat aclTensor
    aclInit aclFinalize aclrtSetDevice aclrtResetDevice aclrtGetDevice aclrtGetDeviceCount aclrtCreateStream
    aclrtDestroyStream aclrtMalloc aclrtMallocHost aclrtFreeHost aclrtFree aclrtMemcpy aclrtMemcpyAsync aclrtMemcpy2d
    aclrtMemcpy2dAsync aclrtMemset aclrtMemsetAsync aclrtSynchronizeStream aclrtSynchronizeDevice aclrtCreateEvent
    aclrtCreateEventWithFlag aclrtRecordEvent aclrtSynchronizeEvent aclrtEventElapsedTime aclrtStreamWaitEvent
    aclrtQueryEventStatus aclrtDestroyEvent aclrtGetMemInfo aclrtDeviceCanAccessPeer aclrtGetLastError
    aclrtPeekAtLastError aclGetRecentErrMsg aclrtGetSocName aclrtLaunchKernel
    ACL_SUCCESS ACL_ERROR_INVALID_PARAM ACL_ERROR_RT_PARAM_INVALID ACL_ERROR_RT_MEMORY_ALLOCATION ACL_EVENT_SYNC
    ACL_EVENT_TIME_LINE ACL_MEMCPY_HOST_TO_HOST ACL_MEMCPY_HOST_TO_DEVICE ACL_MEMCPY_DEVICE_TO_HOST
    ACL_MEMCPY_DEVICE_TO_DEVICE ACL_MEMCPY_DEFAULT ACL_FLOAT ACL_FLOAT16 ACL_INT8 ACL_INT32 ACL_UINT8 ACL_INT16
    ACL_UINT16 ACL_UINT32 ACL_INT64 ACL_UINT64 ACL_DOUBLE ACL_BOOL ACL_COMPLEX64 ACL_COMPLEX128 ACL_BF16
    ACL_FORMAT_NCHW ACL_FORMAT_NHWC ACL_FORMAT_ND
    aclCreateTensor aclCreateScalar aclCreateIntArray aclDestroyTensor aclnnInit aclnnFinalize ACLNN_SUCCESS
    aclnnMatmul aclnnMm aclnnBatchMatMul aclnnAddmm aclnnInplaceAddmm aclnnConvolution aclnnConvolutionGetWorkspaceSize
    aclnnSoftmax aclnnLayerNorm aclnnBatchNorm aclnnRelu aclnnGelu aclnnSigmoid aclnnTanh aclnnSilu
    aclnnMaxPool2dWithIndices aclnnAvgPool2d aclnnAdd
    HcclGetRootInfo HcclCommInitRootInfo HcclCommInitAll HcclCommDestroy HcclAllReduce HcclBroadcast HcclReduceScatter
    HcclAllGather HcclReduce HcclSend HcclRecv HcclBarrier HcclGetRankSize HcclGetRankId HcclGetErrorString
    HcclComm HcclRootInfo HcclResult HcclDataType HcclReduceOp HCCL_SUCCESS
    HCCL_REDUCE_SUM HCCL_REDUCE_PROD HCCL_REDUCE_MAX HCCL_REDUCE_MIN
    HCCL_DATA_TYPE_INT8 HCCL_DATA_TYPE_INT16 HCCL_DATA_TYPE_INT32 HCCL_DATA_TYPE_FP16 HCCL_DATA_TYPE_FP32
    HCCL_DATA_TYPE_INT64 HCCL_DATA_TYPE_UINT64 HCCL_DATA_TYPE_UINT8 HCCL_DATA_TYPE_UINT16 HCCL_DATA_TYPE_UINT32
    HCCL_DATA_TYPE_FP64 HCCL_DATA_TYPE_BFP16
"""
RECORDED_CANN_NAMES = frozenset(_RECORDED.split())

GOOD_HEADER = """\
[library]
name = "{name}"
title = "Bad"
identifier_patterns = ["^bad[A-Z]"]
constant_patterns = ["^BAD_"]
header_prefixes = ["bad"]
"""


def write_table(directory: Path, body: str, name: str = "badlib", header: str | None = None) -> Path:
    path = directory / f"{name}.toml"
    path.write_text((GOOD_HEADER.format(name=name) if header is None else header) + textwrap.dedent(body))
    return path


# -- the packaged tables ------------------------------------------------------------------------------------------

def test_packaged_tables_load_in_order():
    tables = default_tables()
    assert [lib.name for lib in tables.libraries] == ["cuda_runtime", "cublas", "cudnn", "nccl", "curand", "cufft"]
    assert default_tables() is tables  # cached
    for lib in tables.libraries:
        assert lib.file == f"cuda2cann/mappings/{lib.name}.toml"
        assert lib.entries and all(e.status in STATUSES and e.kind in KINDS and e.library == lib.name for e in lib.entries)
        assert sum(lib.counts().values()) == len(lib.entries)


def test_every_target_is_a_recorded_cann_name():
    unchecked = sorted({(e.name, e.target) for e in default_tables() if e.target and e.target not in RECORDED_CANN_NAMES})
    assert unchecked == []


REQUIRED = {
    "cuda_runtime": """cudaMalloc cudaFree cudaMemcpy cudaMemcpyAsync cudaMemset cudaMemsetAsync cudaMallocHost cudaFreeHost
        cudaStreamCreate cudaStreamDestroy cudaStreamSynchronize cudaStreamWaitEvent cudaEventCreate cudaEventRecord
        cudaEventSynchronize cudaEventElapsedTime cudaEventDestroy cudaDeviceSynchronize cudaSetDevice cudaGetDevice
        cudaGetDeviceCount cudaGetLastError cudaPeekAtLastError cudaGetErrorString cudaMemGetInfo cudaDeviceCanAccessPeer
        cudaGetDeviceProperties cudaLaunchKernel cudaMallocManaged cudaGraphCreate cudaGraphLaunch cudaFuncSetAttribute
        cudaCreateTextureObject cudaStream_t cudaEvent_t cudaError_t cudaMemcpyHostToDevice cudaMemcpyDeviceToHost
        cudaSuccess cuda_runtime.h""",
    "cublas": """cublasSgemm cublasHgemm cublasGemmEx cublasSgemmStridedBatched cublasGemmStridedBatchedEx cublasLtMatmul
        cublasCreate cublasDestroy cublasSetStream cublasSaxpy cublasSdot cublasSnrm2 cublasSscal cublasHandle_t
        CUBLAS_OP_N CUBLAS_OP_T cublas_v2.h""",
    "cudnn": """cudnnConvolutionForward cudnnSoftmaxForward cudnnBatchNormalizationForwardInference
        cudnnBatchNormalizationForwardTraining cudnnActivationForward cudnnPoolingForward cudnnCreate cudnnDestroy
        cudnnCreateTensorDescriptor cudnnSetTensor4dDescriptor cudnnDestroyTensorDescriptor cudnnCreateFilterDescriptor
        cudnnCreateConvolutionDescriptor cudnnSetConvolution2dDescriptor cudnnTensorDescriptor_t cudnn.h""",
    "nccl": """ncclAllReduce ncclBroadcast ncclReduceScatter ncclAllGather ncclReduce ncclSend ncclRecv ncclCommInitRank
        ncclGetUniqueId ncclCommDestroy ncclGroupStart ncclGroupEnd ncclComm_t ncclFloat ncclSum nccl.h""",
    "curand": "curandCreateGenerator curandGenerateUniform curand_init curand.h",
    "cufft": "cufftPlan1d cufftExecC2C cufft.h",
}


@pytest.mark.parametrize("library", sorted(REQUIRED))
def test_coverage(library):
    tables = default_tables()
    for name in REQUIRED[library].split():
        mapping = tables.header(name) if name.endswith(".h") else tables.lookup(name)
        assert mapping is not None, name
        assert mapping.library == library, name


@pytest.mark.parametrize(("name", "target", "status"), [
    ("cudaMalloc", "aclrtMalloc", "exact"),
    ("cudaMemcpy", "aclrtMemcpy", "exact"),
    ("cudaDeviceSynchronize", "aclrtSynchronizeDevice", "exact"),
    ("cudaStream_t", "aclrtStream", "exact"),
    ("cudaError_t", "aclError", "exact"),
    ("cudaMemcpyHostToDevice", "ACL_MEMCPY_HOST_TO_DEVICE", "exact"),
    ("cudaMallocManaged", "", "unsupported"),
    ("cudaGraphLaunch", "", "unsupported"),
    ("cublasSgemm", "aclnnAddmm", "exact"),
    ("cublasSgemmStridedBatched", "aclnnBatchMatMul", "approximate"),
    ("cublasLtMatmul", "", "unsupported"),
    ("cudnnConvolutionForward", "aclnnConvolution", "approximate"),
    ("ncclAllReduce", "HcclAllReduce", "exact"),
    ("ncclCommInitRank", "HcclCommInitRootInfo", "exact"),
    ("ncclGetUniqueId", "HcclGetRootInfo", "exact"),
    ("ncclFloat", "HCCL_DATA_TYPE_FP32", "exact"),
    ("ncclBfloat16", "HCCL_DATA_TYPE_BFP16", "exact"),
    ("ncclGroupStart", "", "unsupported"),
])
def test_key_mappings(name, target, status):
    mapping = default_tables().lookup(name)
    assert (mapping.target, mapping.status) == (target, status)


def test_headers_and_library_recognition():
    tables = default_tables()
    assert tables.header("cuda_runtime.h").target == "acl/acl.h"
    assert tables.header("cublas_v2.h").target == "aclnnop/aclnn_matmul.h"
    assert tables.header("nccl.h").target == "hccl/hccl.h"
    assert tables.lookup("cuda_runtime.h") is None and tables.header("cudaMalloc") is None
    assert tables.library_of_identifier("cudaSomethingNew").name == "cuda_runtime"
    assert tables.library_of_identifier("cublasLtSomething").name == "cublas"
    assert tables.library_of_identifier("curand_poisson").name == "curand"
    assert tables.library_of_identifier("cudaly") is None
    assert tables.library_of_constant("CUDNN_SOMETHING").name == "cudnn"
    assert tables.library_of_constant("CUDA_CHECK") is None
    assert tables.library_of_header("cuda/std/atomic").name == "cuda_runtime"
    assert tables.library_of_header("ATen/cuda/CUDAContext.h") is None


def test_notes_are_single_sentences():
    for e in default_tables():
        assert e.note.endswith((".", ")")) and "\n" not in e.note, (e.library, e.name)


# -- validation ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "key", "message"), [
    ('[function]\nbadRun = { target = "aclrtMalloc", status = "perfect", note = "x." }\n', "function.badRun", "unknown status 'perfect'"),
    ('[function]\nbadRun = { target = "aclrtMalloc", status = "unsupported", note = "x." }\n', "function.badRun",
     "unsupported entry must not name a target"),
    ('[function]\nbadRun = { status = "exact", note = "x." }\n', "function.badRun", "exact entry needs a target"),
    ('[function]\nbadRun = { target = "", status = "exact", note = "x." }\n', "function.badRun", "exact entry needs a target"),
    ('[function]\nbadRun = { status = "unsupported" }\n', "function.badRun", "missing note"),
    ('[function]\nbadRun = { status = "unsupported", note = "  " }\n', "function.badRun", "missing note"),
    ('[function]\nbadRun = { status = "unsupported", note = "x.", targte = "y" }\n', "function.badRun", "unknown field 'targte'"),
    ('[function]\nbadRun = { target = 3, status = "approximate", note = "x." }\n', "function.badRun", "target must be a string"),
    ('[function]\nbadRun = "aclrtMalloc"\n', "function.badRun", "must be a table"),
    ('[function]\n"bad Run" = { status = "unsupported", note = "x." }\n', "function.bad Run", "not a valid C identifier"),
    ('[header]\n"bad<h>" = { status = "unsupported", note = "x." }\n', "header.bad<h>", "not a valid header path"),
    ('[functions]\nbadRun = { status = "unsupported", note = "x." }\n', "functions", "unknown section"),
    ('[function]\nbadRun = { status = "unsupported", note = "x." }\n[enum]\nbadRun = { status = "unsupported", note = "x." }\n',
     "enum.badRun", "duplicate name: also in [function]"),
    ('[function]\nbadRun = { status = "unsupported", note = "x." }\nbadRun = { status = "unsupported", note = "x." }\n',
     "<toml>", "not valid TOML"),
])
def test_entry_validation_errors_name_file_and_key(tmp_path, body, key, message):
    path = write_table(tmp_path, body)
    with pytest.raises(MappingError) as info:
        load_tables(tmp_path)
    err = info.value
    assert (err.file, err.key) == (str(path), key)
    assert message in err.message
    assert str(path) in str(err) and key in str(err)


@pytest.mark.parametrize(("header", "key", "message"), [
    ("", "library", "missing [library] table"),
    ('[library]\nname = "badlib"\ntitle = "Bad"\nidentifier_patterns = []\nconstant_patterns = []\n', "library.header_prefixes",
     "missing or not a list of strings"),
    ('[library]\nname = "badlib"\ntitle = 3\nidentifier_patterns = []\nconstant_patterns = []\nheader_prefixes = []\n',
     "library.title", "missing or not a string"),
    ('[library]\nname = "other"\ntitle = "Bad"\nidentifier_patterns = []\nconstant_patterns = []\nheader_prefixes = []\n',
     "library.name", "differs from the file name 'badlib'"),
    ('[library]\nname = "badlib"\ntitle = "Bad"\nidentifier_patterns = ["^bad[A-Z"]\nconstant_patterns = []\nheader_prefixes = []\n',
     "library.identifier_patterns", "bad regular expression"),
    ('[library]\nname = "badlib"\ntitle = "Bad"\nidentifier_patterns = []\nconstant_patterns = []\nheader_prefixes = []\n'
     'prefix = "x"\n', "library.prefix", "unknown key"),
    ('function = 3\n' + GOOD_HEADER.format(name="badlib"), "function", "must be a table of entries"),
])
def test_library_validation_errors_name_file_and_key(tmp_path, header, key, message):
    path = write_table(tmp_path, "", header=header)
    with pytest.raises(MappingError) as info:
        load_tables(tmp_path)
    assert (info.value.file, info.value.key) == (str(path), key)
    assert message in info.value.message


def test_duplicate_names_across_files(tmp_path):
    write_table(tmp_path, '[function]\nsharedName = { status = "unsupported", note = "x." }\n', name="alib")
    second = write_table(tmp_path, '[enum]\nsharedName = { status = "unsupported", note = "x." }\n', name="blib")
    with pytest.raises(MappingError) as info:
        load_tables(tmp_path)
    assert (info.value.file, info.value.key) == (str(second), "enum.sharedName")
    assert "already mapped in" in info.value.message and "alib.toml [function]" in info.value.message


def test_a_valid_custom_table(tmp_path):
    write_table(tmp_path, """
        [function]
        badRun = { target = "aclrtMalloc", status = "exact", note = "  One sentence.  " }
        badStop = { status = "approximate", note = "No target needed." }
        [header]
        "bad/bad.h" = { target = "acl/acl.h", status = "approximate", note = "x." }
    """)
    tables = load_tables(tmp_path)
    (lib,) = tables.libraries
    assert [(e.name, e.kind, e.status, e.target) for e in lib.entries] == [
        ("badRun", "function", "exact", "aclrtMalloc"), ("badStop", "function", "approximate", ""),
        ("bad/bad.h", "header", "approximate", "acl/acl.h")]
    assert lib.entries[0].note == "One sentence."
    assert lib.counts() == {"exact": 1, "approximate": 2, "unsupported": 0}


def test_load_library_from_text():
    lib = load_library(GOOD_HEADER.format(name="x") + '[type]\nx_t = { status = "unsupported", note = "x." }\n', "some/dir/x.toml")
    assert (lib.name, lib.file, lib.entries[0].kind) == ("x", "some/dir/x.toml", "type")


# -- generated documentation --------------------------------------------------------------------------------------

def test_committed_api_support_page_matches_the_tables():
    committed = (ROOT / "docs" / "api_support.md").read_text(encoding="utf-8")
    assert committed == render_api_support(), "docs/api_support.md is stale: run python -m cuda2cann.mappings.docs"


def test_rendering_lists_every_entry_and_counts():
    page = render_api_support()
    tables = default_tables()
    for e in tables:
        assert f"| `{e.name}` |" in page, e.name
    total = sum(len(lib.entries) for lib in tables.libraries)
    assert f"| **Total** | {total} |" in page
    for lib in tables.libraries:
        assert f"## {lib.title}\n" in page


def test_docs_command_writes_and_checks(tmp_path):
    target = tmp_path / "api_support.md"
    assert docs_main(["--check", str(target)]) == 1
    assert docs_main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render_api_support()
    assert docs_main(["--check", str(target)]) == 0
