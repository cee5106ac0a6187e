"""Render a pointwise plan into the files of a direct-invocation AscendC operator."""
from __future__ import annotations

from cuda2cann.backends.ascendc.isel import Instr, Scalar, Tile, c_type
from cuda2cann.backends.ascendc.pointwise import ALIGN_ELEMS, BUFFER_NUM, PointwisePlan
from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.nodes import ScalarParam, TensorParam
from cuda2cann.templates_dir import render


def render_instr(ins: Instr) -> str:
    args = [ins.dst.name, *(s.name if isinstance(s, Tile) else s.expr for s in ins.srcs), *ins.extra, ins.count]
    if ins.api == "Duplicate":
        scalar = ins.srcs[0]
        args = [ins.dst.name, f"static_cast<{c_type(ins.dst.dtype)}>({scalar.expr})", ins.count]
    elif ins.api in ("Adds", "Muls", "Maxs", "Mins"):
        x, s = ins.srcs
        args = [ins.dst.name, x.name, f"static_cast<{c_type(x.dtype)}>({s.expr})", ins.count]
    elif ins.api == "CompareScalar":
        x, s = ins.srcs
        args = [ins.dst.name, x.name, f"static_cast<{c_type(x.dtype)}>({s.expr})", *ins.extra, ins.count]
    elif ins.api == "Select" and isinstance(ins.srcs[2], Scalar):
        mask, a, s = ins.srcs
        args = [ins.dst.name, mask.name, a.name, f"static_cast<{c_type(a.dtype)}>({s.expr})", *ins.extra, ins.count]
    return f"AscendC::{ins.api}({', '.join(args)});"


def _host_params(plan: PointwisePlan) -> tuple[str, str]:
    params, args = [], []
    for p in plan.op.params:
        if isinstance(p, TensorParam):
            params.append(f"void* {p.name}")
        elif isinstance(p, ScalarParam):
            params.append(f"{p.dtype.ascendc} {p.name}")
        args.append(p.name)
    return ", ".join(params), ", ".join(args)


def render_operator(plan: PointwisePlan) -> dict[str, str]:
    """File name → content for one operator."""
    host_params, host_args = _host_params(plan)
    ctx = {"plan": plan, "buffer_num": BUFFER_NUM, "align_elems": ALIGN_ELEMS, "render_instr": render_instr,
           "host_params": host_params, "host_args": host_args, "total_c": sx.to_c(plan.flat_extent)}
    return {
        f"{plan.name}.cpp": render("ascendc/pointwise_kernel.cpp.j2", **ctx),
        f"{plan.name}_tiling.h": render("ascendc/tiling.h.j2", **ctx),
        f"{plan.name}_host.cpp": render("ascendc/host.cpp.j2", **ctx),
        "CMakeLists.txt": render("ascendc/CMakeLists.txt.j2", **ctx),
    }
