"""One file → findings: kernels, host API, Python, build scripts, suppressions, bad input."""
from __future__ import annotations

from pathlib import Path

import pytest

from cuda2cann.scan.analyse import ScanOptions, analyse
from cuda2cann.scan.engine import scan_tree
from cuda2cann.source.tree import SourceFile, walk_tree
from tests.scan.helpers import CMAKE, HOST, KERNEL_BAD, KERNEL_OK, MAKEFILE, PYTHON, project, write


def findings_of(path: Path, kind: str, **options):
    return list(analyse(SourceFile(path.name, path, kind), ScanOptions(**options)).findings)


def by_code(findings) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in findings:
        out.setdefault(f.code, []).append(f)
    return out


def test_a_translatable_kernel_is_ported_and_an_untranslatable_one_carries_its_reason(tmp_path):
    write(tmp_path, {"ok.cu": KERNEL_OK, "bad.cu": KERNEL_BAD})
    ok = by_code(findings_of(tmp_path / "ok.cu", "cuda"))
    assert ok["C2C310"][0].status == "ported" and ok["C2C310"][0].api == "scale" and ok["C2C310"][0].line == 2
    assert "(pointwise)" in ok["C2C310"][0].message
    assert ok["C2C304"][0].api == "cuda_runtime.h" and ok["C2C304"][0].category == "header"
    (bad,) = [f for f in findings_of(tmp_path / "bad.cu", "cuda") if f.category == "kernel"]
    assert bad.code == "C2C102" and bad.status == "unported" and bad.severity == "error" and bad.line == 3
    assert bad.hint and bad.snippet == "while (k < n) { k++; }"


def test_host_api_status_comes_from_the_mapping_tables(tmp_path):
    write(tmp_path, {"host.cpp": HOST + "void f() { cudaFooBar(); cudaStream_t s; }\n"})
    found = {f.api: f for f in findings_of(tmp_path / "host.cpp", "cpp")}
    assert found["cudaMalloc"].status == "ported" and found["cudaMalloc"].code == "C2C301" and "aclrtMalloc" in found["cudaMalloc"].message
    assert found["cudaMallocManaged"].status == "unported" and found["cudaMallocManaged"].hint  # the table's note
    assert found["cudaFooBar"].code == "C2C306" and found["cudaFooBar"].status == "unported"
    assert found["cudaStream_t"].code == "C2C302" and found["cudaStream_t"].category == "type"
    assert (found["cudaMalloc"].line, found["cudaMalloc"].column, found["cudaMalloc"].end_column) == (4, 3, 13)


def test_launch_sites_take_the_status_of_the_kernel_found_anywhere_in_the_tree(tmp_path):
    write(tmp_path, {"k.cu": KERNEL_OK + KERNEL_BAD, "host.cpp": HOST + "void g() { total<<<1, 1>>>(0, 0, 0); other<<<1, 1>>>(); }\n"})
    report = scan_tree(walk_tree([tmp_path], cwd=tmp_path), ScanOptions())
    launches = {f.api: f for f in report.findings if f.category == "launch"}
    assert launches["scale"].status == "ported" and launches["total"].status == "unported"
    assert launches["other"].status == "unported" and "not defined in the scanned files" in launches["other"].message
    assert not any(f.gates for f in launches.values())  # the kernel's own finding gates, not its launches


def test_ascendc_sources_are_not_taken_for_cuda(tmp_path):
    write(tmp_path, {"op_ascendc.cpp": '#include "kernel_operator.h"\nextern "C" __global__ __aicore__ void add(GM_ADDR x) {}\n'})
    assert findings_of(tmp_path / "op_ascendc.cpp", "cpp") == []


def test_cpp_without_cuda_is_not_parsed(tmp_path, monkeypatch):
    write(tmp_path, {"plain.cpp": "int add(int a, int b) { return a + b; }\n"})
    import cuda2cann.frontend.cuda.host_api as host_api
    monkeypatch.setattr(host_api, "find_api_uses", lambda *a, **k: pytest.fail("parsed a file without CUDA"))
    assert findings_of(tmp_path / "plain.cpp", "cpp") == []


