from pathlib import Path

import pytest

from cuda2cann.validate.cuda_cpu_source import CudaSourceError, prepare_cuda_source


def prep(tmp_path: Path, source: str, **headers: str):
    for name, text in headers.items():
        (tmp_path / name.replace("__", ".")).write_text(text)
    path = tmp_path / "k.cu"
    path.write_text(source)
    return prepare_cuda_source(path, staging_root=tmp_path / "staging")


def test_static_shared_arrays_become_block_storage(tmp_path):
    p = prep(tmp_path, "__global__ void k(){ __shared__ float a[32][33], b; volatile __shared__ int c[4]; }\n")
    assert "auto& a = *cuda_cpu::block_shared<float[32][33]>(1);" in p.text
    assert "auto& b = *cuda_cpu::block_shared<float>(2);" in p.text
    assert "auto& c = *cuda_cpu::block_shared<volatile int[4]>(3);" in p.text


def test_extern_shared_becomes_dynamic_area_even_with_align(tmp_path):
    p = prep(tmp_path, "__global__ void k(){ extern __shared__ __align__(16) unsigned char smem[]; }\n")
    assert "unsigned char* smem = cuda_cpu::dynamic_shared<unsigned char>();" in p.text


def test_template_dependent_shared_types_are_kept(tmp_path):
    p = prep(tmp_path, "template <class T, int B> __global__ void k(){ __shared__ T s[B]; }\n")
    assert "block_shared<T[B]>" in p.text


def test_launches_become_launcher_calls_with_defaults(tmp_path):
    p = prep(tmp_path, "__global__ void k(float* x){ x[0] = 1; }\n"
                       "void host(float* x, cudaStream_t s){ k<<<4, 32>>>(x); k<<<dim3(2, 2), 64, 128, s>>>(x); }\n")
    assert "cuda_cpu::launch(cuda_cpu::LaunchConfig(4, 32, 0, 0, cuda_cpu::SyncMode::Loop), k, x)" in p.text
    assert "LaunchConfig(dim3(2, 2), 64, 128, s, cuda_cpu::SyncMode::Loop), k, x)" in p.text
    assert p.sync_mode == "Loop"


def test_sync_primitives_select_fibers(tmp_path):
    p = prep(tmp_path, "__global__ void k(float* x){ __syncthreads(); }\nvoid h(float* x){ k<<<1, 32>>>(x); }\n")
    assert p.sync_mode == "Fibers" and "SyncMode::Fibers" in p.text


def test_main_is_renamed_so_the_driver_can_own_it(tmp_path):
    p = prep(tmp_path, "int main(int argc, char** argv) { return 0; }\n")
    assert "int cuda2cann_user_main(int argc, char** argv)" in p.text


def test_line_structure_is_preserved(tmp_path):
    src = "__global__ void k(){\n  __shared__ float a[8];\n  a[0] = 1;\n}\n"
    assert prep(tmp_path, src).text.count("\n") == src.count("\n")


def test_project_headers_are_rewritten_into_staging(tmp_path):
    p = prep(tmp_path, '#include "util.cuh"\n__global__ void k(){}\n',
             util__cuh="__device__ float f(){ __shared__ float s[4]; __syncwarp(); return s[0]; }\n")
    staged = [d for d in p.dependencies if d.name == "util.cuh"]
    assert staged and "block_shared<float[4]>" in staged[0].read_text()
    assert p.include_dirs[0] == staged[0].parent  # the rewritten copy shadows the original
    assert p.sync_mode == "Fibers"
    assert "__shared__" in (tmp_path / "util.cuh").read_text()  # the user's file is untouched


@pytest.mark.parametrize(("source", "fragment"), [
    ("__shared__ float g[4];\n", "namespace scope"),
    ("__global__ void k(){ __shared__ float a[2] = {0}; }\n", "cannot have an initializer"),
    ("__global__ void k(){ extern __shared__ float a[4]; }\n", "unsized array"),
])
def test_unsupported_shared_forms_name_file_and_line(tmp_path, source, fragment):
    with pytest.raises(CudaSourceError, match=rf"k\.cu:1: .*{fragment}"):
        prep(tmp_path, source)
