"""Benchmark: modeled efficiency of translated kernels (pointwise, reductions, row programs) against the 910B2 roofline, and
translation time per kernel.

    python benchmarks/pointwise_roofline.py [--mbytes 64] [--fix SYMBOL=VALUE ...] [SRC ...]

Every CUDA file under SRC (default op_corpus/) is translated; each translated kernel's AscendC code
runs once on cann-cpu at a size whose essential traffic is at least --mbytes MB, and the cann-cpu
counters feed cuda2cann.validate.cost_model. Prints per kernel: bound, modeled efficiency, GM bytes
moved / essential bytes, and the translation time (lift + plan + render).
"""
from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cuda2cann.backends.ascendc.isel import LowerError  # noqa: E402
from cuda2cann.backends.ascendc.planner import plan_operator  # noqa: E402
from cuda2cann.backends.ascendc.render import render_operator  # noqa: E402
from cuda2cann.frontend.cuda.translation_unit import analyse_file  # noqa: E402
from cuda2cann.translate import translate_tree  # noqa: E402
from cuda2cann.validate.cost_model import Roofline, efficiency, model  # noqa: E402
from cuda2cann.validate.executors import CannCpuExecutor  # noqa: E402
from cuda2cann.validate.inputs import Case, Materialized, tensor_shapes, tensor_values  # noqa: E402
from cuda2cann.validate.sandbox import Limits  # noqa: E402
from cuda2cann.validate.soc import soc_profile  # noqa: E402
from cuda2cann.validate.spec import load_spec  # noqa: E402


def translation_ms(path: Path) -> dict[str, float]:
    out = {}
    soc = soc_profile("Ascend910B2")
    start = time.perf_counter()
    tu = analyse_file(path)
    lift_s = (time.perf_counter() - start) / max(len(tu.kernels), 1)
    for k in tu.kernels:
        if k.lifted is None:
            continue
        t0 = time.perf_counter()
        try:
            render_operator(plan_operator(k.lifted, soc))
        except LowerError:
            continue
        out[k.lifted.operator.name] = (lift_s + time.perf_counter() - t0) * 1e3
    return out


def sized_case(spec, target_bytes: int, fixed: dict[str, int] | None = None) -> Materialized:
    """Scale the symbols up (keeping ratios) until the essential traffic reaches target_bytes; `fixed` symbols keep
    their value (e.g. a row length longer than the UB)."""
    fixed = {k: v for k, v in (fixed or {}).items() if spec.symbols and k in {s.name for s in spec.symbols}}
    sizes = {s.name: fixed.get(s.name, max(s.min, 1)) for s in spec.symbols}
    for _ in range(400):
        shapes = tensor_shapes(spec, sizes)
        if sum(math.prod(shapes[t.name]) * t.dtype.itemsize for t in spec.tensors) >= target_bytes:
            break
        for name in (n for n in sizes if n not in fixed):  # grow while per-symbol limits allow; test size caps are ignored
            grown = {**sizes, name: max(sizes[name] + 1, int(sizes[name] * 1.5))}
            if all(w.evaluate(grown) for w in spec.where if len(w.names) == 1):
                sizes = grown
    scalars = {s.name: (s.min + s.max) / 2 for s in spec.scalars}
    case = Case(sizes, scalars, "uniform", 0, "benchmark")
    env = {**sizes, **scalars}
    data = Materialized(case, env, tensor_shapes(spec, env))
    rng = np.random.default_rng(0)
    for t in spec.tensors:
        if t.is_input:
            data.arrays[t.name] = tensor_values(t, data.shapes[t.name], "uniform", rng, env)
    return data


def essential(spec, data: Materialized) -> int:
    total = 0
    for t in spec.tensors:
        n = math.prod(data.shapes[t.name]) * t.dtype.itemsize
        total += n * ((t.role == "inout") + 1)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", nargs="*", type=Path, default=[ROOT / "op_corpus"])
    parser.add_argument("--mbytes", type=int, default=64)
    parser.add_argument("--fix", action="append", default=[], metavar="SYMBOL=VALUE",
                        help="keep a size symbol at this value (e.g. cols=262144 for rows longer than the UB)")
    args = parser.parse_args()
    fixed = {k: int(v) for k, v in (item.split("=", 1) for item in args.fix)}
    roof, soc = Roofline.ascend910b2(), soc_profile("Ascend910B2")
    print(f"{'kernel':<28} {'bound':<7} {'efficiency':>10} {'GM/essential':>12} {'translate ms':>12}")
    effs = []
    with tempfile.TemporaryDirectory() as tmp:
        for src in args.src:
            files = [src] if src.is_file() else sorted(src.rglob("*.cu"))
            times = {}
            for f in files:
                times.update(translation_ms(f))
            for record in translate_tree(src, Path(tmp) / src.name):
                if record.status != "translated":
                    continue
                spec_path = next(Path(record.output).glob("*.c2c.toml"))
                spec = load_spec(spec_path)
                ex = CannCpuExecutor(spec, soc, Limits(timeout_s=600, memory_bytes=16 << 30))
                ex.build()
                data = sized_case(spec, args.mbytes << 20, fixed)
                outcome = ex.run(data)
                if outcome.error or outcome.counters is None:
                    print(f"{spec.name:<28} failed: {outcome.error}")
                    continue
                m = model(outcome.counters, roof)
                ess = essential(spec, data)
                eff = efficiency(ess, m, roof)
                effs.append(eff)
                print(f"{spec.name:<28} {m.bound:<7} {eff:>10.3f} {m.gm_bytes / ess:>12.3f} {times.get(spec.name, float('nan')):>12.1f}"
                      f"  ({ess / 2**20:.0f} MB, {dict(data.case.symbols)})")
    if effs:
        print(f"geometric mean efficiency over {len(effs)} kernels: {math.exp(sum(map(math.log, effs)) / len(effs)):.3f}")


if __name__ == "__main__":
    main()
