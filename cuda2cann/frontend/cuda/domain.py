"""From the stores of one abstract thread to an Operator: solve the iteration domain.

Each global id (`gid.x`, ...) or grid-stride iterator a store's index uses becomes an axis; the
guards (`i < n`, `row < R && col < C`) give the axes' extents. Guards that are not bounds, and
conditions on data, predicate the store: the element keeps its old value where they are false.
Stores whose element could be written by two points of the domain are rejected.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cuda2cann.frontend.cuda.kernels import ELEMENT_TYPES, VECTOR_TYPES
from cuda2cann.frontend.cuda.lift import Lifter, LiftError, RawStore
from cuda2cann.frontend.cuda.values import Cond, Val, conjuncts
from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.dtypes import dtype
from cuda2cann.ir.nodes import (
    Axis,
    Binary,
    Cast,
    Const,
    Gather,
    IndexValue,
    Load,
    Node,
    Operator,
    Param,
    Reduce,
    ScalarParam,
    Select,
    Span,
    Store,
    TensorParam,
    Unary,
    gathers,
    loads,
    map_children,
    walk,
)
from cuda2cann.ir.ops import Op

F32 = dtype("float32")

#: synthetic parameters of kernels without a bounds guard: the number of threads the CUDA launch starts per dimension
LAUNCH_EXTENT_PREFIX = "c2c_threads_"
#: synthetic parameters of kernels whose results depend on the launch shape (per-block partial results): the CUDA
#: launch's gridDim.x and blockDim.x
GRID_DIM_X, BLOCK_DIM_X = "c2c_grid_dim_x", "c2c_block_dim_x"
THREAD_PREFIXES = ("threadIdx.", "blockIdx.", "blockDim.", "gridDim.", "nthreads.")
AXIS_ORDER = ("gid.z", "gid.y", "gid.x")


@dataclass
class LiftedKernel:
    """A lifted kernel and what its launch must satisfy."""

    operator: Operator
    #: axis name of the CUDA global id it came from (gid.x, it1, ...)
    axis_origin: dict[str, str] = field(default_factory=dict)
    #: blockDim values the index arithmetic assumes (e.g. {"x": 256})
    block_requirements: dict[str, int] = field(default_factory=dict)
    #: the CUDA kernel declares `extern __shared__` memory (its launch needs dynamic shared bytes)
    uses_dynamic_shared: bool = False
    #: block shape of the kernel's launch site in the file, when spelled as literals
    launch_block: tuple[int, ...] | None = None
    #: axes the CUDA threads spread over but the operator reduces (atomic accumulation), with their origin in axis_origin
    reduced_axes: tuple[Axis, ...] = ()
    #: parts lifted to an equal formula with other rounding ("welford": running mean and m2 as sums)
    reformulated: frozenset[str] = frozenset()


def is_launch_param(name: str) -> bool:
    """A parameter the port takes from the CUDA launch configuration rather than from the kernel's arguments."""
    return name.startswith(LAUNCH_EXTENT_PREFIX) or name in (GRID_DIM_X, BLOCK_DIM_X)


def _is_axis_symbol(s: sx.Sym) -> bool:
    return s.name.startswith(("gid.", "it", "lane"))


def _axis_key(s: sx.Sym) -> tuple[int, str]:
    """Outer to inner: gid.z, gid.y, gid.x (or the row of a cooperative kernel), loop iterators, vector lanes."""
    if s.name in AXIS_ORDER:
        return AXIS_ORDER.index(s.name), s.name
    if s.name.startswith("gid."):
        return 2, s.name
    return (3 if s.name.startswith("it") else 4), s.name


