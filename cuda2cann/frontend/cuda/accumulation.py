"""Recognising accumulations: `acc = acc op f` with op associative (+, max, min), spelled any common way.

Shared by the per-thread serial loops of the Lifter and the cooperative idioms: an update is evaluated with a marker
for the accumulator, and it is an accumulation when the result is `marker op f` with f free of the marker.
"""
from __future__ import annotations

from cuda2cann.frontend.cuda.values import Val, Value
from cuda2cann.ir.nodes import Binary, Cast, Const, Select, Unary, walk
from cuda2cann.ir.ops import Op

#: the value that leaves each accumulation unchanged
IDENTITY = {Op.ADD: 0.0, Op.MAX: float("-inf"), Op.MIN: float("inf")}


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
    if not isinstance(new, Val) or not isinstance(new.node, Binary) or new.node.op not in (Op.ADD, Op.MAX, Op.MIN):
        return None, None
    a, b = new.node.a, new.node.b
    f = b if a == marker.node else a if b == marker.node else None
    if f is None or any(n == marker.node for n in walk(f)):
        return None, None
    return new.node.op, f
