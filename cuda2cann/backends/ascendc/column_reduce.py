"""Lowering plan for column reductions: `out[c] = g(reduce_{r < R} f(x[r * S + c + o], ...), ...)` for c < C.

Columns are split over the cores in 256-element-aligned ranges; each core walks its range in chunks of
`chunk_elems` columns. For a chunk, every row's slice is copied into UB, f is computed by the pointwise
instruction selector and combined element-wise into an fp32 accumulator tile (Add / Max) — the vector unit
reduces all the chunk's columns at once, no cross-lane reduction is needed — and g (anything element-wise in
the column: a division by the row count, the output's old value of an atomicAdd, ...) turns the accumulator
into the output chunk. min is max of the negation (exact).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from cuda2cann.backends.ascendc.isel import Instr, LowerError, Scalar, Selector, Tile, c_type
from cuda2cann.backends.ascendc.pointwise import ALIGN_ELEMS, BUFFER_NUM, TensorArg, _allocate, _class_name, _index_c, _write_result
from cuda2cann.backends.ascendc.row_reduce import (
    COMBINE_API,
    IDENTITY_C,
    INT_FOLD_API,
    INT_IDENTITY_C,
    MAX_CHUNK_ELEMS,
    REDUCE_API,
    int_reduced_tile,
    reduced_tile,
    temporaries,
)
from cuda2cann.frontend.cuda.domain import LiftedKernel
from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.dtypes import dtype
from cuda2cann.ir.nodes import Operator, Reduce, ScalarParam, TensorParam, loads, walk
from cuda2cann.ir.ops import Op
from cuda2cann.validate.soc import SocProfile

F32, INT32 = dtype("float32"), dtype("int32")


@dataclass(frozen=True)
class RowSlice:
    """An input read at `x[r * stride + c + offset]`: one slice of the row per chunk."""

    tile: Tile
    offset: str  # C expression of o


@dataclass
class ColumnReducePlan:
    op: Operator
    name: str
    class_name: str
    rows: sx.Expr
    cols: sx.Expr
    stride: sx.Expr
    tensors: list[TensorArg]
    slices: list[RowSlice]
    columns: list[Tile]  # per-column inputs (index c): loaded once per chunk
    scalars: list[ScalarParam]
    body_instrs: list[Instr]
    finish_instrs: list[Instr]
    temps: list[Tile]
    body: Tile
    combine: str
    identity: str
    negate: bool
    output: tuple[str, Tile]
    chunk_elems: int
    soc: SocProfile
    ub_bytes: int
    notes: list[str] = field(default_factory=list)
    #: int32 accumulation (exact: Add / Max / Min on int32 tiles)
    integer: bool = False
    layout: str = "column_reduce"

    @property
    def tiling_fields(self) -> list[tuple[str, str]]:
        return [("uint32_t", "c2cRows"), ("uint32_t", "c2cCols"), ("uint32_t", "c2cStride"),
                *((c_type(s.dtype), s.name) for s in self.scalars)]

    @property
    def acc_ctype(self) -> str:
        return "int32_t" if self.integer else "float"

    @property
    def instrs(self) -> list[Instr]:
        return [*self.body_instrs, *self.finish_instrs]

    @property
    def uses_compare(self) -> bool:
        return any(i.api in ("Compare", "CompareScalar", "Select") for i in self.instrs)


def is_column_reduction(lifted: LiftedKernel) -> bool:
    """One output axis, one reduce whose loads step over rows (`x[r * S + c]`) rather than along a row."""
    op = lifted.operator
    if len(op.axes) != 1 or len(op.stores) != 1:
        return False
    found = [n for n in walk(op.stores[0].value) if isinstance(n, Reduce)]
    if len(found) != 1:
        return False
    col, k = sx.sym(op.axes[0].name, 0, None), sx.sym(found[0].axis, 0, None)
    return any(_row_stride(ld.index, k, col) is not None for ld in loads(found[0].body))


def _row_stride(index: sx.Expr, k: sx.Sym, col: sx.Sym) -> tuple[sx.Expr, sx.Expr] | None:
    """(S, o) when index == k * S + col + o with S, o free of k and col."""
    terms, const = sx.linear_parts(index)
    if terms.get(col) != 1:
        return None
    stride = None
    rest = sx.const(const)
    for atom, coeff in terms.items():
        if atom == col:
            continue
        syms = sx.free_symbols(atom)
        if k in syms:
            if stride is not None:
                return None
            factor = sx.substitute(atom, {k.name: 1})
            if k in sx.free_symbols(factor) or col in sx.free_symbols(factor) or sx.mul(factor, k) != atom:
                return None
            stride = sx.mul(coeff, factor)
        elif col in syms:
            return None
        else:
            rest = sx.add(rest, sx.mul(coeff, atom))
    return (stride, rest) if stride is not None else None


def plan_column_reduce(lifted: LiftedKernel, soc: SocProfile) -> ColumnReducePlan:
    op = lifted.operator
    (store,) = op.stores
    col = sx.sym(op.axes[0].name, 0, None)
    if store.index != col:
        raise LowerError("C2C213", f"the column reduction's result is stored at {store.index}, not at the column index {col}")
    (red,) = [n for n in walk(store.value) if isinstance(n, Reduce)]
    integer = not red.dtype.is_float
    if integer and (red.dtype.name != "int32" or red.op not in INT_FOLD_API):
        raise LowerError("C2C213", f"a {red.dtype.name} {red.op.value} column reduction (int32 + max min are lowered)")
    k = sx.sym(red.axis, 0, None)
    scalars = [p for p in op.params if isinstance(p, ScalarParam)]
    scalar_c = {s.name: sx.sym(f"tiling_.{s.name}") for s in scalars}
    slices: dict[str, RowSlice] = {}
    stride = None
    for ld in loads(red.body):
        found = _row_stride(ld.index, k, col)
        if found is None:
            raise LowerError("C2C202", f"load {ld.tensor}[{ld.index}] in a column reduction is not x[r * stride + c]")
        offset = sx.to_c(sx.substitute(found[1], scalar_c))
        if stride not in (None, found[0]) or (ld.tensor in slices and slices[ld.tensor].offset != offset):
            raise LowerError("C2C202", "the column reduction reads its inputs with different row strides or offsets")
        stride = found[0]
        slices[ld.tensor] = RowSlice(Tile(f"{ld.tensor}In", ld.dtype), offset)
    outside = set(loads(store.value)) - set(loads(red.body))
    columns = {}
    for ld in outside:
        if ld.index != col:
            raise LowerError("C2C202", f"load {ld.tensor}[{ld.index}] after a column reduction is not an element of the column")
        columns[ld.tensor] = Tile(f"{ld.tensor}Col", ld.dtype)
    names = {s.name: f"tiling_.{s.name}" for s in scalars}
    body_sel = Selector({t: s.tile for t, s in slices.items()}, names, _index_c(op, scalars))
    body = int_reduced_tile(body_sel, red) if integer else reduced_tile(body_sel, red)
    negate = red.op is Op.MIN and not integer
    acc = Tile("acc", INT32 if integer else F32)
    finish_sel = Selector(dict(columns), names, _index_c(op, scalars))
    if negate:
        finish_sel.memo[red] = finish_sel.emit("Muls", finish_sel.temp(F32), acc, Scalar("-1.0f", F32))
    else:
        finish_sel.memo[red] = acc
    out = Tile(f"{store.tensor}Out", op.param(store.tensor).dtype)
    _write_result(finish_sel, finish_sel.operand(store.value), out)
    fixed = {s.tile.name for s in slices.values()} | {t.name for t in columns.values()} | {"acc", out.name}
    body_instrs = _allocate(body_sel.instrs, fixed | {body.name})
    finish_instrs = _allocate(finish_sel.instrs, fixed)
    temps = temporaries([*body_instrs, *finish_instrs], fixed)
    per_elem = BUFFER_NUM * sum(s.tile.dtype.itemsize for s in slices.values())
    per_elem += BUFFER_NUM * sum(t.dtype.itemsize for t in columns.values()) + BUFFER_NUM * out.dtype.itemsize
    per_elem += sum(t.dtype.itemsize for t in temps) + F32.itemsize  # + the accumulator
    chunk = min(MAX_CHUNK_ELEMS, (soc.ub_usable - 8 * 1024) // per_elem // ALIGN_ELEMS * ALIGN_ELEMS)
    if chunk < ALIGN_ELEMS:
        raise LowerError("C2C211", "the column reduction's buffers do not fit the UB")
    tensors = [TensorArg(p.name, p.dtype.ascendc, p.role) for p in op.params if isinstance(p, TensorParam)]
    return ColumnReducePlan(op, op.name, _class_name(op.name), sx.smax(red.extent, 0), sx.smax(op.axes[0].extent, 0),
                            stride, tensors, list(slices.values()), list(columns.values()), scalars, body_instrs, finish_instrs,
                            temps, body, INT_FOLD_API[red.op] if integer else COMBINE_API[REDUCE_API[red.op]],
                            INT_IDENTITY_C[red.op] if integer else IDENTITY_C[red.op],
                            negate, (store.tensor, out), chunk, soc, chunk * per_elem + 8 * 1024,
                            sorted(body_sel.notes | finish_sel.notes), integer=integer)