def _zip_lanes(values: list[Node], lane: sx.Sym) -> Node | None:
    """One value with a `lane` symbol that equals values[k] at lane == k, or None when they differ otherwise."""
    first = values[0]
    if all(v == first for v in values):
        return first
    if any(type(v) is not type(first) for v in values):
        return None
    match first:
        case Load(tensor=t, index=e, type=dt) if all(v.tensor == t and v.type == dt for v in values):
            if all(sx.sub(v.index, e) == sx.const(k) for k, v in enumerate(values)):
                return Load(t, sx.add(e, lane), dt)
        case IndexValue(index=e, type=dt) if all(v.type == dt for v in values):
            if all(sx.sub(v.index, e) == sx.const(k) for k, v in enumerate(values)):
                return IndexValue(sx.add(e, lane), dt)
        case Unary(op=op) if all(v.op is op for v in values):
            x = _zip_lanes([v.x for v in values], lane)
            return Unary(op, x) if x is not None else None
        case Cast(type=dt) if all(v.type == dt for v in values):
            x = _zip_lanes([v.x for v in values], lane)
            return Cast(x, dt) if x is not None else None
        case Binary(op=op) if all(v.op is op for v in values):
            a, b = _zip_lanes([v.a for v in values], lane), _zip_lanes([v.b for v in values], lane)
            return Binary(op, a, b) if a is not None and b is not None else None
        case Select():
            parts = [_zip_lanes([getattr(v, f) for v in values], lane) for f in ("cond", "a", "b")]
            return Select(*parts) if all(p is not None for p in parts) else None
    return None


def _merge_lanes(stores: list[RawStore]) -> tuple[list[RawStore], dict[sx.Sym, int]]:
    """Vector stores (`reinterpret_cast<float4*>(y)[i] = v`) write lanes 4*i+0..3: merge them into one store over a lane axis."""
    out: list[RawStore] = []
    lanes: dict[sx.Sym, int] = {}
    k = 0
    while k < len(stores):
        merged = None
        for width in (4, 2):
            group = stores[k:k + width]
            if len(group) == width and all(g.tensor == group[0].tensor and g.conds == group[0].conds for g in group) and all(
                    sx.sub(g.index, group[0].index) == sx.const(j) for j, g in enumerate(group)):
                lane = sx.sym(f"lane{len(lanes) + 1}", 0, width - 1)
                value = _zip_lanes([g.value.node for g in group], lane)
                if value is not None:
                    merged = RawStore(group[0].tensor, sx.add(group[0].index, lane), Val(value), group[0].conds, group[0].line)
                    lanes[lane] = width
                    k += width
                    break
        if merged is None:
            merged = stores[k]
            k += 1
        out.append(merged)
    return out, lanes


def _bound(cond: Cond, var: sx.Sym) -> sx.Expr | None:
    """Exclusive upper bound of `var` that a guard states, if it is one."""
    if cond.index is None:
        return None
    op, a, b = cond.index
    if a == var and not any(_is_axis_symbol(s) or s.name.startswith(THREAD_PREFIXES) for s in sx.free_symbols(b)):
        return {Op.LT: b, Op.LE: sx.add(b, 1)}.get(op)
    if b == var and not any(_is_axis_symbol(s) or s.name.startswith(THREAD_PREFIXES) for s in sx.free_symbols(a)):
        return {Op.GT: a, Op.GE: sx.add(a, 1)}.get(op)
    return None


def _redundant(cond: Cond) -> bool:
    """`i >= 0` for an axis: always true."""
    if cond.index is None:
        return False
    op, a, b = cond.index
    return (op is Op.GE and sx.proves_nonnegative(sx.sub(a, b))) or (op is Op.LE and sx.proves_nonnegative(sx.sub(b, a)))


def _split_guards(st: RawStore, axes_vars: list[sx.Sym]) -> tuple[dict[sx.Sym, sx.Expr], list[Cond]]:
    """A store's conditions: upper bounds of the axes, and the other predicates."""
    preds: list[Cond] = []
    bounds: dict[sx.Sym, sx.Expr] = {}
    for c in (x for cond in st.conds for x in conjuncts(cond)):
        var = next((v for v in axes_vars if _bound(c, v) is not None), None)
        if var is not None:
            b = _bound(c, var)
            bounds[var] = sx.smin(bounds[var], b) if var in bounds else b
        elif not _redundant(c):
            preds.append(c)
    return bounds, preds


