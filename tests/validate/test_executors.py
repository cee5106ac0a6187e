import shutil
import struct
from pathlib import Path

import pytest

from cuda2cann.validate.executors import GpuExecutor, NpuExecutor, cuda_launch_values, gpu_present, pack_tiling
from cuda2cann.validate.expr import parse
from cuda2cann.validate.sandbox import Limits
from cuda2cann.validate.soc import soc_profile
from cuda2cann.validate.spec import AscendcSide, TilingField, load_spec
from tests.validate.helpers import make_spec

CORPUS = Path(__file__).resolve().parents[2] / "op_corpus"


def test_tiling_struct_uses_natural_c_alignment():
    spec = make_spec(n=(1, 10))
    fields = (TilingField("uint8_t", "a", parse(1)), TilingField("uint32_t", "b", parse("n")),
              TilingField("double", "c", parse(0.5)), TilingField("uint16_t", "d", parse(7)))
    spec = spec.__class__(**{**spec.__dict__, "ascendc": AscendcSide(Path("k.cpp"), "k", ("tiling",), parse(1), fields)})
    raw = pack_tiling(spec, {"n": 5})
    assert raw == struct.pack("<B3xId H6x", 1, 5, 0.5, 7)  # what g++ lays out for this struct
    assert len(raw) == 24


def test_launch_values_fill_missing_dimensions_with_one():
    spec = make_spec(n=(1, 10))
    assert cuda_launch_values(spec, {"n": 1000}) == [4, 1, 1, 256, 1, 1, 0]


def test_zero_sized_grid_is_rejected():
    with pytest.raises(ValueError, match="zero or negative"):
        cuda_launch_values(make_spec(n=(0, 10)), {"n": 0})


def test_devices_are_skipped_when_absent():
    spec = load_spec(CORPUS / "vector_add" / "vector_add.c2c.toml")
    npu = NpuExecutor(spec, soc_profile("Ascend910B2"), Limits())
    assert npu.unavailable().startswith("skipped:")
    if not gpu_present():
        assert GpuExecutor(spec, soc_profile("Ascend910B2"), Limits()).unavailable() == "skipped: no device"


@pytest.mark.skipif(shutil.which("nvcc") is None, reason="nvcc not installed")
def test_gpu_driver_compiles_with_nvcc():
    spec = load_spec(CORPUS / "vector_add" / "vector_add.c2c.toml")
    gpu = GpuExecutor(spec, soc_profile("Ascend910B2"), Limits())
    gpu.build()  # compiles even without a GPU: the driver is checked by the real CUDA toolchain
    assert gpu.program.exists()


@pytest.mark.skipif(not __import__("os").environ.get("CUDA2CANN_CANN_ROOT"), reason="needs CUDA2CANN_CANN_ROOT (ACL headers)")
def test_npu_driver_compiles_against_the_real_acl_headers(tmp_path):
    import os
    import subprocess

    from cuda2cann.validate.toolchain import RUNTIME_ROOT
    spec = load_spec(CORPUS / "vector_add" / "vector_add.c2c.toml")
    npu = NpuExecutor(spec, soc_profile("Ascend910B2"), Limits())
    (tmp_path / "main.cpp").write_text(npu.driver_source())
    # the prototype that ascendc_library generates for this kernel (ascendc_facts.md §3.2)
    (tmp_path / "aclrtlaunch_vector_add.h").write_text(
        '#include "acl/acl.h"\nextern "C" uint32_t aclrtlaunch_vector_add(uint32_t blockDim, aclrtStream stream, '
        "void* x, void* y, void* z, uint32_t totalLength);\n")
    root = Path(os.environ["CUDA2CANN_CANN_ROOT"])
    proc = subprocess.run(["g++", "-std=c++17", "-fsyntax-only", f"-I{tmp_path}", f"-I{RUNTIME_ROOT / 'common'}",
                           f"-I{root / 'aarch64-linux' / 'include'}", str(tmp_path / "main.cpp")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