def test_python_usage_comes_from_the_migration(tmp_path):
    write(tmp_path, {"train.py": PYTHON, "setup.py": "from torch.utils.cpp_extension import CUDAExtension\n"
                                                   "ext = CUDAExtension('x', ['x.cu'])\n"})
    found = by_code(findings_of(tmp_path / "train.py", "python"))
    assert found["C2C506"][0].status == "ported" and found["C2C506"][0].line == 2  # .cuda() → .npu()
    assert found["C2C501"][0].api == "torch.cuda.synchronize" and found["C2C501"][0].status == "ported"
    assert found["C2C503"][0].status == "unported"  # nvtx: no torch_npu counterpart
    assert "C2C511" not in found  # inserting `import torch_npu` is no CUDA dependency
    setup = findings_of(tmp_path / "setup.py", "python")
    assert any(f.code == "C2C509" and f.category == "build" for f in setup)


def test_cmake_and_makefile_usage(tmp_path):
    write(tmp_path, {"CMakeLists.txt": CMAKE, "Makefile": MAKEFILE})
    cmake = [(f.line, f.code, f.api) for f in findings_of(tmp_path / "CMakeLists.txt", "build")]
    assert cmake == [(2, "C2C320", "CUDA"), (3, "C2C321", "find_package(CUDAToolkit"), (5, "C2C322", "CMAKE_CUDA_ARCHITECTURES")]
    make = [(f.line, f.code, f.api) for f in findings_of(tmp_path / "Makefile", "build")]
    assert make == [(2, "C2C323", "nvcc"), (2, "C2C323", "-lcudart")]


# -- suppressions ------------------------------------------------------------------------------------------------

def suppressed(path: Path, kind: str) -> dict[int, bool]:
    return {f.line: f.suppressed for f in findings_of(path, kind) if f.api == "cudaMallocManaged" or f.code.startswith("C2C5")}


def test_suppression_on_the_same_line_and_from_a_comment_line_above(tmp_path):
    write(tmp_path, {"s.cpp": "void f(float* p) {\n"
                              "  cudaMallocManaged(&p, 1);  // cuda2cann: ignore[C2C301]\n"     # 2: same line
                              "  // cuda2cann: ignore[C2C301]\n"
                              "  cudaMallocManaged(&p, 1);\n"                                    # 4: comment line above
                              "  cudaMallocManaged(&p, 1);\n"                                    # 5: two lines below: not
                              "  cudaMallocManaged(&p, 1);  // cuda2cann: ignore[C2C304]\n"     # 6: another code: not
                              "  int x = 0;  // cuda2cann: ignore\n"
                              "  cudaMallocManaged(&p, 1);\n"                                    # 8: below a code line: not
                              "  cudaMallocManaged(&p, 1);  /* cuda2cann: ignore */\n"          # 9: bare ignore
                              "}\n"})
    assert suppressed(tmp_path / "s.cpp", "cpp") == {2: True, 4: True, 5: False, 6: False, 8: False, 9: True}


def test_python_suppressions_need_real_comments(tmp_path):
    write(tmp_path, {"t.py": "import torch\n"
                             "torch.cuda.nvtx.range_push('a')  # cuda2cann: ignore[C2C503]\n"
                             "# cuda2cann: ignore[C2C503]\n"
                             "torch.cuda.nvtx.range_push('b')\n"
                             "s = '# cuda2cann: ignore[C2C503]'; torch.cuda.nvtx.range_push('c')\n"})
    # the migration honours a same-line comment itself (line 2 yields no finding); scan adds the line-above rule
    assert suppressed(tmp_path / "t.py", "python") == {4: True, 5: False}