def build_operator(lifter: Lifter, name: str, file: str, line_map) -> LiftedKernel:
    if not lifter.stores:
        raise LiftError("C2C110", "the kernel stores nothing to global memory", lifter.line(lifter.kernel.node))
    if any(st.accumulate for st in lifter.stores):
        return _build_accumulation(lifter, name, line_map)
    raw_stores, lane_widths = _merge_lanes(lifter.stores)
    axes_vars = sorted({s for st in raw_stores for e in _index_exprs(st) for s in sx.free_symbols(e) if _is_axis_symbol(s)},
                       key=_axis_key)
    for st in raw_stores:
        _check_thread_free(st.index, st.line, "store index")
    extents: dict[sx.Sym, sx.Expr] = {lane: sx.const(width) for lane, width in lane_widths.items()}
    stores = []
    for st in raw_stores:
        bounds, preds = _split_guards(st, axes_vars)
        bounds.update({lane: sx.const(width) for lane, width in lane_widths.items()})
        for v in axes_vars:
            if v not in bounds and v.name == "gid.b":  # one result per block, unguarded: every block of the launch writes
                bounds[v] = sx.sym(GRID_DIM_X, 0, None)
            elif v not in bounds and v.name.startswith("gid."):
                # no guard: every launched thread writes, so the domain is the launch itself; the port takes the
                # thread count as an explicit parameter (gridDim * blockDim of the CUDA launch)
                bounds[v] = sx.sym(LAUNCH_EXTENT_PREFIX + v.name[-1], 0, None)
            if v not in bounds:
                raise LiftError("C2C104", f"no bounds guard on {v.name}: the domain is unknown", st.line)
            if v in extents and extents[v] != bounds[v]:
                raise LiftError("C2C104", f"stores guarded by different bounds ({extents[v]} and {bounds[v]})", st.line)
            extents[v] = bounds[v]
        stores.append((st, preds))
    renames = {v: sx.sym(f"i{k}", 0, None) for k, v in enumerate(axes_vars)}
    axes = tuple(Axis(renames[v].name, extents[v]) for v in axes_vars)
    slots: list[Store | None] = []
    latest: dict[tuple[str, sx.Expr], int] = {}
    for st, preds in stores:
        index = sx.substitute(st.index, renames)
        value = _rename(st.value.node, renames, st.line)
        prev = latest.get((st.tensor, index))
        if preds:  # a predicated store keeps what the element held before: an earlier store's value or memory
            cond = preds[0].node
            for p in preds[1:]:
                cond = Binary(Op.AND, cond, p.node)
            before = slots[prev].value if prev is not None else Load(st.tensor, index, value.dtype)
            value = _select(_rename(cond, renames, st.line), value, before)
        if prev is not None:
            slots[prev] = None  # this store decides the element now
        _check_injective(index, axes, st.line)
        latest[(st.tensor, index)] = len(slots)
        slots.append(Store(st.tensor, index, value, Span(*line_map(st.line))))
    out_stores = [s for s in slots if s is not None]
    return _lifted(lifter, name, line_map, axes, out_stores, extents, {renames[v].name: v.name for v in axes_vars})


def _lifted(lifter: Lifter, name: str, line_map, axes: tuple[Axis, ...], out_stores: list[Store], extents: dict,
            origin: dict[str, str]) -> LiftedKernel:
    written = {s.tensor for s in out_stores}
    read = {ld.tensor for s in out_stores for ld in (*loads(s.value), *gathers(s.value))}
    params = []
    launch_extents = {s.name for e in extents.values() for s in sx.free_symbols(e) if is_launch_param(s.name)}
    launch_extents |= {n.name for s in out_stores for n in walk(s.value) if isinstance(n, Param) and is_launch_param(n.name)}
    for p in lifter.kernel.params:
        if p.name in lifter.scalars:
            params.append(ScalarParam(p.name, lifter.scalars[p.name]))
        else:
            dt = next((ld.dtype for s in out_stores for ld in (*loads(s.value), *gathers(s.value)) if ld.tensor == p.name), None)
            dt = dt or next((s.value.dtype for s in out_stores if s.tensor == p.name), None)
            role = "inout" if p.name in read and p.name in written else "output" if p.name in written else "input"
            if dt is None:
                base = lifter.types.get(p.type.base, p.type.base)
                dt = dtype(VECTOR_TYPES.get(base, (ELEMENT_TYPES.get(base, "float32"),))[0])
            params.append(TensorParam(p.name, dt, role))
    launch_order = {GRID_DIM_X: 0, BLOCK_DIM_X: 1}  # as in <<<grid, block>>>
    params += [ScalarParam(name, dtype("int64")) for name in sorted(launch_extents, key=lambda n: (launch_order.get(n, 2), n))]
    first, last = line_map(lifter.line(lifter.kernel.node)), line_map(lifter.kernel.node.end_point[0] + 1)
    reduces = any(isinstance(n, Reduce) for s in out_stores for n in walk(s.value))
    op_class = ("row" if len(axes) > 1 else "reduction") if reduces else "pointwise"
    op = Operator(name, tuple(params), axes, tuple(out_stores), op_class,
                  Span(first[0], first[1], last[1]))
    return LiftedKernel(op, origin, dict(lifter.block_requirements))


