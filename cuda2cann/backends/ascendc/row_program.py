"""Lowering plan for row programs: per-row reductions feeding element-wise outputs (softmax, norms).

`y[r, c] = g(x[r, c], reduce_1(r), ..., reduce_n(r))`, each reduction over the same row. Rows are split
over the cores and each launch takes one of two paths, chosen at run time from the row length:

- one pass per row (cols <= max_cols): the row is copied into UB once, each reduction (inner ones first)
  is computed on the vector unit and read back by the scalar unit (after a V_S event), and the outputs
  are computed with the reduced values as scalars;
- chunked passes (longer rows): streaming passes over the row in chunks of max_cols elements, in dependency
  order, then one pass that computes and writes the outputs chunk by chunk. A reduction alone accumulates
  its chunks element-wise into an fp32 tile (Add / Max) collapsed once at the end of the row; two
  reductions that row_stats.py pairs (a max and a sum of exp(x - max); a sum and a sum of squared
  deviations from its mean) share one pass, each chunk reduced on the vector unit and the running values
  combined on the scalar unit; a reduction equal to an earlier one (up to axis names) reuses its result.
  A row is read from GM once per pass, the price of rows that do not fit the UB.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cuda2cann.backends.ascendc.isel import Instr, LowerError, Scalar, Selector, Tile, c_type, compute_type
from cuda2cann.backends.ascendc.pointwise import ALIGN_ELEMS, BUFFER_NUM, TensorArg, _allocate, _class_name, _index_c, _write_result
from cuda2cann.backends.ascendc.row_reduce import RowTiling, reduced_tile
from cuda2cann.backends.ascendc.row_stats import ONLINE, WELFORD, Merge, canonical, merge, outer_reductions
from cuda2cann.frontend.cuda.domain import LiftedKernel
from cuda2cann.frontend.cuda.domain import _rename as rename_axes
from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.dtypes import dtype
from cuda2cann.ir.nodes import Gather, Node, Operator, Reduce, ScalarParam, TensorParam, loads, walk
from cuda2cann.ir.ops import Op
from cuda2cann.validate.soc import SocProfile

F32 = dtype("float32")
MAX_COLS = 8192
#: tiles every path of the kernel owns (not temporaries)
RESERVED = frozenset({"result", "work", "acc"})


@dataclass(frozen=True)
class MergedStats:
    """Two statistics taken per chunk (row_stats.py): `instrs[:split]` end by reading the chunk's first statistic
    (chunkMax or chunkSum), the rest the second (chunkSum or chunkM2); the template combines the running values."""

    kind: str  # row_stats.ONLINE | row_stats.WELFORD
    split: int
    #: C++ expressions of the shift: online t(runMax) and t(newMax); welford a(runSum) in `shift_new`
    shift_old: str
    shift_new: str


@dataclass
class ChunkPass:
    """One streaming pass over a row: a reduction (accumulated chunk by chunk), two merged statistics (`merged`) or,
    with neither `body` nor `merged`, the outputs."""

    instrs: list[Instr]
    inputs: list[Tile]
    row_inputs: list[Tile]
    body: Tile | None = None
    combine: str = ""  # Add | Max: how a chunk enters the accumulator
    reduce_api: str = ""  # ReduceSum | ReduceMax: how the accumulator collapses
    identity: str = ""
    sign: str = ""  # "-" when min is computed as -max(-x)
    merged: MergedStats | None = None
    #: the reductions j (`reducedJ`) this pass computes, those of earlier passes it reads, and the later reductions
    #: equal to one already computed (k, j): `reducedK = reducedJ` after this pass
    results: tuple[int, ...] = ()
    needs: tuple[int, ...] = ()
    aliases: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class RowOutput:
    """A per-row value `tensor[row] = expr`, computed on the scalar unit from the reductions (`reducedJ_`)."""

    tensor: str
    ctype: str
    expr: str


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
    passes: list[ChunkPass] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    row_outputs: list[RowOutput] = field(default_factory=list)
    #: the vector work some per-row values need (a log or sqrt of a reduced value), once per row
    row_value_instrs: list[Instr] = field(default_factory=list)
    layout: str = "row_program"

    @property
    def work_elems(self) -> int:
        return self.work_for(self.max_cols)

    @property
    def reduction_passes(self) -> list[ChunkPass]:
        return self.passes[:-1]

    @property
    def output_pass(self) -> ChunkPass:
        return self.passes[-1]

    @property
    def uses_compare(self) -> bool:
        return any(i.api in ("Compare", "CompareScalar", "Select") for i in (*self.instrs, *(i for p in self.passes for i in p.instrs)))

    @property
    def uses_acc(self) -> bool:
        """A chunked pass accumulates element-wise (merged passes reduce each chunk instead)."""
        return any(p.merged is None for p in self.reduction_passes)


def _reductions_inner_first(op: Operator) -> list[Reduce]:
    seen: list[Reduce] = []
    for st in op.stores:
        for n in reversed(list(walk(st.value))):  # reversed pre-order visits children before their parents
            if isinstance(n, Reduce) and n not in seen:
                seen.append(n)
    return seen


@dataclass
class _RowOperands:
    """How the row program's loads become tiles: streamed row elements, row vectors, scalar names."""

    op: Operator
    col: sx.Expr
    inputs: dict[str, Tile]
    row_inputs: dict[str, Tile]
    scalars: list[ScalarParam]

    def selector(self, reduced: dict[Reduce, Scalar]) -> Selector:
        sel = Selector({**self.inputs, **self.row_inputs}, {s.name: f"tiling_.{s.name}" for s in self.scalars},
                       _index_c(self.op, self.scalars))
        sel.memo.update(reduced)
        return sel

    def row_body(self, r: Reduce) -> Node:
        """The reduction's body over the row's elements (the reduction axis is the row's column)."""
        return rename_axes(r.body, {sx.sym(r.axis, 0, None): self.col}, 0)

    def body(self, sel: Selector, r: Reduce) -> Tile:
        return reduced_tile(sel, r, self.row_body(r))

    def tiles_read(self, instrs: list[Instr], extra: Tile | None = None) -> tuple[list[Tile], list[Tile]]:
        names = {n for i in instrs for n in i.reads()} | ({extra.name} if extra else set())
        return ([t for t in self.inputs.values() if t.name in names], [t for t in self.row_inputs.values() if t.name in names])


