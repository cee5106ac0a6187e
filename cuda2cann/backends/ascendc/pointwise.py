"""Lowering plan for pointwise operators: flat domain, core split, UB tiles, instruction list.

The domain is flattened (every store writes `out[f]` for the flat index f of the domain, in row-major
order); each core takes a contiguous, 256-element-aligned range and streams it through UB in tiles of
`tile_elems` with double-buffered input and output queues; ragged tails move with DataCopyPad. The
tile is the largest multiple of 256 elements whose buffers fit the SoC's usable UB (checked here, when
the plan is made). Loads at any other index (broadcasts, gathers) are not lowered yet (C2C202).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from cuda2cann.backends.ascendc.isel import Approximation, Instr, LowerError, Selector, Tile, c_type
from cuda2cann.frontend.cuda.domain import LiftedKernel
from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.nodes import Operator, ScalarParam, TensorParam, loads, walk
from cuda2cann.validate.soc import SocProfile

BUFFER_NUM = 2
ALIGN_ELEMS = 256  # per-core ranges start on 256-element boundaries: 32-byte aligned for every dtype
MAX_TILE_ELEMS = 16384


@dataclass(frozen=True)
class TensorArg:
    name: str
    ctype: str
    role: str


@dataclass
class PointwisePlan:
    """Everything the templates need to render one pointwise operator."""

    op: Operator
    name: str
    class_name: str
    flat_extent: sx.Expr
    tensors: list[TensorArg]
    inputs: list[Tile]
    outputs: list[tuple[str, Tile]]
    scalars: list[ScalarParam]
    instrs: list[Instr]
    temps: list[Tile]
    tile_elems: int
    soc: SocProfile
    ub_bytes: int
    notes: list[str] = field(default_factory=list)
    #: "flat": one streamed range; "rows": a [rows, cols] domain with row-vector / per-row broadcast loads
    layout: str = "flat"
    rows: sx.Expr = field(default_factory=lambda: sx.const(1))
    cols: sx.Expr = field(default_factory=lambda: sx.const(1))
    #: row-vector inputs (loaded per tile at the tile's columns) and per-row scalars (tensor, C variable)
    row_inputs: list[Tile] = field(default_factory=list)
    row_scalars: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def tiling_fields(self) -> list[tuple[str, str]]:
        sizes = [("uint32_t", "totalLength")] if self.layout == "flat" else [("uint32_t", "c2cRows"), ("uint32_t", "c2cCols")]
        return [*sizes, *((c_type(s.dtype), s.name) for s in self.scalars)]

    @property
    def row_align(self) -> int:
        """Row stride in UB (elements): 32 bytes for any dtype, or whole 256-byte repeats when Compare/Select run per row."""
        return 128 if self.uses_compare else 32

    @property
    def per_row_tiles(self) -> set[str]:
        """Tiles holding a row slice per tile row (everything except the row-vector inputs)."""
        return {t.name for t in (*self.inputs, *self.temps)} | {t.name for _, t in self.outputs}

    @property
    def uses_compare(self) -> bool:
        return any(i.api in ("Compare", "CompareScalar", "Select") for i in self.instrs)


def flat_extent(op: Operator) -> sx.Expr:
    """Number of domain points; a negative bound (`i < n` with n < 0) is an empty axis."""
    total: sx.Expr = sx.const(1)
    for a in op.axes:
        total = sx.mul(total, sx.smax(a.extent, 0))
    return total


def flat_index(op: Operator) -> sx.Expr:
    """Row-major flat index of the domain point: the index every store and streamed load must use."""
    index: sx.Expr = sx.const(0)
    for a in op.axes:
        index = sx.add(sx.mul(index, a.extent), sx.sym(a.name, 0, None))
    return index


def _same_index(a: sx.Expr, b: sx.Expr) -> bool:
    return sx.sub(a, b) == sx.const(0)


def plan_pointwise(lifted: LiftedKernel, soc: SocProfile) -> PointwisePlan:
    op = lifted.operator
    flat = flat_index(op)
    for s in op.stores:
        if not _same_index(s.index, flat):
            raise LowerError("C2C210", f"store {s.tensor}[{s.index}] does not write the domain in row-major order")
    all_loads = [ld for s in op.stores for ld in loads(s.value)]
    streamed = {ld.tensor for ld in all_loads if _same_index(ld.index, flat)}
    broadcast = _broadcast_kinds(op, [ld for ld in all_loads if not _same_index(ld.index, flat)])
    tensors = [p for p in op.params if isinstance(p, TensorParam)]
    if streamed & set(broadcast):
        raise LowerError("C2C202", f"{', '.join(sorted(streamed & set(broadcast)))} loaded both per element and broadcast")
    inputs = {p.name: Tile(f"{p.name}In", p.dtype) for p in tensors if p.name in streamed}
    row_inputs = {t: Tile(f"{t}Row", op.param(t).dtype) for t, kind in broadcast.items() if kind == "row"}
    row_scalars = [(t, f"{t}Val", op.param(t).dtype.ascendc) for t, kind in broadcast.items() if kind == "col"]
    scalars = [p for p in op.params if isinstance(p, ScalarParam)]
    selector = Selector({**inputs, **row_inputs}, {s.name: f"tiling_.{s.name}" for s in scalars}, _index_c(op, scalars),
                        scalar_loads={t: (var, op.param(t).dtype) for t, var, _ in row_scalars})
    outputs = []
    for s in op.stores:
        out_tile = Tile(f"{s.tensor}Out", next(p.dtype for p in tensors if p.name == s.tensor))
        result = selector.operand(s.value)
        outputs.append((s.tensor, out_tile))
        _write_result(selector, result, out_tile)
    fixed = {t.name for t in (*inputs.values(), *row_inputs.values())} | {t.name for _, t in outputs}
    instrs = _allocate(selector.instrs, fixed)
    temps = sorted({i.dst for i in instrs if i.dst.name not in fixed} |
                   {s for i in instrs for s in i.srcs if isinstance(s, Tile) and s.name not in fixed}, key=lambda t: t.name)
    per_elem = BUFFER_NUM * sum(t.dtype.itemsize for t in (*inputs.values(), *row_inputs.values()))
    per_elem += BUFFER_NUM * sum(t.dtype.itemsize for _, t in outputs)
    per_elem += sum(t.dtype.itemsize for t in temps)
    tile = min(MAX_TILE_ELEMS, (soc.ub_usable // max(per_elem, 1)) // ALIGN_ELEMS * ALIGN_ELEMS)
    if tile < ALIGN_ELEMS:
        raise LowerError("C2C211", f"{per_elem} bytes of UB per element: not even {ALIGN_ELEMS} elements fit the UB")
    plan = PointwisePlan(op, op.name, _class_name(op.name), flat_extent(op),
                         [TensorArg(p.name, p.dtype.ascendc, p.role) for p in tensors], list(inputs.values()), outputs, scalars,
                         instrs, temps, tile, soc, tile * per_elem, sorted(selector.notes))
    if broadcast:
        plan.layout, plan.rows, plan.cols = "rows", sx.smax(op.axes[0].extent, 0), sx.smax(op.axes[1].extent, 0)
        plan.row_inputs, plan.row_scalars = list(row_inputs.values()), row_scalars
    if any(n.dtype.name == "float64" for s in op.stores for n in walk(s.value)):
        plan.notes.append(Approximation("double-precision arithmetic of the CUDA source is computed in fp32 (the 910B vector unit "
                                        "has no fp64)"))
    return plan


def _broadcast_kinds(op: Operator, broadcast_loads: list) -> dict[str, str]:
    """Tensor → "row" (indexed by the column: one row vector for all rows) or "col" (indexed by the row: one value per row).

    Only [rows, cols] domains are handled; any other index is a gather (C2C202).
    """
    kinds: dict[str, str] = {}
    if not broadcast_loads:
        return kinds
    if len(op.axes) != 2:
        names = ", ".join(sorted({ld.tensor for ld in broadcast_loads}))
        raise LowerError("C2C202", f"loads of {names} at an index other than the output's in a {len(op.axes)}-D domain "
                         "(broadcasts are lowered for [rows, cols] domains only)")
    row, col = (sx.sym(a.name, 0, None) for a in op.axes)
    for ld in broadcast_loads:
        kind = "row" if ld.index == col else "col" if ld.index == row else None
        if kind is None or kinds.get(ld.tensor, kind) != kind:
            raise LowerError("C2C202", f"load {ld.tensor}[{ld.index}] is neither a row vector ({col}) nor a per-row value ({row})")
        kinds[ld.tensor] = kind
    return kinds


def _index_c(op: Operator, scalars: list[ScalarParam]):
    """Renders an index expression used as a value: it must depend on scalar parameters only (read from tiling)."""
    axes, names = {a.name for a in op.axes}, {s.name for s in scalars}

    def render(e: sx.Expr) -> str:
        free = {s.name for s in sx.free_symbols(e)}
        if free & axes:
            raise LowerError("C2C212", f"the element index {e} used as a value (an iota) is not lowered yet")
        return sx.to_c(sx.substitute(e, {n: sx.sym(f"tiling_.{n}") for n in free & names}))
    return render


def _write_result(selector: Selector, result, out: Tile) -> None:
    """Make the last instruction write the output tile directly (or copy/broadcast into it)."""
    from cuda2cann.backends.ascendc.isel import Scalar
    if isinstance(result, Scalar):
        selector.emit("Duplicate", out, selector.cast(result, out.dtype))
        return
    result = selector.cast(result, out.dtype)
    last = selector.instrs[-1] if selector.instrs else None
    if last is not None and last.dst == result and result.name in selector.temp_names and not _read_later(selector.instrs, result):
        selector.instrs[-1] = Instr(last.api, out, last.srcs, last.extra, last.count, last.comment)
        _rename_dst(selector, result, out)
        return
    zero = Scalar("0", out.dtype) if not out.dtype.is_float else Scalar(f"static_cast<{c_type(out.dtype)}>(0)", out.dtype)
    selector.emit("Adds", out, result, zero, comment="copy into the output tile")


def _read_later(instrs: list[Instr], tile: Tile) -> bool:
    return any(tile.name in i.reads() for i in instrs)


def _rename_dst(selector: Selector, old: Tile, new: Tile) -> None:
    """The operand memo must point at the output tile now (a later store of the same value reuses it)."""
    for k, v in list(selector.memo.items()):
        if v == old:
            selector.memo[k] = new


def _allocate(instrs: list[Instr], fixed: set[str]) -> list[Instr]:
    """Reuse temporaries like registers: a temp is free after its last read (linear scan)."""
    last_use: dict[str, int] = {}
    for k, ins in enumerate(instrs):
        for name in ins.reads():
            last_use[name] = k
    mapping: dict[str, Tile] = {}
    free: list[Tile] = []
    pool_count = 0
    out = []
    for k, ins in enumerate(instrs):
        srcs = tuple(mapping.get(s.name, s) if isinstance(s, Tile) else s for s in ins.srcs)
        dst = ins.dst
        if dst.name not in fixed and dst.name not in mapping:
            reuse = next((t for t in free if t.dtype == dst.dtype and t.name.startswith(dst.name[0])), None)
            if reuse is not None:
                free.remove(reuse)
                mapping[dst.name] = reuse
            else:
                pool_count += 1
                mapping[dst.name] = Tile(f"{'mask' if dst.name.startswith('mask') else 'tmp'}{pool_count}", dst.dtype)
        new_dst = mapping.get(dst.name, dst)
        out.append(Instr(ins.api, new_dst, srcs, ins.extra, ins.count, ins.comment))
        for name in set(ins.reads()):
            if last_use.get(name) == k and name in mapping and name != dst.name and mapping[name] not in free:
                free.append(mapping[name])
    return out


def _class_name(name: str) -> str:
    return "".join(part.capitalize() or "_" for part in name.split("_"))

