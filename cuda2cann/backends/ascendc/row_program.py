"""Lowering plan for row programs: per-row reductions feeding element-wise outputs (softmax, norms).

`y[r, c] = g(x[r, c], reduce_1(r), ..., reduce_n(r))`, each reduction over the same row. One pass per
row: the row is copied into UB once, each reduction (inner ones first) is computed on the vector unit and
read back by the scalar unit (after a V_S event), and the outputs are computed with the reduced values as
scalars. Rows must fit one UB tile (`max_cols`); longer rows are refused at run time by the host tiling
function (chunked online passes are future work, issue #4).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from cuda2cann.backends.ascendc.isel import Instr, LowerError, Scalar, Selector, Tile
from cuda2cann.backends.ascendc.pointwise import ALIGN_ELEMS, BUFFER_NUM, TensorArg, _allocate, _class_name, _index_c, _write_result
from cuda2cann.backends.ascendc.row_reduce import RowTiling
from cuda2cann.frontend.cuda.domain import LiftedKernel
from cuda2cann.frontend.cuda.domain import _rename as rename_axes
from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.dtypes import dtype
from cuda2cann.ir.nodes import Operator, Reduce, ScalarParam, TensorParam, loads, walk
from cuda2cann.ir.ops import Op
from cuda2cann.validate.soc import SocProfile

F32 = dtype("float32")
MAX_COLS = 8192


@dataclass
class RowProgramPlan(RowTiling):
    op: Operator
    name: str
    class_name: str
    rows: sx.Expr
    cols: sx.Expr
    tensors: list[TensorArg]
    inputs: list[Tile]
    row_inputs: list[Tile]
    outputs: list[tuple[str, Tile]]
    scalars: list[ScalarParam]
    instrs: list[Instr]
    temps: list[Tile]
    max_cols: int
    soc: SocProfile
    ub_bytes: int
    reductions: int
    notes: list[str] = field(default_factory=list)
    layout: str = "row_program"

    @property
    def work_elems(self) -> int:
        return self.work_for(self.max_cols)


def _reductions_inner_first(op: Operator) -> list[Reduce]:
    seen: list[Reduce] = []
    for st in op.stores:
        for n in reversed(list(walk(st.value))):  # reversed pre-order visits children before their parents
            if isinstance(n, Reduce) and n not in seen:
                seen.append(n)
    return seen


def plan_row_program(lifted: LiftedKernel, soc: SocProfile) -> RowProgramPlan:
    op = lifted.operator
    if len(op.axes) != 2:
        raise LowerError("C2C213", "row programs are lowered over [rows, cols] domains")
    row, col = (sx.sym(a.name, 0, None) for a in op.axes)
    cols = op.axes[1].extent
    element = sx.add(sx.mul(row, cols), col)
    for st in op.stores:
        if st.index != element:
            raise LowerError("C2C210", f"store {st.tensor}[{st.index}] does not write the row's elements in order")
    reductions = _reductions_inner_first(op)
    streamed = set()
    for r in reductions:
        if r.extent != cols:
            raise LowerError("C2C213", f"a reduction over {r.extent} elements in a row of {cols}")
    for st in op.stores:
        for n in walk(st.value):
            if isinstance(n, Reduce):
                body = rename_axes(n.body, {sx.sym(n.axis, 0, None): col}, 0)
                streamed |= {ld.tensor for ld in loads(body)}
        streamed |= {ld.tensor for ld in loads(st.value) if ld.index == element}
    same_row = {element} | {sx.add(sx.mul(row, cols), sx.sym(r.axis, 0, None)) for r in reductions}
    row_vector_index = {col} | {sx.sym(r.axis, 0, None) for r in reductions}
    row_vectors = {ld.tensor for st in op.stores for ld in loads(st.value) if ld.index in row_vector_index}
    bad = [ld for st in op.stores for ld in loads(st.value) if ld.index not in same_row | row_vector_index]
    if bad:
        raise LowerError("C2C202", f"load {bad[0].tensor}[{bad[0].index}] in a row program is not an element of the row")
    tensors = [p for p in op.params if isinstance(p, TensorParam)]
    scalars = [p for p in op.params if isinstance(p, ScalarParam)]
    streamed -= row_vectors
    inputs = {t: Tile(f"{t}In", op.param(t).dtype) for t in sorted(streamed)}
    row_inputs = {t: Tile(f"{t}Row", op.param(t).dtype) for t in sorted(row_vectors)}
    selector = Selector({**inputs, **row_inputs}, {s.name: f"tiling_.{s.name}" for s in scalars}, _index_c(op, scalars))
    result = Tile("result", F32)
    work = Tile("work", F32)
    for j, r in enumerate(reductions):
        if r.op not in (Op.ADD, Op.MAX, Op.MIN):
            raise LowerError("C2C213", f"no AscendC lowering for a {r.op.value} reduction")
        body = selector.operand(rename_axes(r.body, {sx.sym(r.axis, 0, None): col}, 0))
        if not isinstance(body, Tile):
            raise LowerError("C2C213", "a reduction whose body does not depend on the row's elements")
        body = selector.cast(body, F32)
        if r.op is Op.MIN:  # min(x) = -max(-x), exact
            body = selector.emit("Muls", selector.temp(F32), body, Scalar("-1.0f", F32))
        api = "ReduceSum" if r.op is Op.ADD else "ReduceMax"
        selector.instrs.append(Instr(api, result, (body, work), count="cols"))
        var = f"reduced{j}"
        selector.instrs.append(Instr("__read_result", result, (), (var, "-" if r.op is Op.MIN else ""), count="cols"))
        selector.memo[r] = Scalar(var, F32)
    outputs = []
    for st in op.stores:
        out = Tile(f"{st.tensor}Out", op.param(st.tensor).dtype)
        _write_result(selector, selector.operand(st.value), out)
        outputs.append((st.tensor, out))
    fixed = {t.name for t in (*inputs.values(), *row_inputs.values())} | {t.name for _, t in outputs} | {"result", "work"}
    instrs = _allocate(selector.instrs, fixed)
    temps = sorted({i.dst for i in instrs if i.dst.name not in fixed} |
                   {s for i in instrs for s in i.srcs if isinstance(s, Tile) and s.name not in fixed}, key=lambda t: t.name)
    per_elem = BUFFER_NUM * (sum(t.dtype.itemsize for t in inputs.values()) + sum(t.dtype.itemsize for _, t in outputs))
    per_elem += sum(t.dtype.itemsize for t in row_inputs.values())  # row vectors: one buffer, loaded once per core
    per_elem += sum(t.dtype.itemsize for t in temps)
    max_cols = min(MAX_COLS, ((soc.ub_usable - 12 * 1024) // per_elem) // ALIGN_ELEMS * ALIGN_ELEMS)
    if max_cols < ALIGN_ELEMS:
        raise LowerError("C2C211", "the row program's buffers do not fit the UB")
    plan = RowProgramPlan(op, op.name, _class_name(op.name), sx.smax(op.axes[0].extent, 0), sx.smax(cols, 0),
                          [TensorArg(p.name, p.dtype.ascendc, p.role) for p in tensors], list(inputs.values()), list(row_inputs.values()),
                          outputs, scalars,
                          instrs, temps, max_cols, soc, max_cols * per_elem + 12 * 1024, len(reductions), sorted(selector.notes))
    plan.notes.append(f"one pass per row: rows of more than {max_cols} elements are refused by the host tiling function")
    return plan