def test_suppressed_findings_do_not_gate(tmp_path):
    write(tmp_path, {"s.cpp": "void f(float* p) { cudaMallocManaged(&p, 1); }  // cuda2cann: ignore[C2C301]\n"})
    (f,) = findings_of(tmp_path / "s.cpp", "cpp")
    assert f.suppressed and f.status == "unported" and not f.gates


# -- bad input ---------------------------------------------------------------------------------------------------

def test_not_utf8_is_a_finding_at_the_first_bad_byte(tmp_path):
    write(tmp_path, {"latin1.cu": b"// ok\n// caf\xe9\n__global__ void k() {}\n"})
    (f,) = findings_of(tmp_path / "latin1.cu", "cuda")
    assert (f.code, f.line, f.column, f.category, f.status) == ("C2C603", 2, 7, "input", "unported")
    assert "0xe9" in f.message


def test_too_large_files_are_not_read(tmp_path):
    write(tmp_path, {"big.cu": "// x\n" * 1000})
    (f,) = findings_of(tmp_path / "big.cu", "cuda", max_file_size=100)
    assert f.code == "C2C604" and "5000 bytes" in f.message


def test_binary_files_are_skipped(tmp_path):
    write(tmp_path, {"blob.cu": b"\x7fELF\x00\x01cudaMalloc"})
    result = analyse(SourceFile("blob.cu", tmp_path / "blob.cu", "cuda"), ScanOptions())
    assert result.binary and result.findings == ()


def test_unreadable_file_is_a_finding(tmp_path, monkeypatch):
    write(tmp_path, {"a.cu": KERNEL_OK})
    real = Path.read_bytes

    def refuse(self):
        if self.name == "a.cu":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)
    monkeypatch.setattr(Path, "read_bytes", refuse)
    (f,) = findings_of(tmp_path / "a.cu", "cuda")
    assert f.code == "C2C602" and "Permission denied" in f.message


def test_an_internal_error_on_one_file_is_a_finding(tmp_path, monkeypatch):
    write(tmp_path, {"a.cu": KERNEL_OK})
    import cuda2cann.frontend.cuda.host_api as host_api

    def boom(*args, **kwargs):
        raise KeyError("bug")
    monkeypatch.setattr(host_api, "find_api_uses", boom)
    (f,) = findings_of(tmp_path / "a.cu", "cuda")
    assert f.code == "C2C608" and "KeyError" in f.message


def test_a_whole_project(tmp_path):
    report = scan_tree(walk_tree([project(tmp_path)], cwd=tmp_path), ScanOptions())
    assert {r.file.display for r in report.files} == {"csrc/scale.cu", "csrc/total.cu", "csrc/host.cpp", "train.py",
                                                       "CMakeLists.txt", "Makefile", "util.cpp"}
    assert {f.path for f in report.findings} == {"csrc/scale.cu", "csrc/total.cu", "csrc/host.cpp", "train.py", "CMakeLists.txt",
                                                 "Makefile"}
    assert [f.sort_key() for f in report.findings] == sorted(f.sort_key() for f in report.findings)


def test_a_kernel_is_approximate_only_when_its_plan_approximates(tmp_path):
    # a row program carries a layout note (one pass or chunked passes): still ported; erf by a polynomial: approximate
    write(tmp_path, {"k.cu": """
        __global__ void softmax(const float* x, float* y, int rows, int cols) {
          int r = blockIdx.x * blockDim.x + threadIdx.x;
          if (r >= rows) return;
          float m = -INFINITY;
          for (int c = 0; c < cols; ++c) m = fmaxf(m, x[r * cols + c]);
          for (int c = 0; c < cols; ++c) y[r * cols + c] = x[r * cols + c] - m;
        }
        __global__ void gelu(const float* x, float* y, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) y[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678f));
        }"""})
    kernels = {f.api: f.status for f in findings_of(tmp_path / "k.cu", "cuda") if f.code == "C2C310"}
    assert kernels == {"softmax": "ported", "gelu": "approximate"}
