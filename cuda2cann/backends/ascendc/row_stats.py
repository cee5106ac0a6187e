"""Pairs of row statistics that one streaming pass over a long row can take together.

A row program's reductions are lowered, for rows longer than the UB, as passes over GM. Two of them share one pass
when the second reads the first only through a per-row value of it that a chunk can stand in for:

- online max / sum (softmax, logsumexp): `m = max_c f` and `s = sum_c exp(f - t(m))`, t non-decreasing in m
  (m itself, max(m, -FLT_MAX), m + b). Per chunk the running max grows to m', and the sum taken so far against
  t(m) is rescaled by exp(t(m) - t(m')): exact in real arithmetic (Milakov & Gimelshein, "Online normalizer
  calculation for softmax", 2018). Since f <= m' every exponent stays at most the original's largest.
- sum / squared deviations (layernorm, variance): `s1 = sum_c f` and `s2 = sum_c (f - a(s1))^2`, a any per-row
  value of s1 (the mean s1 / n). Per chunk its sum and the squared deviations about its own mean, combined with
  Chan, Golub & LeVeque's parallel formula into M2 about the row's mean; then s2 = M2 + n (s1 / n - a)^2, exact in
  real arithmetic, and with no cancellation (both terms are non-negative).

Anything else keeps one pass per reduction. Reductions are compared up to the names of their axes (`canonical`):
the per-thread loop idioms repeat a reduction over a fresh axis.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.nodes import Binary, Const, Gather, IndexValue, Load, Node, Reduce, Unary, map_children, rebind_axis
from cuda2cann.ir.ops import Op

ONLINE, WELFORD = "online", "welford"


@dataclass(frozen=True)
class Merge:
    """The second reduction's body reads the first only through `shift` (t(m) or a(s1), a node of that body)."""

    kind: str  # ONLINE | WELFORD
    shift: Node


def canonical(node: Node, depth: int = 0) -> Node:
    """`node` with every reduction's axis named by its nesting depth: reductions that differ only in axis names are equal."""
    if isinstance(node, Reduce):
        red = rebind_axis(node, f"c2c_r{depth}")
        return Reduce(red.op, red.axis, red.extent, canonical(red.body, depth + 1), red.type)
    return map_children(node, lambda child: canonical(child, depth))


def merge(first: Reduce, second: Reduce, body: Callable[[Reduce], Node], col: sx.Sym) -> Merge | None:
    """How `second` shares a pass with `first` (`body` gives a reduction's body over the row's column `col`), or None."""
    if first.type.name != "float32" or second.type.name != "float32" or second.op is not Op.ADD:
        return None
    f, key = canonical(body(first)), canonical(first)
    if first.op is Op.MAX:
        shift = _online_shift(body(second), f)
        ok = shift is not None and _per_row_value_of(shift, key, col) and _non_decreasing(shift, key)
        return Merge(ONLINE, shift) if ok else None
    if first.op is Op.ADD:
        shift = _welford_shift(body(second), f)
        return Merge(WELFORD, shift) if shift is not None and _per_row_value_of(shift, key, col) else None
    return None


def _online_shift(body: Node, f: Node) -> Node | None:
    """t in `exp(f - t)`."""
    match body:
        case Unary(op=Op.EXP, x=Binary(op=Op.SUB, a=g, b=t)) if canonical(g) == f:
            return t
    return None


def _welford_shift(body: Node, f: Node) -> Node | None:
    """a in `(f - a)^2`, spelled d * d or pow(d, 2), with d = f - a or a - f."""
    match body:
        case Binary(op=Op.MUL, a=d, b=e) if d == e:
            pass
        case Binary(op=Op.POW, a=d, b=Const(value=2)):
            pass
        case _:
            return None
    match d:
        case Binary(op=Op.SUB, a=g, b=a) if canonical(g) == f:
            return a
        case Binary(op=Op.SUB, a=a, b=g) if canonical(g) == f:
            return a
    return None


def _outside_reductions(node: Node) -> Iterator[Node]:
    """The nodes of `node`, not descending into reductions (their bodies range over their own axes)."""
    yield node
    if not isinstance(node, Reduce):
        for child in node.children:
            yield from _outside_reductions(child)


def outer_reductions(node: Node) -> list[Reduce]:
    """The reductions `node` reads directly (not those nested in another reduction's body)."""
    return [n for n in _outside_reductions(node) if isinstance(n, Reduce)]


def _per_row_value_of(node: Node, key: Node, col: sx.Sym) -> bool:
    """`node` is one value per row computed from the reduction `key` (and constants, parameters, sizes) alone."""
    reds = outer_reductions(node)
    if not reds or any(canonical(r) != key for r in reds):
        return False
    for n in _outside_reductions(node):
        if isinstance(n, Load | Gather) or (isinstance(n, IndexValue) and col.name in {s.name for s in sx.free_symbols(n.index)}):
            return False
    return True


def _non_decreasing(node: Node, key: Node) -> bool:
    """`node` grows with the reduction `key`: key itself, or key shifted by / maxed with values free of it."""
    def free(n: Node) -> bool:
        return not outer_reductions(n)

    if isinstance(node, Reduce):
        return canonical(node) == key
    match node:
        case Binary(op=Op.ADD | Op.MAX, a=a, b=b):
            return (_non_decreasing(a, key) and free(b)) or (free(a) and _non_decreasing(b, key))
        case Binary(op=Op.SUB, a=a, b=b):
            return _non_decreasing(a, key) and free(b)
    return False