def identity_of(op: Op, dt) -> float | int:
    """The value that leaves an accumulation unchanged: 0, 1, or the lowest / highest value of the type."""
    if op in (Op.ADD, Op.MUL):
        value = 0 if op is Op.ADD else 1
        return float(value) if dt.is_float else value
    if dt.is_float:
        return float("-inf") if op is Op.MAX else float("inf")
    info = np.iinfo(dt.storage)
    return int(info.min) if op is Op.MAX else int(info.max)


def _build_accumulation(lifter: Lifter, name: str, line_map) -> LiftedKernel:
    """Atomic accumulations: `out[f(S)] op= v` over every point reaching the call is `out[f(S)] = out[f(S)] op reduce(v)`
    with the reduction over the axes the index does not use (all of them: a full reduction; the rows: column sums)."""
    raw = lifter.stores
    if not all(st.accumulate for st in raw):
        raise LiftError("C2C101", "atomic accumulation mixed with plain stores in one kernel", raw[0].line)
    if len(raw) != 1:
        raise LiftError("C2C213", "more than one atomic accumulation in one kernel", raw[1].line)
    (st,) = raw
    _check_thread_free(st.index, st.line, "atomic target index")
    used = sorted({s for e in _index_exprs(st) for s in sx.free_symbols(e) if _is_axis_symbol(s)}, key=_axis_key)
    out_vars = [v for v in used if v in sx.free_symbols(st.index)]
    red_vars = [v for v in used if v not in out_vars]
    bounds, preds = _split_guards(st, used)
    missing = [v.name for v in used if v not in bounds]
    if missing:
        raise LiftError("C2C104", f"no bounds guard on {', '.join(missing)}: the domain of the accumulation is unknown", st.line)
    renames = {v: sx.sym(f"i{k}", 0, None) for k, v in enumerate(out_vars)}
    renames |= {v: sx.sym(f"k{k + 1}", 0, None) for k, v in enumerate(red_vars)}
    op, elem = st.accumulate, st.value.node.dtype
    acc = F32 if elem.is_float else elem
    value = _rename(st.value.node, renames, st.line)
    value = value if value.dtype == acc else Cast(value, acc)
    if preds:
        cond = preds[0].node
        for p in preds[1:]:
            cond = Binary(Op.AND, cond, p.node)
        value = Select(_rename(cond, renames, st.line), value, Const(identity_of(op, acc), acc))
    for v in reversed(red_vars):
        value = Reduce(op, renames[v].name, sx.substitute(bounds[v], renames), value, acc)
    index = sx.substitute(st.index, renames)
    axes = tuple(Axis(renames[v].name, sx.substitute(bounds[v], renames)) for v in out_vars)
    _check_injective(index, axes, st.line)
    total = value if value.dtype == elem else Cast(value, elem)
    store = Store(st.tensor, index, Binary(op, Load(st.tensor, index, elem), total), Span(*line_map(st.line)))
    lifted = _lifted(lifter, name, line_map, axes, [store], dict(bounds), {renames[v].name: v.name for v in used})
    lifted.reduced_axes = tuple(Axis(renames[v].name, sx.substitute(bounds[v], renames)) for v in red_vars)
    for axis, extent, origin in lifter.grid_axes:  # grid-wide partials reduced inside the value: the launch covers them
        lifted.reduced_axes += (Axis(f"grid_{axis}", extent),)
        lifted.axis_origin[f"grid_{axis}"] = origin
    return lifted


