"""Recognising accumulations: `acc = acc op f` with op associative (+, max, min), spelled any common way.

Shared by the per-thread serial loops of the Lifter and the cooperative idioms: an update is evaluated with a marker
for the accumulator, and it is an accumulation when the result is `marker op f` with f free of the marker.
"""
from __future__ import annotations

from dataclasses import dataclass

from cuda2cann.frontend.cuda.values import Idx, Val, Value
from cuda2cann.ir.dtypes import dtype
from cuda2cann.ir.nodes import Binary, Cast, Const, Param, Select, Unary, map_children, walk
from cuda2cann.ir.ops import Op

#: the value that leaves each accumulation unchanged
IDENTITY = {Op.ADD: 0.0, Op.MUL: 1.0, Op.MAX: float("-inf"), Op.MIN: float("inf")}


def constant(node) -> float | None:
    """The value of a constant node (literals and their negation), else None."""
    if isinstance(node, Const):
        return float(node.value)
    if isinstance(node, Cast):
        return constant(node.x)
    if isinstance(node, Unary) and node.op is Op.NEG:
        v = constant(node.x)
        return None if v is None else -v
    return None


def as_minmax(node):
    """`a > b ? a : b` is max(a, b) and `a < b ? a : b` is min(a, b) (also with >= / <=, and swapped): a Binary, else node."""
    if isinstance(node, Select) and isinstance(node.cond, Binary) and node.cond.op in (Op.GT, Op.GE, Op.LT, Op.LE):
        p, q = node.cond.a, node.cond.b
        if {node.a, node.b} == {p, q} and p != q:
            larger_first = node.cond.op in (Op.GT, Op.GE)
            picks_p = node.a == p
            return Binary(Op.MAX if larger_first == picks_p else Op.MIN, node.a, node.b)
    return node


def accumulation(new: Value, marker: Val):
    """(op, f) when new == marker op f (or f op marker) and f does not use the marker."""
    if isinstance(new, Val):
        new = Val(as_minmax(new.node))
    if not isinstance(new, Val) or not isinstance(new.node, Binary) or new.node.op not in (Op.ADD, Op.MUL, Op.MAX, Op.MIN):
        return None, None
    a, b = new.node.a, new.node.b
    f = b if a == marker.node else a if b == marker.node else None
    if f is None or any(n == marker.node for n in walk(f)):
        return None, None
    return new.node.op, f


def replace_node(node, old, new):
    """`node` with every subtree equal to `old` replaced by `new`."""
    return new if node == old else map_children(node, lambda child: replace_node(child, old, new))


def _terms(node, op: Op) -> list:
    """The operands of a chain of one commutative op (a + b + c → [a, b, c])."""
    if isinstance(node, Binary) and node.op is op:
        return _terms(node.a, op) + _terms(node.b, op)
    return [node]


def rescaled_by(node, old_max, new_max):
    """x when node is `x * exp(old_max - new_max)` (factors in any order), else None."""
    factors = _terms(node, Op.MUL)
    scale = Unary(Op.EXP, Binary(Op.SUB, old_max, new_max))
    if scale not in factors:
        return None
    rest = list(factors)
    rest.remove(scale)
    out = rest[0] if rest else Const(1.0, scale.dtype)
    for f in rest[1:]:
        out = Binary(Op.MUL, out, f)
    return out


def online_sum(new_s, s_marker, m_marker, new_m, placeholder):
    """The online-softmax update `s' = s * exp(m - m') + h` with `m' = max(m, f)` and h free of s and m except through
    m': returns h with m' replaced by `placeholder` (the final maximum), else None.

    With m' the running maximum, s after the last element is sum(h[m' := max]), whatever the order: every earlier
    term was rescaled by exp(m_old - m_new) as the maximum grew, so the sum telescopes.
    """
    terms = _terms(new_s, Op.ADD)
    carried = [t for t in terms if rescaled_by(t, m_marker, new_m) == s_marker]
    if len(carried) != 1:
        return None
    rest = [t for t in terms if t is not carried[0]]
    if not rest:
        return None
    h = rest[0]
    for t in rest[1:]:
        h = Binary(Op.ADD, h, t)
    h = replace_node(h, new_m, placeholder)
    if any(n in (s_marker, m_marker) for n in walk(h)):
        return None
    return h


@dataclass(frozen=True)
class Accumulation:
    """`acc = acc op body`; for an online-softmax sum, body holds online_placeholder(online_max) for the final maximum."""

    op: Op
    body: object  # ir Node
    online_max: str = ""
    #: an argmax / argmin: the name of the max / min accumulation it follows, and the position value it records;
    #: Welford's m2: the name of its running mean
    arg_of: str = ""
    position: object = None  # ir Node: what the index variable is set to, in terms of the loop position
    #: "" (op over body), "online" (online-softmax sum), "mean" / "m2" (Welford's running mean / squared deviations)
    kind: str = ""
    count: str = ""  # Welford: the counter variable

    def __post_init__(self) -> None:
        if self.online_max and not self.kind:
            object.__setattr__(self, "kind", "online")


