"""Tuples merged across the threads of a row: argmax / argmin (value, position) pairs, Welford (count, mean, m2)
triples (cooperative_welford) and online-softmax (max, sum) pairs.

Each thread keeps its tuple over its strided elements (argmax: `if (v > best) { best = v; bi = c; }`, the first
position of its extreme). A merge step takes the partner's tuple into its own, in a shared-memory tree (one array per
component, `if (tid < s) { ... }`) or a halving loop of shuffles, possibly in two levels (each warp, then the warps'
tuples published through shared memory). A step is checked by evaluating it once with markers for the two tuples
and then on a table of tuples, so any spelling of the same merge is recognised:

    if (ov > sv[tid] || (ov == sv[tid] && oi < si[tid])) { sv[tid] = ov; si[tid] = oi; }     // argmax pair, tree
    float ov = __shfl_down_sync(m, best, o); int oi = __shfl_down_sync(m, bi, o); if (...) { best = ov; bi = oi; }

The merged argmax is the first position of the row's extreme whatever the order; without the tie rule a tie is
won by the thread that found it, not by the smaller position (thread 0's element 256 beats thread 1's element 1),
and the kernel is refused with that reason. Online-softmax merges are also checked on lanes that saw no element,
which merge to NaN in the CUDA original when m starts at -INFINITY.
"""
from __future__ import annotations

import math
from collections.abc import Callable

from tree_sitter import Node as TSNode

from cuda2cann.frontend.cuda.accumulation import IDENTITY, Accumulation, constant
from cuda2cann.frontend.cuda.cooperative_values import ALL, THREAD0, TID, Partial, Shared, WarpReduced, WarpSums
from cuda2cann.frontend.cuda.cooperative_welford import evaluate, merge_verdict
from cuda2cann.frontend.cuda.domain import _rename as rename_axes
from cuda2cann.frontend.cuda.lift import ThreadState
from cuda2cann.frontend.cuda.values import Idx, Val, Value, as_node
from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.dtypes import dtype
from cuda2cann.ir.nodes import Cast, Const, IndexValue, Node, Param, Reduce
from cuda2cann.ir.ops import Op

F32, INT32 = dtype("float32"), dtype("int32")
ARG_OPS = (Op.ARGMAX, Op.ARGMIN)
#: (own value, own position, partner value, partner position) pairs a combine step is checked on, ties included
PAIR_TABLE = ((1.0, 5, 2.0, 9), (2.0, 5, 1.0, 3), (1.0, 5, 1.0, 3), (1.0, 3, 1.0, 5), (-1.0, 8, -1.0, 2),
              (-math.inf, 0, -math.inf, 7), (-math.inf, 4, 3.0, 7), (3.0, 2, -math.inf, 0), (0.5, 1, -0.5, 0))


#: the roles of each tuple kind and their marker names / types
TUPLE_ROLES = {"(value, position)": {"value": ("v", F32), "position": ("i", INT32)},
               "Welford": {"count": ("count", INT32), "mean": ("mean", F32), "m2": ("m2", F32)},
               "online-softmax": {"m": ("m", F32), "s": ("s", F32)}}


def tuple_markers(kind: str, side: str) -> dict[str, Val]:
    """Markers for one side ("own" / "other") of a tuple merge, named as the verdicts evaluate them."""
    return {role: Val(Param(f"__{side}_{short}", dt)) for role, (short, dt) in TUPLE_ROLES[kind].items()}


#: the marker names of PAIR_TABLE's columns
PAIR_NAMES = tuple(m.node.name for side in ("own", "other") for m in tuple_markers("(value, position)", side).values())


#: (own m, s, partner m, s) of lanes that saw elements: an online-softmax merge is checked on them, and on empty lanes
ONLINE_TABLE = ((1.0, 2.0, 0.5, 3.0), (0.5, 3.0, 1.0, 2.0), (-2.0, 1.0, 3.0, 0.25), (1.0, 1.0, 1.0, 1.0), (4.0, 0.5, -1.0, 7.0))


def _online_merged(m1: float, s1: float, m2: float, s2: float) -> tuple[float, float]:
    m = max(m1, m2)

    def scaled(s_: float, m_: float) -> float:
        return 0.0 if s_ == 0.0 else s_ * math.exp(m_ - m)

    return m, scaled(s1, m1) + scaled(s2, m2)