def _select(cond: Node, a: Node, b: Node) -> Node:
    """`cond ? a : b`, folding `c ? a : (!c ? w : x)` (an if/else that stores in both branches) to `c ? a : w`."""
    if isinstance(b, Select):
        negates = (isinstance(cond, Unary) and cond.op is Op.NOT and cond.x == b.cond) or \
                  (isinstance(b.cond, Unary) and b.cond.op is Op.NOT and b.cond.x == cond)
        if negates:
            return Select(cond, a, b.a)
    return Select(cond, a, b)


def _index_exprs(st: RawStore) -> list[sx.Expr]:
    """Every index expression a store depends on: its own, its loads', its guards'."""
    exprs = [st.index, *(ld.index for ld in loads(st.value.node))]
    exprs += [e for cond in st.conds for c in conjuncts(cond) if c.index for e in c.index[1:]]
    return exprs


def _check_thread_free(e: sx.Expr, line: int, what: str) -> None:
    bad = sorted(s.name for s in sx.free_symbols(e) if s.name.startswith(THREAD_PREFIXES))
    if bad:
        raise LiftError("C2C101", f"{what} {e} depends on the block decomposition ({', '.join(bad)}): threads of a block "
                        "cooperate or the kernel assumes a launch shape", line)


def _rename(node: Node, renames: dict, line: int) -> Node:
    match node:
        case Load(tensor=t, index=e, type=dt):
            _check_thread_free(e, line, "load index")
            return Load(t, sx.substitute(e, renames), dt)
        case IndexValue(index=e, type=dt):
            _check_thread_free(e, line, "index value")
            return IndexValue(sx.substitute(e, renames), dt)
        case Gather(tensor=t, base=e, offset=o, type=dt):
            _check_thread_free(e, line, "gather index")
            return Gather(t, sx.substitute(e, renames), _rename(o, renames, line), dt)
        case Reduce(op=op, axis=k, extent=e, body=b, type=t):
            _check_thread_free(e, line, "reduction extent")
            return Reduce(op, k, sx.substitute(e, renames), _rename(b, renames, line), t)
    return map_children(node, lambda child: _rename(child, renames, line))


def axis_strides(index: sx.Expr, axis_names: list[str]) -> dict[str, sx.Expr] | None:
    """Stride of each axis in an index that is linear in the axes (strides may be symbolic), else None."""
    terms, _ = sx.linear_parts(index)
    strides: dict[str, sx.Expr] = {}
    for atom, k in terms.items():
        names = [s.name for s in sx.free_symbols(atom) if s.name in axis_names]
        if not names:
            continue
        if len(names) > 1:
            return None
        if isinstance(atom, sx.Sym):
            coeff: sx.Expr = sx.const(k)
        elif isinstance(atom, sx.Prod) and sum(f == sx.sym(names[0], 0, None) for f in atom.factors) == 1:
            others = [f for f in atom.factors if f != sx.sym(names[0], 0, None)]
            if any(sx.free_symbols(f) & {sx.sym(n, 0, None) for n in axis_names} for f in others):
                return None
            coeff = sx.mul(k, _product(others))
        else:
            return None
        strides[names[0]] = sx.add(strides.get(names[0], sx.const(0)), coeff)
    return strides


def _product(factors: list[sx.Expr]) -> sx.Expr:
    out: sx.Expr = sx.const(1)
    for f in factors:
        out = sx.mul(out, f)
    return out


def _check_injective(index: sx.Expr, axes: tuple[Axis, ...], line: int) -> None:
    """Each point of the domain must write its own element: strides ordered, each covering the inner span."""
    found = axis_strides(index, [a.name for a in axes])
    if found is None:
        raise LiftError("C2C105", f"store index {index} is not linear in the domain axes", line)
    strides = []
    for a in axes:
        k, extent = found.get(a.name, sx.const(0)), a.extent
        if k == sx.const(0):
            raise LiftError("C2C105", f"every point along {a.name} writes the same element of the output (index {index})", line)
        strides.append((k, extent))
    span = sx.const(1)
    for k, extent in reversed(strides):
        if not sx.proves_le(span, k):
            raise LiftError("C2C105", f"store index {index} may write one element from two points of the domain", line)
        span = sx.mul(k, extent)