def plan_row_program(lifted: LiftedKernel, soc: SocProfile) -> RowProgramPlan:
    op = lifted.operator
    reductions = _reductions_inner_first(op)
    if len(op.axes) == 2:
        row, col = (sx.sym(a.name, 0, None) for a in op.axes)
        cols = op.axes[1].extent
    elif len(op.axes) == 1 and reductions and len({r.extent for r in reductions}) == 1:
        # one value per row from several reductions (logsumexp, variance): the row's elements come from the reductions
        row, col, cols = sx.sym(op.axes[0].name, 0, None), sx.sym("c2c_col", 0, None), reductions[0].extent
    else:
        raise LowerError("C2C213", "row programs are lowered over [rows, cols] domains or per-row values of reductions")
    element = sx.add(sx.mul(row, cols), col)
    row_stores = [st for st in op.stores if len(op.axes) == 1 and st.index == row]
    for st in op.stores:
        if st.index != element and st not in row_stores:
            raise LowerError("C2C210", f"store {st.tensor}[{st.index}] does not write the row's elements in order")
    element_stores = [st for st in op.stores if st not in row_stores]
    streamed = set()
    for r in reductions:
        if r.op not in (Op.ADD, Op.MAX, Op.MIN):
            raise LowerError("C2C213", f"no row-program lowering for a {r.op.value} reduction")
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
    # per-row values read their own per-row loads on the scalar unit (checked by _row_value_selector)
    vector_loads = [ld for st in element_stores for ld in loads(st.value)]
    vector_loads += [ld for st in row_stores for n in walk(st.value) if isinstance(n, Reduce) for ld in loads(n.body)]
    bad = [ld for ld in vector_loads if ld.index not in same_row | row_vector_index]
    if bad:
        raise LowerError("C2C202", f"load {bad[0].tensor}[{bad[0].index}] in a row program is not an element of the row")
    tensors = [p for p in op.params if isinstance(p, TensorParam)]
    scalars = [p for p in op.params if isinstance(p, ScalarParam)]
    streamed -= row_vectors
    operands = _RowOperands(op, col, {t: Tile(f"{t}In", op.param(t).dtype) for t in sorted(streamed)},
                            {t: Tile(f"{t}Row", op.param(t).dtype) for t in sorted(row_vectors)}, scalars)
    outputs = [(st.tensor, Tile(f"{st.tensor}Out", op.param(st.tensor).dtype)) for st in element_stores]
    fixed = {t.name for t in (*operands.inputs.values(), *operands.row_inputs.values())} | {t.name for _, t in outputs} | RESERVED
    notes: set[str] = set()

    # one pass: every reduction on the whole row, then the outputs
    selector = operands.selector({})
    result, work = Tile("result", F32), Tile("work", F32)
    for j, r in enumerate(reductions):
        body = operands.body(selector, r)
        selector.instrs.append(Instr("ReduceSum" if r.op is Op.ADD else "ReduceMax", result, (body, work), count="cols"))
        selector.instrs.append(Instr("__read_result", result, (), (f"reduced{j}", "-" if r.op is Op.MIN else ""), count="cols"))
        selector.memo[r] = Scalar(f"reduced{j}", F32)
    _write_outputs(selector, element_stores, outputs)
    notes |= selector.notes
    one_pass = _allocate(selector.instrs, fixed)

    # chunked passes: the reductions (merged in pairs where they can be, earlier results as scalars), then the outputs
    passes = _statistics_passes(operands, reductions, fixed, notes)
    lists = [one_pass, *(p.instrs for p in passes)]
    reduced = {r: Scalar(f"reduced{j}", F32) for j, r in enumerate(reductions)}
    sel = operands.selector(reduced)
    _write_outputs(sel, element_stores, outputs)
    instrs = _allocate(sel.instrs, fixed)
    passes.append(ChunkPass(instrs, *operands.tiles_read(instrs)))
    lists.append(instrs)

    # per-row values (e.g. logsumexp): scalars from the reductions, once per row on either path
    sel = _row_value_selector(op, row, scalars, {r: Scalar(f"reduced{j}_", F32) for j, r in enumerate(reductions)}, row_stores)
    row_outputs = []
    for st in row_stores:
        value = sel.operand(st.value)
        if not isinstance(value, Scalar):
            raise LowerError("C2C213", f"the per-row value {st.tensor}[{st.index}] depends on the row's elements")
        row_outputs.append(RowOutput(st.tensor, op.param(st.tensor).dtype.ascendc, value.expr))
    notes |= sel.notes
    lists.append(_allocate(sel.instrs, fixed))

    renamed, temps = _share_temps(lists, fixed)
    row_value_instrs = renamed.pop()
    lists.pop()
    one_pass = renamed[0]
    for p, instrs, rename in zip(passes, renamed[1:], _renamings(lists[1:], fixed), strict=True):
        p.instrs = instrs
        if p.body is not None:
            p.body = rename(p.body)
    per_elem = BUFFER_NUM * (sum(t.dtype.itemsize for t in operands.inputs.values()) + sum(t.dtype.itemsize for _, t in outputs))
    per_elem += sum(t.dtype.itemsize for t in operands.row_inputs.values())  # row vectors: one buffer
    # + the chunked passes' accumulator, kept in the budget even when every pass merges and none is allocated: the
    # one-pass reach (max_cols) stays where it was; giving that tile to longer one-pass rows is a separate decision
    per_elem += sum(t.dtype.itemsize for t in temps) + (F32.itemsize if reductions else 0)
    unused_acc = F32.itemsize if reductions and all(p.merged for p in passes[:-1]) else 0
    max_cols = min(MAX_COLS, ((soc.ub_usable - 12 * 1024) // per_elem) // ALIGN_ELEMS * ALIGN_ELEMS)
    if max_cols < ALIGN_ELEMS:
        raise LowerError("C2C211", "the row program's buffers do not fit the UB")
    plan = RowProgramPlan(op, op.name, _class_name(op.name), sx.smax(op.axes[0].extent, 0), sx.smax(cols, 0),
                          [TensorArg(p.name, p.dtype.ascendc, p.role) for p in tensors], list(operands.inputs.values()),
                          list(operands.row_inputs.values()), outputs, scalars, one_pass, temps, max_cols, soc,
                          max_cols * (per_elem - unused_acc) + 12 * 1024, len(reductions), passes, sorted(notes),
                          row_outputs=row_outputs, row_value_instrs=row_value_instrs)
    chunked = len(passes) - (0 if outputs else 1)  # without element outputs no pass writes the row
    plan.notes.append(f"rows of up to {max_cols} elements take one pass; longer rows take {chunked} chunked passes over GM")
    return plan


def _statistics_passes(operands: _RowOperands, reductions: list[Reduce], fixed: set[str], notes: set[str]) -> list[ChunkPass]:
    """The chunked passes that compute the reductions, in dependency order: a pass per reduction, or per pair that
    row_stats.py merges; a reduction equal to an earlier one up to axis names reuses its result (an alias)."""
    canon = [canonical(r) for r in reductions]
    computed: dict[Node, int] = {}  # canonical reduction -> j of the reducedJ holding it
    passes: list[ChunkPass] = []
    for j, r in enumerate(reductions):
        if canon[j] in computed:
            if computed[canon[j]] != j:
                passes[-1].aliases.append((j, computed[canon[j]]))
            continue
        known = {q: Scalar(f"reduced{computed[c]}", F32) for q, c in zip(reductions, canon, strict=True) if c in computed}
        p = _merged_pass(operands, reductions, canon, j, known, fixed, notes) or _reduce_pass(operands, j, r, known, fixed, notes)
        p.needs = tuple(sorted(computed.values()))
        computed.update((canon[k], k) for k in p.results)
        passes.append(p)
    return passes


def _reduce_pass(operands: _RowOperands, j: int, r: Reduce, known: dict, fixed: set[str], notes: set[str]) -> ChunkPass:
    sel = operands.selector(known)
    body = operands.body(sel, r)
    instrs = _allocate(sel.instrs, fixed | {body.name})
    notes |= sel.notes
    return ChunkPass(instrs, *operands.tiles_read(instrs, body), body, "Add" if r.op is Op.ADD else "Max",
                     "ReduceSum" if r.op is Op.ADD else "ReduceMax", "0.0f" if r.op is Op.ADD else "-__builtin_inff()",
                     "-" if r.op is Op.MIN else "", results=(j,))


_MERGE_NOTES = {
    ONLINE: "a long row's max and sum of exp(x - max) take one pass over GM (online softmax: the sum is rescaled as "
            "the running max grows)",
    WELFORD: "a long row's sum and sum of squared deviations from its mean take one pass over GM (per-chunk sums and "
             "squared deviations combined by Chan's parallel formula)",
}


def _merged_pass(operands: _RowOperands, reductions: list[Reduce], canon: list[Node], j: int, known: dict, fixed: set[str],
                 notes: set[str]) -> ChunkPass | None:
    """Reduction j with the first later reduction that row_stats.py pairs with it, in one pass; None when none does."""
    for k in range(j + 1, len(reductions)):
        if canon[k] in canon[:k]:
            continue  # computed with an earlier occurrence
        m = merge(reductions[j], reductions[k], operands.row_body, operands.col)
        try:
            p = m and _two_statistics(operands, reductions[j], reductions[k], m, known, fixed, notes)
        except LowerError:
            p = None  # merging is an optimisation: the separate passes report what does not lower
        if p:
            p.results = (j, k)
            notes.add(_MERGE_NOTES[m.kind])
            return p
    return None


def _two_statistics(operands: _RowOperands, first: Reduce, second: Reduce, m: Merge, known: dict, fixed: set[str],
                    notes: set[str]) -> ChunkPass | None:
    """The pass's instructions per chunk: the first statistic reduced and read, then the second with the shift standing
    in for the chunk's own (online: t(newMax); welford: the chunk's mean). None when a shift needs vector code."""
    online = m.kind == ONLINE
    shifts = [_shift_c(operands, known, m.shift, var) for var in (("runMax", "newMax") if online else ("runSum",))]
    if None in shifts:
        return None
    sel = operands.selector(known)
    _reduce_chunk(sel, operands.body(sel, first), "ReduceMax" if online else "ReduceSum", "chunkMax" if online else "chunkSum")
    split = len(sel.instrs)
    sel.memo[m.shift] = Scalar("newShift" if online else "chunkMean", F32)
    _reduce_chunk(sel, operands.body(sel, second), "ReduceSum", "chunkSum" if online else "chunkM2")
    instrs = _allocate(sel.instrs, fixed)
    notes |= sel.notes
    return ChunkPass(instrs, *operands.tiles_read(instrs), merged=MergedStats(m.kind, split, shifts[0] if online else "", shifts[-1]))


def _shift_c(operands: _RowOperands, known: dict, shift: Node, var: str) -> str | None:
    """The shift as a C++ expression of the first statistic's running value `var`, or None if it needs vector code
    (a scalar math function goes through a vector block, which the template's scalar combine cannot hold)."""
    sel = operands.selector(known)
    sel.memo.update((r, Scalar(var, F32)) for r in outer_reductions(shift))
    value = sel.operand(shift)
    return value.expr if isinstance(value, Scalar) and not sel.instrs else None


def _reduce_chunk(sel: Selector, tile: Tile, api: str, var: str) -> None:
    """Reduce a chunk's tile to `result` and read it on the scalar unit as `var`."""
    result = Tile("result", F32)
    sel.instrs.append(Instr(api, result, (tile, Tile("work", F32))))
    sel.instrs.append(Instr("__read_result", result, (), (var, "")))


def _row_value_selector(op: Operator, row: sx.Sym, scalars: list[ScalarParam], reduced: dict, stores: list) -> Selector:
    """Instruction selection for per-row values, computed on the scalar unit for row `rowStart_ + r`: the reductions
    as scalars, per-row loads (`label[row]`) and gathers (`x[row * C + label[row]]`) as scalar reads from GM."""
    names = {s.name for s in scalars}
    here = sx.sym("c2cRow")  # declared in StoreRowValues: rowStart_ + r

    def index_c(e: sx.Expr) -> str:
        free = {v.name for v in sx.free_symbols(e)}
        if free - names - {row.name}:
            raise LowerError("C2C212", f"the index {e} of a per-row value depends on more than the row")
        return sx.to_c(sx.substitute(e, {row.name: here, **{n: sx.sym(f"tiling_.{n}") for n in free & names}}))

    per_row = {}
    for st in stores:
        for ld in loads(st.value):
            if not any(isinstance(n, Reduce) and ld in loads(n.body) for n in walk(st.value)):
                if ld.index != row:
                    raise LowerError("C2C202", f"load {ld.tensor}[{ld.index}] in a per-row value is not at the row index")
                per_row[ld.tensor] = (f"{ld.tensor}Gm_.GetValue({index_c(ld.index)})", ld.dtype)
    sel = Selector({}, {s.name: f"tiling_.{s.name}" for s in scalars}, index_c, scalar_loads=per_row)

    def gather(node: Gather) -> Scalar:
        offset = sel.operand(node.offset)
        if not isinstance(offset, Scalar):
            raise LowerError("C2C202", "a gather whose position is not one value per row")
        return Scalar(f"static_cast<{c_type(compute_type(node.dtype))}>({node.tensor}Gm_.GetValue({index_c(node.base)} + "
                      f"static_cast<int64_t>({offset.expr})))", compute_type(node.dtype))

    sel.gather = gather
    sel.memo.update(reduced)
    return sel


def _write_outputs(selector: Selector, stores: list, outputs: list[tuple[str, Tile]]) -> None:
    for st, (_, out) in zip(stores, outputs, strict=True):
        _write_result(selector, selector.operand(st.value), out)


def _temp_key(t: Tile) -> tuple[str, str]:
    return ("mask" if t.name.startswith("mask") else "tmp", t.dtype.name)


def _renamings(lists: list[list[Instr]], fixed: set[str]) -> list[Callable[[Tile], Tile]]:
    """Per instruction list: its temporaries → shared buffers, the i-th temporary of a (kind, dtype) in the i-th buffer.

    The paths and passes run one after another, so their temporaries can live in the same UB buffers.
    """
    out = []
    for instrs in lists:
        mapping: dict[str, Tile] = {}
        counts: dict[tuple[str, str], int] = {}
        for ins in instrs:
            for t in (ins.dst, *(s for s in ins.srcs if isinstance(s, Tile))):
                if t.name in fixed or t.name in mapping:
                    continue
                kind, dt = _temp_key(t)
                k = counts.get((kind, dt), 0)
                counts[(kind, dt)] = k + 1
                mapping[t.name] = Tile(f"{kind}{_short(dt)}{k}", t.dtype)
        out.append(lambda t, m=mapping: m.get(t.name, t))
    return out


def _short(dt: str) -> str:
    return {"float32": "F32_", "float16": "F16_", "bfloat16": "Bf16_", "int32": "I32_", "int16": "I16_", "uint8": "U8_",
            "int8": "I8_", "int64": "I64_"}.get(dt, f"{dt}_")


def _share_temps(lists: list[list[Instr]], fixed: set[str]) -> tuple[list[list[Instr]], list[Tile]]:
    renamed, temps = [], set()
    for instrs, rename in zip(lists, _renamings(lists, fixed), strict=True):
        new = [Instr(i.api, rename(i.dst), tuple(rename(s) if isinstance(s, Tile) else s for s in i.srcs), i.extra, i.count, i.comment)
               for i in instrs]
        temps |= {t for i in new for t in (i.dst, *i.srcs) if isinstance(t, Tile) and t.name not in fixed}
        renamed.append(new)
    return renamed, sorted(temps, key=lambda t: t.name)