def online_pair_verdict(m_after: Value, s_after: Value, own: dict[str, Val], other: dict[str, Val], empty_m: float | None) -> str:
    """'' when one step merges (m, s) pairs as m' = max(m, m2), s' = s * exp(m - m') + s2 * exp(m2 - m'), also for lanes
    that saw no element ((empty_m, 0): the accumulators' start), else the reason."""
    if not (isinstance(m_after, Val) and isinstance(s_after, Val)):
        return "the step does not leave a maximum and a sum"
    names = [own["m"].node.name, own["s"].node.name, other["m"].node.name, other["s"].node.name]
    rows = [(row, False) for row in ONLINE_TABLE]
    if empty_m is not None:
        rows += [((empty_m, 0.0, 2.0, 1.5), True), ((2.0, 1.5, empty_m, 0.0), True), ((empty_m, 0.0, empty_m, 0.0), True)]
    for row, empty in rows:
        scalars = dict(zip(names, row, strict=True))
        got = [evaluate(v.node, scalars) for v in (m_after, s_after)]
        for what, g, w in zip(("maximum", "sum"), got, _online_merged(*row), strict=True):
            if not (g == w or math.isclose(g, w, rel_tol=1e-5, abs_tol=1e-6)):
                if empty:
                    return (f"merging lanes that saw no element ((m, s) = ({empty_m}, 0)) gives {g} for the {what}, not {w}"
                            " (exp(-inf - -inf) is NaN: start m at -FLT_MAX or guard the rescaling)")
                return f"the {what} is not merged as max(m, m2) and s * exp(m - m') + s2 * exp(m2 - m')"
    return ""


def _first_extreme(op: Op, own_v: float, own_i: int, other_v: float, other_i: int) -> tuple[float, int]:
    """The reference combine: the better value, the smaller position on a tie."""
    better = other_v > own_v if op is Op.ARGMAX else other_v < own_v
    return (other_v, other_i) if better or (other_v == own_v and other_i < own_i) else (own_v, own_i)


def _evaluate(node: Node, values: tuple) -> float:
    return evaluate(node, dict(zip(PAIR_NAMES, values, strict=True)))


def combine_verdict(op: Op, value: Value, position: Value) -> str:
    """'' when (value, position) after one step is the first-extreme combine of the marker pairs, else the reason."""
    if not (isinstance(value, Val) and isinstance(position, (Val, Idx))):
        return "the step does not leave a value and a position"
    pos = as_node(position, INT32)
    ties_by_thread = False
    for row in PAIR_TABLE:
        want = _first_extreme(op, *row)
        got = (_evaluate(value.node, row), _evaluate(pos, row))
        if got[0] != want[0] and not (math.isinf(got[0]) and got[0] == want[0]):
            return "the step does not keep the better value"
        if got[1] != want[1]:
            ties_by_thread |= row[0] == row[2]
            if row[0] != row[2]:
                return "the step does not keep the position of the better value"
    if ties_by_thread:
        return ("ties are won by the thread that holds a pair, not by the smaller position (thread 0's element 256 would beat "
                "thread 1's element 1): add `|| (v2 == v && i2 < i)` to the condition to get the first position")
    return ""


