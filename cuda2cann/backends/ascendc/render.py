"""Render a pointwise plan into the files of a direct-invocation AscendC operator."""
from __future__ import annotations

from cuda2cann.backends.ascendc.isel import Instr, Scalar, Tile, c_type
from cuda2cann.backends.ascendc.pointwise import ALIGN_ELEMS, BUFFER_NUM, PointwisePlan
from cuda2cann.backends.ascendc.row_reduce import COMBINE_API, OUT_BATCH, RowReducePlan
from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.nodes import ScalarParam, TensorParam
from cuda2cann.templates_dir import render


def render_instr(ins: Instr, sliced: frozenset[str] = frozenset(), count: str = "count") -> str:
    """One AscendC call; tiles in `sliced` are addressed at the current tile row (`name[j * rowStride_]`)."""
    def tile(t: Tile) -> str:
        return f"{t.name}[j * rowStride_]" if t.name in sliced else t.name

    def scalar(s: Scalar, like: Tile) -> str:
        return f"static_cast<{c_type(like.dtype)}>({s.expr})"

    n = count if ins.count == "count" else ins.count
    dst, srcs = tile(ins.dst), ins.srcs
    if ins.api == "__read_result":  # the scalar unit reads a reduction result: wait for the vector pipe first
        var, sign = ins.extra
        return (f"event_t vToS{var} = static_cast<event_t>(pipe_.FetchEventID(AscendC::HardEvent::V_S)); "
                f"AscendC::SetFlag<AscendC::HardEvent::V_S>(vToS{var}); AscendC::WaitFlag<AscendC::HardEvent::V_S>(vToS{var});\n"
                f"    float {var} = {sign}{ins.dst.name}.GetValue(0);")
    if ins.api == "Duplicate":
        args = [dst, scalar(srcs[0], ins.dst), n]
    elif ins.api in ("Adds", "Muls", "Maxs", "Mins", "CompareScalar"):
        args = [dst, tile(srcs[0]), scalar(srcs[1], srcs[0]), *ins.extra, n]
    elif ins.api == "Select" and isinstance(srcs[2], Scalar):
        args = [dst, tile(srcs[0]), tile(srcs[1]), scalar(srcs[2], srcs[1]), *ins.extra, n]
    else:
        args = [dst, *(tile(s) if isinstance(s, Tile) else s.expr for s in srcs), *ins.extra, n]
    return f"AscendC::{ins.api}({', '.join(args)});"


def _host_params(plan: PointwisePlan | RowReducePlan) -> tuple[str, str]:
    params, args = [], []
    for p in plan.op.params:
        if isinstance(p, TensorParam):
            params.append(f"void* {p.name}")
        elif isinstance(p, ScalarParam):
            params.append(f"{p.dtype.ascendc} {p.name}")
        args.append(p.name)
    return ", ".join(params), ", ".join(args)


def render_operator(plan: PointwisePlan | RowReducePlan) -> dict[str, str]:
    """File name → content for one operator."""
    host_params, host_args = _host_params(plan)
    rows = plan.layout == "rows"
    sliced = frozenset(plan.per_row_tiles) if rows else frozenset()
    ctx = {"plan": plan, "buffer_num": BUFFER_NUM, "align_elems": ALIGN_ELEMS, "host_params": host_params, "host_args": host_args,
           "render_instr": lambda ins: render_instr(ins, sliced, "count" if plan.layout == "flat" else "nc"),
           "total_c": sx.to_c(plan.flat_extent) if plan.layout == "flat" else sx.to_c(plan.total) if plan.layout == "full_reduce" else "",
           "rows_c": sx.to_c(plan.rows) if hasattr(plan, "rows") else "", "cols_c": sx.to_c(plan.cols) if hasattr(plan, "cols") else "",
           "stride_c": sx.to_c(plan.stride) if hasattr(plan, "stride") else "",
           "out_batch": OUT_BATCH, "combine_api": COMBINE_API}
    kernel = {"rows": "ascendc/rowwise_kernel.cpp.j2", "flat": "ascendc/pointwise_kernel.cpp.j2",
              "row_reduce": "ascendc/row_reduce_kernel.cpp.j2", "row_program": "ascendc/row_program_kernel.cpp.j2",
              "full_reduce": "ascendc/full_reduce_kernel.cpp.j2", "column_reduce": "ascendc/column_reduce_kernel.cpp.j2"}[plan.layout]
    return {
        f"{plan.name}.cpp": render(kernel, **ctx),
        f"{plan.name}_tiling.h": render("ascendc/tiling.h.j2", **ctx),
        f"{plan.name}_host.cpp": render("ascendc/host.cpp.j2", **ctx),
        "CMakeLists.txt": render("ascendc/CMakeLists.txt.j2", **ctx),
    }