def online_placeholder(max_name: str) -> Param:
    return Param(f"__online_max_{max_name}", dtype("float32"))


def accumulations(changed: list[str], updated: dict, markers: dict[str, Val]) -> dict[str, Accumulation]:
    """The accumulators among `changed` (updated values computed with `markers` for the old ones): + max min, and
    online-softmax sums rescaled by a running maximum that is itself one of them."""
    marker_nodes = {m.node for m in markers.values()}
    found: dict[str, Accumulation] = {}
    for name in changed:
        op, f = accumulation(updated.get(name), markers[name])
        if op is not None and not any(n in marker_nodes for n in walk(f)):
            found[name] = Accumulation(op, f)
    for name in changed:
        new = updated.get(name)
        if name in found or not isinstance(new, Val):
            continue
        arg = position_of_extreme(new.node, markers[name].node, found, markers)
        if arg is not None:
            found[name] = arg
            continue
        for m, acc in list(found.items()):
            if acc.op is not Op.MAX or acc.online_max or not isinstance(updated.get(m), Val):
                continue
            h = online_sum(new.node, markers[name].node, markers[m].node, updated[m].node, online_placeholder(m))
            if h is not None and not any(n in marker_nodes for n in walk(h)):
                found[name] = Accumulation(Op.ADD, h, m)
                break
    return found


def position_of_extreme(new, own, found: dict[str, Accumulation], markers: dict[str, Val]) -> Accumulation | None:
    """`idx = f > best ? position : idx` next to `best = max(best, f)` (or `<` and min): the first position of the
    extreme. `>=` / `<=` would keep the last one and is not recognised."""
    if not (isinstance(new, Select) and new.b == own and isinstance(new.cond, Binary)):
        return None
    cond = new.cond
    for m, acc in found.items():
        if acc.op not in (Op.MAX, Op.MIN) or acc.online_max or acc.arg_of:
            continue
        best = markers[m].node
        strict = Op.GT if acc.op is Op.MAX else Op.LT
        if (cond.op is strict and cond.a == acc.body and cond.b == best) or \
                (cond.op is _FLIP[strict] and cond.a == best and cond.b == acc.body):
            if any(n in {mk.node for mk in markers.values()} for n in walk(new.a)):
                return None
            return Accumulation(Op.ARGMAX if acc.op is Op.MAX else Op.ARGMIN, acc.body, arg_of=m, position=new.a)
    return None


_FLIP = {Op.GT: Op.LT, Op.LT: Op.GT}


def welford_updates(names: list[str], updated: dict, markers: dict[str, Val], counts: dict) -> dict[str, Accumulation]:
    """Welford's update over a counter n (already stepped): `mean += (f - mean) / n; m2 += (f - mean_old) * (f - mean)`.

    `counts` maps each counter's updated value (an Idx) to its name. Returns the mean and m2 accumulations found."""
    found: dict[str, Accumulation] = {}
    for mean in names:
        new = updated.get(mean)
        if not isinstance(new, Val):
            continue
        own = markers[mean].node
        terms = _terms(new.node, Op.ADD)
        if len(terms) != 2 or own not in terms:
            continue
        step = terms[1] if terms[0] == own else terms[0]
        if not (isinstance(step, Binary) and step.op is Op.DIV and isinstance(step.a, Binary) and step.a.op is Op.SUB
                and step.a.b == own):
            continue
        count = _counter_of(step.b, counts)
        f = step.a.a
        if count is None or any(n in {m.node for m in markers.values()} for n in walk(f)):
            continue
        for m2 in names:
            new2 = updated.get(m2)
            if m2 == mean or not isinstance(new2, Val):
                continue
            own2 = markers[m2].node
            terms2 = _terms(new2.node, Op.ADD)
            if len(terms2) != 2 or own2 not in terms2:
                continue
            product = terms2[1] if terms2[0] == own2 else terms2[0]
            factors = _terms(product, Op.MUL)
            if sorted(map(str, factors)) == sorted(map(str, [Binary(Op.SUB, f, own), Binary(Op.SUB, f, new.node)])):
                found[mean] = Accumulation(Op.ADD, f, kind="mean", count=count)
                found[m2] = Accumulation(Op.ADD, f, arg_of=mean, kind="m2", count=count)
    return found


def _counter_of(node, counts: dict) -> str | None:
    """The counter whose stepped value `node` is (possibly converted to float)."""
    inner = node.x if isinstance(node, Cast) else node
    for value, name in counts.items():
        if isinstance(value, Idx) and getattr(inner, "index", None) == value.e:
            return name
    return None
