"""Lowering plan for row reductions: `out[r] = g(reduce_{c < C} f(x[r, c], ...))`.

Rows are split over the cores. Each row streams through UB in chunks of `chunk_elems`: f is computed
by the pointwise instruction selector, combined element-wise into an accumulator tile (Add / Max), and
the accumulator is collapsed with ReduceSum / ReduceMax once per row; a row that fits one chunk is a
single pass. min is max of the negation (exact). The per-row result is read by the scalar unit, g is
applied there, and a batch of results goes back to GM with one DataCopyPad.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from cuda2cann.backends.ascendc.isel import Instr, LowerError, Scalar, Selector, Tile, c_type, compute_type, literal
from cuda2cann.backends.ascendc.pointwise import ALIGN_ELEMS, BUFFER_NUM, TensorArg, _allocate, _class_name, _index_c
from cuda2cann.frontend.cuda.domain import LiftedKernel, identity_of
from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.dtypes import dtype
from cuda2cann.ir.nodes import (
    Binary,
    Cast,
    Const,
    IndexValue,
    Node,
    Operator,
    Param,
    Reduce,
    ScalarParam,
    Select,
    TensorParam,
    Unary,
    loads,
    walk,
)
from cuda2cann.ir.ops import Op
from cuda2cann.validate.soc import SocProfile

F32, INT32 = dtype("float32"), dtype("int32")
MAX_CHUNK_ELEMS = 8192
#: how an fp32 accumulator tile collapses to one value ("Product": halving Muls, then the scalar unit)
REDUCE_API = {Op.ADD: "ReduceSum", Op.MUL: "Product", Op.MAX: "ReduceMax", Op.MIN: "ReduceMax"}
#: the accumulator's start value, as C++ (min accumulates -x with max)
IDENTITY_C = {Op.ADD: "0.0f", Op.MUL: "1.0f", Op.MAX: "-__builtin_inff()", Op.MIN: "-__builtin_inff()"}
#: the element-wise op that folds a chunk into the accumulator
COMBINE_API = {"ReduceSum": "Add", "Product": "Mul", "ReduceMax": "Max"}
OUT_BATCH = 256  # row results gathered in UB before one copy out
MAX_BLOCK_THREADS = 1024  # CUDA's largest block: the longest segment of a per-block share


class RowTiling:
    """What the row layouts (row reductions, row programs) share: tiling fields and reduction work space."""

    scalars: list[ScalarParam]
    instrs: list[Instr]

    @property
    def tiling_fields(self) -> list[tuple[str, str]]:
        return [("uint32_t", "c2cRows"), ("uint32_t", "c2cCols"), *((c_type(s.dtype), s.name) for s in self.scalars)]

    @property
    def uses_compare(self) -> bool:
        return any(i.api in ("Compare", "CompareScalar", "Select") for i in self.instrs)

    @staticmethod
    def work_for(elems: int) -> int:
        return 2 * ((elems + 63) // 64) + 64  # ReduceMax keeps value and index per 256-byte repeat


@dataclass(frozen=True)
class Segments:
    """Rows made of strided segments: row r holds the elements [(j * grid + r) * block, + block) of [0, cols), the
    per-block shares of a CUDA grid-strided loop (`block`, `grid`: tiling fields of the launch's blockDim.x, gridDim.x)."""

    block: str
    #: None: one segment per row (one element per CUDA thread, no grid-stride loop)
    grid: str | None
    #: the smallest element size of the streamed inputs: segments of block * itemsize bytes, 32-byte multiples or not
    itemsize: int


@dataclass
class RowReducePlan(RowTiling):
    op: Operator
    name: str
    class_name: str
    rows: sx.Expr
    cols: sx.Expr
    tensors: list[TensorArg]
    inputs: list[Tile]
    row_inputs: list[Tile]
    row_scalars: list[tuple[str, str, str]]
    scalars: list[ScalarParam]
    instrs: list[Instr]
    temps: list[Tile]
    body: Tile
    reduce_api: str
    negate: bool
    identity: str
    acc_type: str
    output: str
    out_ctype: str
    finish: str
    chunk_elems: int
    soc: SocProfile
    ub_bytes: int
    notes: list[str] = field(default_factory=list)
    #: argmax / argmin: the row's result is the first position of its maximum (of the possibly negated body)
    arg: bool = False
    red: Reduce | None = None
    #: int32 accumulation: folds with Add / Max / Min on int32 tiles, halved, then the scalar unit (exact)
    integer: bool = False
    #: rows of strided segments instead of contiguous rows
    segments: Segments | None = None
    layout: str = "row_reduce"

    @property
    def work_elems(self) -> int:
        return self.work_for(self.chunk_elems)

    @property
    def acc_elem(self) -> str:
        """The accumulator tile's element type."""
        return "int32_t" if self.integer else "float"


def reduced_tile(selector: Selector, red: Reduce, body: Node | None = None, positions: bool = False) -> Tile:
    """The tile a reduction accumulates: its body (or `body`) in fp32, negated for min (min(x) = -max(-x), exact).
    With `positions`, argmax / argmin too (argmin(x) = argmax(-x): the same first position)."""
    if red.op not in (Op.ADD, Op.MUL, Op.MAX, Op.MIN, *((Op.ARGMAX, Op.ARGMIN) if positions else ())):
        raise LowerError("C2C213", f"no AscendC lowering for a {red.op.value} reduction here")
    tile = selector.operand(red.body if body is None else body)
    if not isinstance(tile, Tile):
        raise LowerError("C2C213", "the reduced expression does not depend on the reduced elements")
    tile = selector.cast(tile, F32)
    if red.op in (Op.MIN, Op.ARGMIN):
        tile = selector.emit("Muls", selector.temp(F32), tile, Scalar("-1.0f", F32))
    return tile


#: int32 reductions: the element-wise op that folds a chunk in (and halves the accumulator), and its identity
INT_FOLD_API = {Op.ADD: "Add", Op.MAX: "Max", Op.MIN: "Min"}
INT_IDENTITY_C = {Op.ADD: "0", Op.MAX: "(-2147483647 - 1)", Op.MIN: "2147483647"}


def int_reduced_tile(selector: Selector, red: Reduce) -> Tile:
    body = red.body
    if isinstance(body, Select) and all(isinstance(v, Const) and abs(v.value) < 2 ** 24 for v in (body.a, body.b)):
        # counting (`if (pred) atomicAdd(n, 1)`): A2 selects floats only; small integer constants are exact in fp32
        body = Cast(Select(body.cond, Const(float(body.a.value), F32), Const(float(body.b.value), F32)), INT32)
    tile = selector.operand(body)
    if not isinstance(tile, Tile):
        raise LowerError("C2C213", "the reduced expression does not depend on the reduced elements")
    return selector.cast(tile, INT32)


def temporaries(instrs: list[Instr], fixed: set[str]) -> list[Tile]:
    """The UB temporaries a list of instructions uses (everything but the `fixed` tiles), in name order."""
    return sorted({t for i in instrs for t in (i.dst, *i.srcs) if isinstance(t, Tile) and t.name not in fixed}, key=lambda t: t.name)


def _single_reduce(value: Node) -> Reduce:
    found = [n for n in walk(value) if isinstance(n, Reduce)]
    if len(found) != 1:
        raise LowerError("C2C213", f"a row reduction needs exactly one reduce per output, found {len(found)}")
    return found[0]


def finish_expr(value: Node, red: Reduce, var: str, scalar_names: dict[str, str], known: dict[Node, str] | None = None) -> str:
    """g(red) as a scalar C expression (only + - * / max min of scalars); `known` names values already read (e.g. the
    output's old value)."""
    if value == red:
        return var
    if known and value in known:
        return known[value]

    def sub(node: Node) -> str:
        return finish_expr(node, red, var, scalar_names, known)

    match value:
        case Const(value=v, type=t):
            return literal(v, compute_type(t))
        case Param(name=n):
            return scalar_names[n]
        case Binary(op=op, a=a, b=b) if op in (Op.ADD, Op.SUB, Op.MUL, Op.DIV):
            sym = {Op.ADD: "+", Op.SUB: "-", Op.MUL: "*", Op.DIV: "/"}[op]
            return f"({sub(a)} {sym} {sub(b)})"
        case Binary(op=op, a=a, b=b) if op in (Op.MAX, Op.MIN):  # e.g. an absmax accumulator that starts at 0
            x, y = sub(a), sub(b)
            return f"({x} {'>' if op is Op.MAX else '<'} {y} ? {x} : {y})"
        case Unary(op=Op.NEG, x=x):
            return f"(-{sub(x)})"
    if isinstance(value, Cast):
        return f"static_cast<{c_type(compute_type(value.type))}>({sub(value.x)})"
    if isinstance(value, IndexValue) and not {s.name for s in sx.free_symbols(value.index)} - set(scalar_names):
        return f"static_cast<{c_type(value.type)}>({sx.to_c(sx.substitute(value.index, {n: sx.sym(v) for n, v in scalar_names.items()}))})"
    raise LowerError("C2C213", "only + - * / max min of scalars may follow the reduction (computed on the scalar unit)")


def _segment_member(red: Reduce, row: sx.Sym) -> tuple[Node, str, str | None] | None:
    """`select((k / block) % grid == row, f, identity)`: (f, block, grid) when the reduction keeps the elements of the
    row's segments only (a CUDA block's share of a grid-strided loop); `select(k / block == row, ...)`: (f, block, None),
    one segment per row (a block's elements, one per thread). Else None."""
    k = sx.sym(red.axis, 0, None)
    match red.body:
        case Select(cond=Binary(op=Op.EQ, a=segment, b=IndexValue(index=rr)), a=f, b=Const(value=v)) \
                if rr == row and v == identity_of(red.op, red.body.dtype):
            grid = None
            if isinstance(segment, Binary) and segment.op is Op.MOD and isinstance(segment.b, Param):
                segment, grid = segment.a, segment.b.name
            match segment:
                case Binary(op=Op.DIV, a=IndexValue(index=kk), b=Param(name=block)) if kk == k:
                    return f, block, grid
    return None


def plan_row_reduce(lifted: LiftedKernel, soc: SocProfile) -> RowReducePlan:
    op = lifted.operator
    if len(op.axes) != 1 or len(op.stores) != 1:
        raise LowerError("C2C213", "row reductions are lowered for one output over one row axis")
    (store,) = op.stores
    row = sx.sym(op.axes[0].name, 0, None)
    if store.index != row:
        raise LowerError("C2C213", f"the reduction result is stored at {store.index}, not at the row index {row}")
    red = _single_reduce(store.value)
    k, cols = sx.sym(red.axis, 0, None), red.extent
    member = _segment_member(red, row)
    segmented_body = member[0] if member else None
    if member and red.op in (Op.ARGMAX, Op.ARGMIN):
        raise LowerError("C2C213", "an argmax or argmin over per-block segments")
    streamed, row_vectors, per_row = set(), set(), set()
    for ld in loads(segmented_body or red.body):
        if (member and ld.index == k) or (ld.index == sx.add(sx.mul(row, cols), k) and not member):  # segments of the flat input
            streamed.add(ld.tensor)
        elif ld.index == k:
            row_vectors.add(ld.tensor)
        elif ld.index == row:
            per_row.add(ld.tensor)
        else:
            raise LowerError("C2C202", f"load {ld.tensor}[{ld.index}] in a row reduction is neither the row, a row vector "
                             "nor a per-row value")
    tensors = [p for p in op.params if isinstance(p, TensorParam)]
    scalars = [p for p in op.params if isinstance(p, ScalarParam)]
    inputs = {t: Tile(f"{t}In", op.param(t).dtype) for t in sorted(streamed)}
    row_inputs = {t: Tile(f"{t}Row", op.param(t).dtype) for t in sorted(row_vectors)}
    row_scalars = [(t, f"{t}Val", op.param(t).dtype.ascendc) for t in sorted(per_row)]
    names = {s.name: f"tiling_.{s.name}" for s in scalars}
    selector = Selector({**inputs, **row_inputs}, names, _index_c(op, scalars),
                        scalar_loads={t: (var, op.param(t).dtype) for t, var, _ in row_scalars})
    integer = not red.dtype.is_float and red.op not in (Op.ARGMAX, Op.ARGMIN)
    if integer and (red.dtype.name != "int32" or red.op not in INT_FOLD_API):
        raise LowerError("C2C213", f"a {red.dtype.name} {red.op.value} row reduction (int32 + max min are lowered)")
    stored = red
    if member:
        red = Reduce(red.op, red.axis, red.extent, segmented_body, red.type)  # the segments' elements are the row
    body = int_reduced_tile(selector, red) if integer else reduced_tile(selector, red, positions=True)
    arg = red.op in (Op.ARGMAX, Op.ARGMIN)
    negate = red.op in (Op.MIN, Op.ARGMIN) and not integer
    fixed = {t.name for t in (*inputs.values(), *row_inputs.values())}
    instrs = _allocate(selector.instrs, fixed | {body.name})
    temps = temporaries(instrs, fixed)
    out = op.param(store.tensor)
    per_elem = BUFFER_NUM * sum(t.dtype.itemsize for t in (*inputs.values(), *row_inputs.values()))
    per_elem += sum(t.dtype.itemsize for t in temps if t.name != body.name) + 4 + 4 + 1  # body, accumulator, slack
    chunk = min(MAX_CHUNK_ELEMS, ((soc.ub_usable - 8 * 1024) // per_elem) // ALIGN_ELEMS * ALIGN_ELEMS)
    if chunk < ALIGN_ELEMS:
        raise LowerError("C2C211", "the row reduction's buffers do not fit the UB")
    segments = None
    if member:
        if chunk < MAX_BLOCK_THREADS:
            raise LowerError("C2C211", f"a segment of up to {MAX_BLOCK_THREADS} elements (a CUDA block) does not fit the UB chunk")
        segments = Segments(f"tiling_.{member[1]}", member[2] and f"tiling_.{member[2]}", min(t.dtype.itemsize for t in inputs.values()))
    finish = finish_expr(store.value, stored, "reduced", names)
    if negate and not arg:
        finish = finish.replace("reduced", "(-reduced)")
    plan = RowReducePlan(op, op.name, _class_name(op.name), sx.smax(op.axes[0].extent, 0), sx.smax(cols, 0),
                         [TensorArg(p.name, p.dtype.ascendc, p.role) for p in tensors], list(inputs.values()),
                         list(row_inputs.values()), row_scalars, scalars, instrs, temps, body,
                         INT_FOLD_API[red.op] if integer else REDUCE_API.get(red.op, "ReduceMax"), negate,
                         INT_IDENTITY_C[red.op] if integer else IDENTITY_C.get(red.op, "-__builtin_inff()"),
                         "int32_t" if arg or integer else "float", store.tensor,
                         out.dtype.ascendc, finish, chunk, soc, chunk * per_elem + 8 * 1024, sorted(selector.notes), arg=arg,
                         red=red, integer=integer, segments=segments)
    if segments and segments.grid:
        plan.notes.append("row r is the CUDA block r's share of a grid-strided loop: segments of blockDim.x elements, "
                          "gridDim.x * blockDim.x apart, copied back to back (one DataCopyPad per batch of segments)")
    elif segments:
        plan.notes.append("row r is the CUDA block r's elements, one per thread: [r * blockDim.x, + blockDim.x) clipped to "
                          "the guard")
    if negate:
        plan.notes.append("argmin computed as argmax(-x)" if arg else "min computed as -max(-x)")
    if arg:
        plan.notes.append("each chunk's first maximum comes from ReduceMax with its index; chunks are compared in order on "
                          "the scalar unit (strictly greater: the first position wins across chunks)")
    return plan