class ArgPairs:
    """Mixin of the CooperativeLifter: argmax / argmin partials and their pair combines."""

    def arg_partial(self, name: str, acc: Accumulation, axis: sx.Sym, k: sx.Sym, extent: sx.Expr, sub: ThreadState,
                    state: ThreadState, lanes: str, body: TSNode) -> Partial:
        """`if (v > best) { best = v; bi = c; }` in a strided loop: the thread's first position of its extreme."""
        position = acc.position.x if isinstance(acc.position, Cast) else acc.position
        if not (isinstance(position, IndexValue) and position.index == axis):
            raise self.fail("C2C101", f"{name} records something other than the element's position in the row", body)
        if constant(as_node(sub.env[acc.arg_of])) != IDENTITY[Op.MAX if acc.op is Op.ARGMAX else Op.MIN]:
            raise self.fail("C2C101", f"an argmax / argmin whose running extreme {acc.arg_of} does not start at -INFINITY / "
                            "INFINITY", body)
        start = sub.env[name]
        if not (isinstance(start, Idx) and start.e == sx.const(0)):
            raise self.fail("C2C101", f"{name} does not start at 0, the first position (a row of -INFINITY would keep it)", body)
        value = state.env.get(acc.arg_of)
        if not isinstance(value, Partial):
            raise self.fail("C2C101", f"the running extreme {acc.arg_of} of {name} is not a partial of the strided loop", body)
        return Partial(acc.op, k.name, extent, rename_axes(acc.body, {axis: k}, 0), Const(0, INT32), lanes, arg_of=value.axis)

    def arg_total(self, p: Partial) -> Val:
        body = p.body if p.body.dtype.is_float else Cast(p.body, F32)
        return Val(Reduce(p.op, p.axis, p.extent, body, INT32))

    def arg_pair(self, partials: dict[str, Partial], node: TSNode) -> tuple[str, str] | None:
        """(value name, position name) of the one argmax / argmin pair among named partials, None without one."""
        args = [n for n, p in partials.items() if p.op in ARG_OPS]
        if not args:
            return None
        if len(args) > 1:
            raise self.fail("C2C101", "a combine step of several (value, position) pairs", node)
        value = next((n for n, p in partials.items() if p.axis == partials[args[0]].arg_of), None)
        if value is None:
            raise self.fail("C2C101", f"the running extreme of {args[0]} is not combined with it", node)
        return value, args[0]

    def pair_tree(self, s: sx.Expr, run_step: Callable[[ThreadState], None], step: TSNode, sub: ThreadState, state: ThreadState,
                  whole_block: bool) -> None:
        """A tree step over several shared arrays that combines tuples: `if (tid < s) { ...merge the partner's tuple... }`
        with an argmax / argmin pair, a Welford triple or an online-softmax (max, sum) pair; `run_step` evaluates the
        step's statements in a thread state."""
        arrays = {n: v.partial for n, v in state.env.items() if isinstance(v, Shared) and v.partial is not None}
        kind, members = self.tree_tuple(arrays, step)
        partials = {role: arrays[name] for role, name in members.items()}
        lanes = {p.lanes for p in partials.values()}
        if len(lanes) != 1 or (lanes == {"block"}) != whole_block or not lanes <= {"block", "warp"}:
            raise self.fail("C2C101", f"the {kind} tree combines over other lanes than the partials", step)
        own, other = tuple_markers(kind, "own"), tuple_markers(kind, "other")
        self.tree_reads = {(members[r], sx.add(TID, s)): other[r] for r in members}
        self.pair_arrays = {name: f"__pair_{name}" for name in members.values()}
        probe = ThreadState({**sub.env, **{f"__pair_{members[r]}": own[r] for r in members}}, sub.conds)
        try:
            run_step(probe)
        finally:
            self.tree_reads, self.pair_arrays = {}, {}
        after = {r: probe.env.get(f"__pair_{members[r]}") for r in members}
        reason = self.tuple_verdict(kind, partials, after, own, other)
        if reason:
            raise self.fail("C2C101", f"the {kind} tree step: {reason}", step)
        for role, value in self.tuple_totals(kind, partials, step).items():
            state.env[members[role]] = Shared(members[role], reduced=value)

    def tree_tuple(self, arrays: dict[str, Partial], step: TSNode) -> tuple[str, dict[str, str]]:
        """The kind of tuple the shared arrays hold and role -> array name."""
        pair = self.arg_pair(arrays, step)
        if pair is not None:
            return "(value, position)", {"value": pair[0], "position": pair[1]}
        welford = {p.welford: n for n, p in arrays.items() if p.welford}
        if welford:
            if set(welford) != {"count", "mean", "m2"} or len({arrays[n].group for n in welford.values()}) != 1:
                raise self.fail("C2C101", "a tree step over an incomplete Welford triple (count, mean and m2 in shared memory)",
                                step)
            return "Welford", welford
        online = [(n, p) for n, p in arrays.items() if p.online_max]
        if len(online) == 1:
            s_name, ps = online[0]
            m_name = next((n for n, p in arrays.items() if p is self.online_maxima.get(ps.online_max)), None)
            if m_name is not None:
                return "online-softmax", {"m": m_name, "s": s_name}
        raise self.fail("C2C101", "the tree step is not `sh[tid] op= sh[tid + s]` over the lanes' partials, nor the merge "
                        "of (value, position), Welford or online-softmax tuples", step)

    def tuple_verdict(self, kind: str, partials: dict[str, Partial], after: dict[str, Value], own: dict[str, Val],
                      other: dict[str, Val]) -> str:
        if kind == "(value, position)":
            return combine_verdict(partials["position"].op, after["value"], after["position"])
        if kind == "Welford":
            markers = {f"own_{r}": own[r] for r in own} | {f"other_{r}": other[r] for r in other}
            return merge_verdict(after, {r: r for r in after}, markers)
        return online_pair_verdict(after["m"], after["s"], own, other, constant(partials["m"].init))

    def tuple_totals(self, kind: str, partials: dict[str, Partial], node: TSNode) -> dict[str, Value]:
        if kind == "(value, position)":
            return {"value": self.total(partials["value"], node), "position": self.arg_total(partials["position"])}
        if kind == "Welford":
            return self.welford_totals(partials)
        m_total = self.total(partials["m"], node)
        return {"m": m_total, "s": self.total(partials["s"], node, m_total)}

    def tuple_shuffle(self, var: str, body: TSNode, sub: ThreadState, state: ThreadState) -> bool:
        """A halving loop of shuffles merging a tuple (argmax pair, Welford triple, online-softmax pair); False when
        the variables hold no tuple. Over per-lane partials it is a warp's merge: the row's result in a warp per row,
        else the first level of two (WarpReduced per component, decided where it is used); over per-warp slots read
        back (WarpSums) it is the second level."""
        found = {n: v for n, v in state.env.items() if isinstance(v, (Partial, WarpSums))}
        partials = {n: v.partial if isinstance(v, WarpSums) else v for n, v in found.items()}
        if not any(p.op in ARG_OPS or p.welford or p.online_max for p in partials.values()):
            return False
        kind, members = self.tree_tuple(partials, body)
        levels = {type(found[n]) for n in members.values()}
        if len(levels) != 1:
            raise self.fail("C2C101", f"a {kind} merge of per-lane partials and per-warp slots together", body)
        by_role = {r: partials[n] for r, n in members.items()}
        if any(p.lanes not in ("block", "warp") for p in by_role.values()):
            raise self.fail("C2C101", f"a {kind} merge of partials strided over the grid", body)
        own, other = tuple_markers(kind, "own"), tuple_markers(kind, "other")
        self.shuffle_reads, self.shuffle_kinds = {n: other[r] for r, n in members.items()}, set()
        probe = ThreadState({**sub.env, **{n: own[r] for r, n in members.items()}, var: Idx(sx.sym("__o", 1, None))}, sub.conds)
        try:
            self.statement(body, probe)
        finally:
            self.shuffle_reads = {}
        if len(self.shuffle_kinds) != 1:
            raise self.fail("C2C101", f"the components of the {kind} tuple must all be shuffled the same way", body)
        reason = self.tuple_verdict(kind, by_role, {r: probe.env.get(n) for r, n in members.items()}, own, other)
        if reason:
            raise self.fail("C2C101", f"the {kind} shuffle step: {reason}", body)
        shuffle = self.shuffle_kinds.pop()
        first = found[members[next(iter(members))]]
        if isinstance(first, WarpSums):  # the second level: the warps' tuples merged into the row's
            holders = self.second_level_holders(first, shuffle, state)
        elif next(iter(by_role.values())).lanes == "block" and self.block_requirements.get("x") != 32:
            for r, n in members.items():  # one merge per warp: the row's result only in a block of one warp
                state.env[n] = WarpReduced(by_role[r], shuffle)
            return True
        else:
            self.block_requirements["x"] = 32  # one warp holds the whole row
            holders = THREAD0 if shuffle == "down" else ALL
        for r, value in self.tuple_totals(kind, by_role, body).items():
            state.env[members[r]] = value
            self.hold(value, holders)
        return True

    def component_total(self, p: Partial, node: TSNode) -> Val:
        """The row's value of one partial, a tuple's component included (a warp's merge used as the row's result)."""
        if p.op in ARG_OPS:
            return self.arg_total(p)
        if p.welford:
            return self.welford_totals(self.welford_groups[p.group])[p.welford]
        if p.online_max:
            return self.total(p, node, self.total(self.online_maxima[p.online_max], node))
        return self.total(p, node)
