"""Executors: the programs that run one side of an operator on one case.

cuda-cpu runs the ORIGINAL CUDA source on the CPU; cann-cpu runs the AscendC version on the CPU;
gpu runs the CUDA source on a real GPU (nvcc) and npu the AscendC version on an Ascend NPU, each
only when the device is detected. Every run happens in a limited subprocess (sandbox.py).
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cuda2cann.templates_dir import render
from cuda2cann.validate.cuda_cpu_source import prepare_cuda_source
from cuda2cann.validate.expr import parse
from cuda2cann.validate.inputs import Materialized
from cuda2cann.validate.protocol import FLOAT, INT, ArgValue, read_output, write_input
from cuda2cann.validate.sandbox import Limits, run_limited
from cuda2cann.validate.soc import SocProfile
from cuda2cann.validate.spec import TILING_CTYPES, OperatorSpec, Tensor
from cuda2cann.validate.toolchain import RUNTIME_ROOT, BuildError, BuildRequest, Runtime, build_executable, cache_dir

#: distinct poison bytes for outputs on each side: an element a kernel never writes cannot match
POISON = {"cuda": 0x7F, "ascendc": 0x3C}


@dataclass
class RunOutcome:
    """What one executor produced for one case."""

    outputs: dict[str, np.ndarray] = field(default_factory=dict)
    error: str | None = None
    counters: dict | None = None


@dataclass(frozen=True)
class DriverArg:
    name: str
    var: str
    kind: str  # tensor | int | float
    ctype: str = ""


class Executor:
    """Base: subclasses set `name`, `side` and implement build() and launch_values()."""

    name = ""
    side = ""

    def __init__(self, spec: OperatorSpec, soc: SocProfile, limits: Limits) -> None:
        self.spec, self.soc, self.limits = spec, soc, limits
        self.program: Path | None = None

    @property
    def side_spec(self):
        return self.spec.cuda if self.side == "cuda" else self.spec.ascendc

    def unavailable(self) -> str | None:
        """None when the executor can run here, else the reason it is skipped."""
        return None

    def build(self) -> None:
        raise NotImplementedError

    def launch_values(self, env: dict[str, float]) -> list[int]:
        raise NotImplementedError

    def extra_argv(self, workdir: Path) -> list[str]:
        return []

    def driver_args(self) -> list[DriverArg]:
        out = []
        for i, a in enumerate(self.side_spec.args):
            t = self.spec.tensor(a)
            if t is not None:
                out.append(DriverArg(a, f"arg{i}", "tensor", t.dtype.cuda if self.side == "cuda" else t.dtype.ascendc))
            elif a == "tiling":
                out.append(DriverArg(a, f"arg{i}", "tensor", "uint8_t"))
            else:
                out.append(DriverArg(a, f"arg{i}", "float" if self._is_float_arg(a) else "int"))
        return out

    def _is_float_arg(self, arg: str) -> bool:
        sc = self.spec.scalar(arg)
        if sc is not None:
            return sc.dtype.is_float
        return any(self.spec.scalar(n) is not None and self.spec.scalar(n).dtype.is_float for n in parse(arg).names)

    def arg_values(self, case: Materialized) -> list[ArgValue]:
        env = self.env(case)
        values = []
        for arg in self.driver_args():
            t = self.spec.tensor(arg.name)
            if t is not None:
                values.append(ArgValue.tensor(self._tensor_bytes(t, case)))
            elif arg.name == "tiling":
                values.append(ArgValue.tensor(pack_tiling(self.spec, env)))
            else:
                value = parse(arg.name).evaluate(env)
                values.append(ArgValue(FLOAT if arg.kind == "float" else INT, number=value))
        return values

    def _tensor_bytes(self, t: Tensor, case: Materialized) -> bytes:
        if t.is_input:
            return np.ascontiguousarray(case.arrays[t.name]).tobytes()
        nbytes = int(np.prod(case.shapes[t.name], dtype=np.int64)) * t.dtype.itemsize
        return bytes([POISON[self.side]]) * nbytes

    def env(self, case: Materialized) -> dict[str, float]:
        env = {**case.env, "cores": self.soc.vector_cores}
        if self.side == "ascendc":
            env["block_dim"] = int(self.spec.ascendc.block_dim.evaluate(env))
        return env

    def run(self, case: Materialized) -> RunOutcome:
        assert self.program is not None, "build() first"
        with tempfile.TemporaryDirectory(prefix="c2c-run-") as tmp:
            work = Path(tmp)
            try:
                launch = self.launch_values(self.env(case))
                write_input(work / "in.bin", launch, self.arg_values(case))
            except (ValueError, ZeroDivisionError, OverflowError, struct.error) as exc:
                return RunOutcome(error=f"cannot prepare the arguments: {exc}")
            done = run_limited([str(self.program), str(work / "in.bin"), str(work / "out.bin"),
                                *self.extra_argv(work)], self.limits, env=self.run_env())
            counters = self._counters(work)
            if not done.ok:
                return RunOutcome(error=f"{self.name}: {done.describe()}", counters=counters)
            return RunOutcome(self._outputs(read_output(work / "out.bin"), case), counters=counters)

    def run_env(self) -> dict[str, str]:
        return {}

    def _counters(self, work: Path) -> dict | None:
        path = work / "counters.json"
        if not path.exists():
            return None
        try:
            return merge_launches(json.loads(path.read_text()))
        except json.JSONDecodeError:
            return None

    def _outputs(self, blobs: list[bytes], case: Materialized) -> dict[str, np.ndarray]:
        tensors = [a for a in self.driver_args() if a.kind == "tensor" and a.name != "tiling"]
        tensor_blobs = [b for a, b in zip((a for a in self.driver_args() if a.kind == "tensor"), blobs, strict=True)
                        if a.name != "tiling"]
        out = {}
        for arg, blob in zip(tensors, tensor_blobs, strict=True):
            t = self.spec.tensor(arg.name)
            if t.is_output:
                out[t.name] = np.frombuffer(blob, dtype=t.dtype.storage).reshape(case.shapes[t.name])
        return out

    def _render_driver(self, template: str, source_text: str, source_path: Path, sync_mode: str = "Loop") -> str:
        return render(template, kernel=self.side_spec.kernel, source_name=source_path.name, kernels=self.kernels(),
                      source_path=str(source_path), user_source=source_text, args=self.driver_args(), sync_mode=sync_mode)

    def kernels(self) -> list[str]:
        """The kernels the driver launches, in order."""
        if self.side == "ascendc":
            return [launch.kernel for launch in self.spec.ascendc.launches]
        return [self.side_spec.kernel]


class CudaCpuExecutor(Executor):
    """The original CUDA source, rewritten for and compiled against cuda-cpu."""

    name, side = "cuda-cpu", "cuda"

    def build(self) -> None:
        prepared = prepare_cuda_source(self.spec.cuda.source, staging_root=cache_dir().parent / "staging")
        source = self._render_driver("validate/cuda_cpu_driver.cpp.j2", prepared.text, prepared.path, prepared.sync_mode)
        self.program = build_executable(BuildRequest(source, Runtime.CUDA_CPU, include_dirs=prepared.include_dirs,
                                                     dependencies=prepared.dependencies))

    def launch_values(self, env: dict[str, float]) -> list[int]:
        return cuda_launch_values(self.spec, env)

    def run_env(self) -> dict[str, str]:
        return {"CUDA_CPU_THREADS": os.environ.get("CUDA_CPU_THREADS", str(min(os.cpu_count() or 1, 4)))}


class CannCpuExecutor(Executor):
    """The AscendC version compiled against cann-cpu, with its checks and counters."""

    name, side = "cann-cpu", "ascendc"

    def build(self) -> None:
        src = self.spec.ascendc.source
        source = self._render_driver("validate/cann_cpu_driver.cpp.j2", src.read_text(encoding="utf-8"), src.resolve())
        self.program = build_executable(BuildRequest(source, Runtime.CANN_CPU, include_dirs=(src.resolve().parent,),
                                                     defines=("ASCENDC_CPU_DEBUG=1", "__CCE_KT_TEST__=1")))

    def launch_values(self, env: dict[str, float]) -> list[int]:
        return ascendc_launch_values(self.spec, env)

    def extra_argv(self, workdir: Path) -> list[str]:
        return [self.soc.name, str(workdir / "counters.json")]


class GpuExecutor(Executor):
    """The original CUDA source on a real GPU, compiled by nvcc; skipped without one."""

    name, side = "gpu", "cuda"

    def unavailable(self) -> str | None:
        if not gpu_present():
            return "skipped: no device"
        if shutil.which("nvcc") is None:
            return "skipped: nvcc not found"
        return None

    def build(self) -> None:
        src = self.spec.cuda.source.resolve()
        source = self._render_driver("validate/gpu_driver.cu.j2", src.read_text(encoding="utf-8"), src)
        self.program = build_gpu_executable(source, (src.parent,))

    def launch_values(self, env: dict[str, float]) -> list[int]:
        return cuda_launch_values(self.spec, env)


class NpuExecutor(Executor):
    """The AscendC version on an Ascend NPU: built with CANN's ascendc_library, launched through ACL.

    Runs only where an NPU and a CANN toolkit are detected. The driver is checked against the real ACL
    headers here (tests), but this executor has not yet run on an NPU: treat its first results with care.
    """

    name, side = "npu", "ascendc"

    def unavailable(self) -> str | None:
        if not npu_present():
            return "skipped: no device"
        if cann_toolkit() is None:
            return "skipped: no CANN toolkit (set ASCEND_TOOLKIT_HOME)"
        if shutil.which("cmake") is None:
            return "skipped: cmake not found"
        return None

    def driver_source(self) -> str:
        return render("validate/npu_driver.cpp.j2", kernel=self.side_spec.kernel, kernels=self.kernels(), args=self.driver_args())

    def build(self) -> None:
        src = self.spec.ascendc.source.resolve()
        root = cann_toolkit()
        files = {"main.cpp": self.driver_source(), "kernel.cpp": src.read_text(encoding="utf-8"),
                 "CMakeLists.txt": render("validate/npu_CMakeLists.txt.j2", kernel=self.side_spec.kernel, soc=self.soc.name,
                                          cann_root=str(root), kernel_include=str(src.parent),
                                          runtime_include=str(RUNTIME_ROOT / "common"))}
        key = hashlib.sha256("\0".join(f"{k}\0{v}" for k, v in sorted(files.items())).encode()).hexdigest()[:32]
        target = cache_dir() / f"npu-{key}" / "driver"
        if not target.exists():
            _cmake_build(files, target)
        self.program = target

    def launch_values(self, env: dict[str, float]) -> list[int]:
        return ascendc_launch_values(self.spec, env)


def cann_toolkit() -> Path | None:
    for var in ("ASCEND_TOOLKIT_HOME", "ASCEND_HOME_PATH"):
        if os.environ.get(var) and Path(os.environ[var]).is_dir():
            return Path(os.environ[var])
    default = Path("/usr/local/Ascend/ascend-toolkit/latest")
    return default if default.is_dir() else None


def _cmake_build(files: dict[str, str], target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        for name, content in files.items():
            (Path(tmp) / name).write_text(content)
        build = Path(tmp) / "build"
        for cmd in (["cmake", "-S", tmp, "-B", str(build)], ["cmake", "--build", str(build), "-j"]):
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
            if proc.returncode != 0:
                raise BuildError(f"NPU build failed: {' '.join(cmd[:2])}", (proc.stdout + proc.stderr)[-20000:])
        os.replace(build / "driver", target)


def merge_launches(counters: dict) -> dict:
    """The counters of several launches (`{"launches": [...]}`) as one record: totals summed, launches kept."""
    launches = counters.get("launches")
    if not launches:
        return counters
    total: dict = {}
    for launch in launches:
        for key, value in launch["total"].items():
            if key == "vector":
                vec = total.setdefault("vector", {})
                for api, n in value.items():
                    slot = vec.setdefault(api, {"instructions": 0, "repeats": 0})
                    slot["instructions"] += n["instructions"]
                    slot["repeats"] += n["repeats"]
            else:
                total[key] = total.get(key, 0) + value
    return {"soc": launches[0]["soc"], "kernel": launches[0]["kernel"], "total": total, "launches": launches}


def ascendc_launch_values(spec: OperatorSpec, env: dict[str, float]) -> list[int]:
    """The core count of each launch of the AscendC side, in order."""
    dims = []
    for launch in spec.ascendc.launches:
        block_dim = int(launch.block_dim.evaluate(env))
        if not 1 <= block_dim <= 65535:
            raise ValueError(f"block_dim {block_dim} of {launch.kernel} outside [1, 65535]")
        dims.append(block_dim)
    return dims


def cuda_launch_values(spec: OperatorSpec, env: dict[str, float]) -> list[int]:
    dims = []
    for exprs in (spec.cuda.grid, spec.cuda.block):
        values = [int(e.evaluate(env)) for e in exprs] + [1] * (3 - len(exprs))
        if any(v < 1 for v in values):
            raise ValueError(f"launch dimension {values} has a zero or negative extent")
        dims += values
    return [*dims, int(spec.cuda.shared_bytes.evaluate(env))]


def pack_tiling(spec: OperatorSpec, env: dict[str, float]) -> bytes:
    """The tiling struct as the C++ compiler lays it out (natural alignment, little endian)."""
    out, offset, widest = bytearray(), 0, 1
    for f in spec.ascendc.tiling:
        code = TILING_CTYPES[f.ctype]
        size = struct.calcsize("<" + code)
        widest = max(widest, size)
        pad = -offset % size
        value = f.value.evaluate(env)
        out += b"\0" * pad + struct.pack("<" + code, value if code in "fd" else int(value))
        offset += pad + size
    out += b"\0" * (-offset % widest)
    return bytes(out)


@functools.cache
def gpu_present() -> bool:
    if shutil.which("nvidia-smi") is None:
        return False
    try:
        return subprocess.run(["nvidia-smi", "-L"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@functools.cache
def npu_present() -> bool:
    return shutil.which("npu-smi") is not None or Path("/dev/davinci0").exists()


def build_gpu_executable(source: str, include_dirs: tuple[Path, ...]) -> Path:
    """nvcc build of a GPU driver, cached like the CPU builds."""
    key = hashlib.sha256(source.encode() + (RUNTIME_ROOT / "common" / "c2c_driver_io.h").read_bytes()).hexdigest()[:32]
    target = cache_dir() / f"gpu-{key}" / "prog"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        src = Path(tmp) / "main.cu"
        src.write_text(source)
        cmd = ["nvcc", "-O2", "-std=c++17", f"-I{RUNTIME_ROOT / 'common'}", *(f"-I{d}" for d in include_dirs),
               str(src), "-o", str(Path(tmp) / "prog")]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            raise BuildError("nvcc failed", proc.stderr[-20000:])
        os.replace(Path(tmp) / "prog", target)
    return target

