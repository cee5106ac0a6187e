"""Quasi-affine integer index algebra: the arithmetic of CUDA thread indices.

Lifting a kernel evaluates one abstract thread: ``blockIdx.x * 256 + threadIdx.x``, ``i % C`` and
``(row * C + col) / C`` become :class:`Expr` values over symbols (thread and block indices, launch
dimensions, parameters, loop iterators). Symbols carry inclusive ranges, and the ranges let the algebra
simplify (``(c*a + b) // c`` is ``a`` when ``0 <= b < c``) and prove facts (``bx*256 + tx < n``).

Expressions are immutable, hashable, slotted frozen dataclasses compared structurally. Build them only
through the canonicalising constructors (:func:`const`, :func:`sym`, the operators ``+ - * // %``,
:func:`smin`, :func:`smax`) so that equal values tend to have equal forms; every constructor folds
constants, collects like terms and runs the rule tables below.

Semantics are Python's: ``//`` and ``%`` round toward negative infinity. CUDA's ``/`` and ``%`` truncate
toward zero, which differs when the dividend is negative, so the lifter maps C ``a / c`` to ``a // c`` only
when :func:`proves_nonnegative` holds for ``a``; :func:`to_c` refuses to print a division whose dividend it
cannot prove non-negative. A dividend's constant is reduced modulo the divisor (``(x - 1) // 4`` is
``(x + 3) // 4 - 1``) but kept large enough that the dividend stays provably non-negative where it can
(``(a - b + 1000) % 17`` with ``a, b`` in ``[0, 1000]`` keeps its ``1000``).

Simplifications assume every symbol stays inside its declared range, and :func:`substitute` assumes the
same of what it puts in a symbol's place.

Example::

    >>> bx, tx = sym("bx", 0, 47), sym("tx", 0, 255)
    >>> gid = bx * 256 + tx
    >>> str(gid), str(gid // 256), str(gid % 256)
    ('bx*256 + tx', 'bx', 'tx')
"""
from __future__ import annotations

import math
import operator
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache, reduce
from typing import Any

__all__ = [
    "Const", "Expr", "FloorDiv", "Max", "Min", "Mod", "Prod", "Sum", "Sym",
    "add", "as_expr", "bounds", "coefficient", "const", "evaluate", "floordiv", "free_symbols", "is_nonnegative",
    "linear_parts", "mod", "mul", "proves_le", "proves_lt", "proves_nonnegative", "smax", "smin", "sub", "substitute", "sym",
    "to_c",
]

_NAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*\Z")
_INF = math.inf
_CACHE = 1 << 16

# ** nodes **


@dataclass(frozen=True, slots=True)
class Expr:
    """An integer index expression; the base of every node kind.

    Why: one value type for all index arithmetic, with Python operators that canonicalise as they build.
    Example: ``sym("i", 0, None) // 32 % 4`` prints ``(i // 32) % 4``.
    """

    def __add__(self, other: Any) -> Expr: return _lift(add, self, other)
    def __radd__(self, other: Any) -> Expr: return _lift(add, other, self)
    def __sub__(self, other: Any) -> Expr: return _lift(sub, self, other)
    def __rsub__(self, other: Any) -> Expr: return _lift(sub, other, self)
    def __mul__(self, other: Any) -> Expr: return _lift(mul, self, other)
    def __rmul__(self, other: Any) -> Expr: return _lift(mul, other, self)
    def __neg__(self) -> Expr: return mul(self, -1)
    def __floordiv__(self, other: Any) -> Expr: return _lift(floordiv, self, other)
    def __rfloordiv__(self, other: Any) -> Expr: return _lift(floordiv, other, self)
    def __mod__(self, other: Any) -> Expr: return _lift(mod, self, other)
    def __rmod__(self, other: Any) -> Expr: return _lift(mod, other, self)
    def __str__(self) -> str: return _render(self, _PYTHON)


@dataclass(frozen=True, slots=True)
class Const(Expr):
    """An integer constant, built by :func:`const` or by folding."""

    value: int


@dataclass(frozen=True, slots=True)
class Sym(Expr):
    """A named integer unknown with an inclusive range; ``None`` leaves that side unbounded."""

    name: str
    lo: int | None = None
    hi: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME.match(self.name):
            raise ValueError(f"symbol name {self.name!r} must be a C identifier, optionally dotted like blockIdx.x.")
        if self.lo is not None and self.hi is not None and self.lo > self.hi:
            raise ValueError(f"symbol {self.name} has an empty range [{self.lo}, {self.hi}].")


@dataclass(frozen=True, slots=True)
class Sum(Expr):
    """``const + Σ coefficient·atom``: at least two parts, no zero coefficient, atoms in canonical order."""

    #: (atom, coefficient) pairs; an atom is any node except Const and Sum
    terms: tuple[tuple[Expr, int], ...]
    const: int = 0


@dataclass(frozen=True, slots=True)
class Prod(Expr):
    """A product of two or more non-constant atoms (``a*b``), factors in canonical order."""

    factors: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class FloorDiv(Expr):
    """``x // d`` for a positive integer constant ``d``, rounding toward negative infinity."""

    x: Expr
    d: int

    def __post_init__(self) -> None: _check_divisor(self.d)


@dataclass(frozen=True, slots=True)
class Mod(Expr):
    """``x % d`` for a positive integer constant ``d``; the result lies in ``[0, d-1]``."""

    x: Expr
    d: int

    def __post_init__(self) -> None: _check_divisor(self.d)


@dataclass(frozen=True, slots=True)
class Min(Expr):
    """The smallest of two or more expressions, built by :func:`smin`."""

    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Max(Expr):
    """The largest of two or more expressions, built by :func:`smax`."""

    args: tuple[Expr, ...]


_DIVISIONS = (FloorDiv, Mod)
_CHILDREN: dict[type, Callable[[Any], tuple[Expr, ...]]] = {
    Const: lambda e: (), Sym: lambda e: (), Sum: lambda e: tuple(a for a, _ in e.terms), Prod: lambda e: e.factors,
    FloorDiv: lambda e: (e.x,), Mod: lambda e: (e.x,), Min: lambda e: e.args, Max: lambda e: e.args,
}

# ** public constructors **


def const(value: int) -> Const:
    """An integer constant.

    Why: the explicit spelling of a literal where an :class:`Expr` is required.
    Example: ``const(4) * sym("n")`` prints ``n*4``.
    """
    return as_expr(value)  # type: ignore[return-value]


def sym(name: str, lo: int | None = None, hi: int | None = None) -> Sym:
    """A symbol with an optional inclusive range ``[lo, hi]``.

    Why: thread indices, launch dimensions and parameters are unknowns whose ranges drive simplification.
    Example: ``sym("threadIdx.x", 0, 255) // 256`` is ``0``.
    """
    return Sym(name, _int_or_none(lo), _int_or_none(hi))


def as_expr(value: Expr | int) -> Expr:
    """Return ``value`` itself if it is an :class:`Expr`, else its integer as a :class:`Const`.

    Why: every public function accepts plain integers (anything with ``__index__`` but bool) too.
    Example: ``as_expr(3) == const(3)``.
    """
    if isinstance(value, Expr):
        return value
    if isinstance(value, bool):
        raise TypeError("booleans are not index expressions; use 0 or 1.")
    return Const(operator.index(value))


def add(a: Expr | int, b: Expr | int) -> Expr:
    """``a + b``, canonical (the ``+`` operator)."""
    return _combine([(as_expr(a), 1), (as_expr(b), 1)])


def sub(a: Expr | int, b: Expr | int) -> Expr:
    """``a - b``, canonical (the ``-`` operator)."""
    return _combine([(as_expr(a), 1), (as_expr(b), -1)])


def mul(a: Expr | int, b: Expr | int) -> Expr:
    """``a * b``, canonical: products distribute over sums, so the result is a sum of monomials.

    Example: ``(row + 1) * C`` prints ``C*row + C``.
    """
    (ta, ca), (tb, cb) = _linear(as_expr(a)), _linear(as_expr(b))
    pairs = [(Const(ca * cb), 1)] + [(x, k * cb) for x, k in ta.items()] + [(y, k * ca) for y, k in tb.items()]
    pairs += [(_monomial(x, y), kx * ky) for x, kx in ta.items() for y, ky in tb.items()]
    return _combine(pairs)


def floordiv(x: Expr | int, d: Expr | int) -> Expr:
    """``x // d`` with floor semantics, for a positive constant ``d``.

    Why: CUDA's truncating ``/`` equals this only for a non-negative dividend; the lifter must check
    :func:`proves_nonnegative` on ``x`` before using it for C division.
    Example: ``(sym("r", 0, None) * 64 + sym("c", 0, 63)) // 64`` is ``r``.
    """
    return _floordiv(as_expr(x), _divisor(d))


def mod(x: Expr | int, d: Expr | int) -> Expr:
    """``x % d`` with floor semantics (result in ``[0, d-1]``), for a positive constant ``d``.

    Why: the same caveat as :func:`floordiv`: C's ``%`` agrees only for a non-negative dividend.
    Example: ``(sym("r", 0, None) * 64 + sym("c", 0, 63)) % 64`` is ``c``.
    """
    return _mod(as_expr(x), _divisor(d))


def smin(a: Expr | int, b: Expr | int, *rest: Expr | int) -> Expr:
    """The minimum of its arguments; constants fold and arguments that ranges prove larger drop out.

    Why: launch bounds and tails (``min(n - base, 1024)``) clamp indices.
    Example: ``smin(sym("n", 0, 100), 1024)`` is ``n``; ``smin(sym("n"), 1024)`` prints ``min(n, 1024)``.
    """
    return _minmax(Min, [a, b, *rest])


def smax(a: Expr | int, b: Expr | int, *rest: Expr | int) -> Expr:
    """The maximum of its arguments; the mirror image of :func:`smin`.

    Example: ``smax(sym("i", 0, None), 0)`` is ``i``.
    """
    return _minmax(Max, [a, b, *rest])


def _lift(fn: Callable[[Expr, Expr], Expr], a: Any, b: Any) -> Expr:
    try:
        a, b = as_expr(a), as_expr(b)
    except TypeError:
        return NotImplemented
    return fn(a, b)


def _int_or_none(v: Any) -> int | None:
    return None if v is None else operator.index(v)


def _check_divisor(d: int) -> None:
    if not isinstance(d, int) or d <= 0:
        raise ValueError(f"cannot divide by {d}: the divisor of // and % must be a positive integer constant.")


def _divisor(d: Expr | int) -> int:
    d = as_expr(d)
    if not isinstance(d, Const):
        raise ValueError(f"cannot divide by {d}: the divisor of // and % must be a constant.")
    _check_divisor(d.value)
    return d.value

# ** linear forms: sums are built from (atom → coefficient, constant) **


def _linear(e: Expr) -> tuple[dict[Expr, int], int]:
    if isinstance(e, Sum):
        return dict(e.terms), e.const
    return ({}, e.value) if isinstance(e, Const) else ({e: 1}, 0)


def _scaled(pairs: Iterable[tuple[Expr, int]]) -> tuple[dict[Expr, int], int]:
    """The linear form of Σ k·e over (e, k) pairs: like terms collected, constants folded."""
    terms: dict[Expr, int] = defaultdict(int)
    total = 0
    for e, k in pairs:
        t, c = _linear(e)
        for atom, v in t.items():
            terms[atom] += k * v
        total += k * c
    return {a: k for a, k in terms.items() if k}, total


def _combine(pairs: Iterable[tuple[Expr, int]]) -> Expr:
    terms, total = _scaled(pairs)
    while (smaller := _shrink(terms, total)) is not None:
        terms, total = smaller
    return _pack(terms, total)


def _pack(terms: dict[Expr, int], total: int) -> Expr:
    if not terms:
        return Const(total)
    if total == 0 and len(terms) == 1 and next(iter(terms.values())) == 1:
        return next(iter(terms))
    return Sum(tuple(sorted(terms.items(), key=lambda t: _key(t[0]))), total)


def _monomial(a: Expr, b: Expr) -> Prod:
    factors = (a.factors if isinstance(a, Prod) else (a,)) + (b.factors if isinstance(b, Prod) else (b,))
    return Prod(tuple(sorted(factors, key=_key)))


def _linear_size(terms: dict[Expr, int], total: int) -> int:
    return sum(map(_size, terms)) + (total != 0)

# ** sum rules: each yields candidate linear forms; the smallest one that shrinks the sum wins **


def _division_pairs(terms: dict[Expr, int]) -> list[tuple[Expr, int]]:
    """(y, c) for every ``y // c`` and ``y % c`` in the sum, and ``(y // a, c / a)`` for ``y // a``, ``y // c``."""
    divs = [a for a in terms if isinstance(a, _DIVISIONS)]
    pairs = [(a.x, a.d) for a in divs]
    pairs += [(a, b.d // a.d) for a in divs for b in divs
              if type(a) is type(b) is FloorDiv and a.x == b.x and b.d % a.d == 0 and b.d > a.d]
    return list(dict.fromkeys(pairs))


def _division_identity(terms: dict[Expr, int], total: int) -> Iterator[tuple[dict[Expr, int], int]]:
    """Add the multiple of ``y - c*(y // c) - y % c`` (always 0) that cancels one term.

    This one identity gives ``x - (x//c)*c = x % c``, ``x - x % c = (x//c)*c`` and ``c*(x//c) + x % c = x``.
    """
    for y, c in _division_pairs(terms):
        zero, zero_const = _scaled([(y, 1), (_floordiv(y, c), -c), (_mod(y, c), -1)])
        for atom, k in zero.items():
            if (s := terms.get(atom, 0)) and s % k == 0:
                t = -s // k
                new = {a: v for a in {**terms, **zero} if (v := terms.get(a, 0) + t * zero.get(a, 0))}
                yield new, total + t * zero_const


_SUM_RULES: tuple[Callable[[dict[Expr, int], int], Iterable[tuple[dict[Expr, int], int]]], ...] = (_division_identity,)


def _shrink(terms: dict[Expr, int], total: int) -> tuple[dict[Expr, int], int] | None:
    best, best_size = None, _linear_size(terms, total)
    for rule in _SUM_RULES:
        for cand in rule(terms, total):
            if (size := _linear_size(*cand)) < best_size:
                best, best_size = cand, size
    return best

# ** floordiv and mod rules: (x, c) → Expr, or None to decline; the first match wins **


def _exact_quotient(x: Expr, c: int) -> int | None:
    lo, hi = _interval(x)
    return lo // c if isinstance(lo, int) and isinstance(hi, int) and lo // c == hi // c else None


def _remainder_constant(rest: dict[Expr, int], total: int, c: int) -> int:
    """The constant kept in the dividend: ``total % c``, raised by multiples of c until the dividend's
    lower bound is non-negative when a finite raise does it, so that C's truncating ``/`` stays usable."""
    r, lo = total % c, _isum_lo(rest)
    return r if isinstance(lo, float) or lo + r >= 0 else r + c * -((lo + r) // c)


def _split_multiples(x: Expr, c: int) -> tuple[Expr, Expr] | None:
    """``x = c*q + r`` where q collects the terms whose coefficient c divides; None when q would be 0."""
    terms, total = _linear(x)
    whole = {a: k // c for a, k in terms.items() if k % c == 0}
    rest = {a: k for a, k in terms.items() if k % c}
    r = _remainder_constant(rest, total, c)
    if not whole and r == total:
        return None
    return _pack(whole, (total - r) // c), _pack(rest, r)


def _common_factor(x: Expr, c: int) -> tuple[int, Expr] | None:
    """``(g, x / g)`` for the greatest g > 1 dividing c and every coefficient of x; None when g is 1."""
    terms, total = _linear(x)
    g = math.gcd(c, total, *terms.values())
    return None if g == 1 else (g, _pack({a: k // g for a, k in terms.items()}, total // g))


def _fdiv_split(x: Expr, c: int) -> Expr | None:
    return None if (qr := _split_multiples(x, c)) is None else add(qr[0], _floordiv(qr[1], c))


def _fdiv_common(x: Expr, c: int) -> Expr | None:
    return None if (gy := _common_factor(x, c)) is None else _floordiv(gy[1], c // gy[0])


def _mod_drop_multiples(x: Expr, c: int) -> Expr | None:
    return None if (qr := _split_multiples(x, c)) is None else _mod(qr[1], c)


def _mod_common(x: Expr, c: int) -> Expr | None:
    return None if (gy := _common_factor(x, c)) is None else mul(gy[0], _mod(gy[1], c // gy[0]))


_FLOORDIV_RULES: tuple[Callable[[Expr, int], Expr | None], ...] = (
    lambda x, c: x if c == 1 else None,                                               # x // 1 = x
    lambda x, c: Const(x.value // c) if isinstance(x, Const) else None,               # constant folding
    lambda x, c: None if (q := _exact_quotient(x, c)) is None else Const(q),          # ranges decide it: 0 on [0, c-1]
    lambda x, c: _floordiv(x.x, x.d * c) if isinstance(x, FloorDiv) else None,        # (y // a) // c = y // (a*c)
    _fdiv_split,                                                                      # (c*k*a + b) // c = k*a + b // c
    _fdiv_common,                                                                     # (g*y) // (g*c) = y // c
)

_MOD_RULES: tuple[Callable[[Expr, int], Expr | None], ...] = (
    lambda x, c: Const(0) if c == 1 else None,                                        # x % 1 = 0
    lambda x, c: Const(x.value % c) if isinstance(x, Const) else None,                # constant folding
    lambda x, c: None if (q := _exact_quotient(x, c)) is None else sub(x, q * c),     # ranges decide it: x on [0, c-1]
    lambda x, c: _mod(x.x, c) if isinstance(x, Mod) and x.d % c == 0 else None,       # (y % (a*c)) % c = y % c
    _mod_drop_multiples,                                                              # (c*k*a + b) % c = b % c
    _mod_common,                                                                      # (g*y) % (g*c) = g*(y % c)
)


def _first_rule(rules: tuple[Callable[[Expr, int], Expr | None], ...], x: Expr, c: int, node: type) -> Expr:
    found = next((r for rule in rules if (r := rule(x, c)) is not None), None)
    return node(x, c) if found is None else found


@lru_cache(maxsize=_CACHE)
def _floordiv(x: Expr, c: int) -> Expr:
    return _first_rule(_FLOORDIV_RULES, x, c, FloorDiv)


@lru_cache(maxsize=_CACHE)
def _mod(x: Expr, c: int) -> Expr:
    return _first_rule(_MOD_RULES, x, c, Mod)

# ** min / max rules: each maps the argument list to a simpler one **


def _flatten(kind: type, args: list[Expr]) -> list[Expr]:
    return [b for a in args for b in (a.args if isinstance(a, kind) else (a,))]


def _fold_constants(kind: type, args: list[Expr]) -> list[Expr]:
    consts = [a.value for a in args if isinstance(a, Const)]
    folded = [Const((min if kind is Min else max)(consts))] if consts else []
    return [a for a in args if not isinstance(a, Const)] + folded


def _le(a: Expr, b: Expr) -> bool:
    """``a <= b`` by ranges, or because ``a`` is an argument of the max ``b`` or ``b`` one of the min ``a``."""
    return (isinstance(b, Max) and a in b.args) or (isinstance(a, Min) and b in a.args) or proves_le(a, b)


def _drop_dominated(kind: type, args: list[Expr]) -> list[Expr]:
    """Drop duplicates and every argument that another one provably beats (≤ for min, ≥ for max)."""
    beats = _le if kind is Min else (lambda a, b: _le(b, a))
    kept: list[Expr] = []
    for a in sorted(dict.fromkeys(args), key=_key):
        if not any(beats(b, a) for b in kept):
            kept = [b for b in kept if not beats(a, b)] + [a]
    return kept


_MINMAX_RULES = (_flatten, _fold_constants, _drop_dominated)


def _minmax(kind: type, args: list[Expr | int]) -> Expr:
    items = reduce(lambda acc, rule: rule(kind, acc), _MINMAX_RULES, [as_expr(a) for a in args])
    return items[0] if len(items) == 1 else kind(tuple(sorted(items, key=_key)))

# ** ranges: inclusive intervals with ±inf for unbounded sides **

Interval = tuple[int | float, int | float]


def _mul_bound(a: int | float, b: int | float) -> int | float:
    return 0 if a == 0 or b == 0 else a * b


def _imul(a: Interval, b: Interval) -> Interval:
    corners = [_mul_bound(x, y) for x in a for y in b]
    return min(corners), max(corners)


def _iterms(terms: Iterable[tuple[Expr, int]], total: int) -> Interval:
    parts = [(k * lo, k * hi) if k > 0 else (k * hi, k * lo) for a, k in terms for lo, hi in [_interval(a)]]
    return total + sum(p[0] for p in parts), total + sum(p[1] for p in parts)


def _isum(e: Sum) -> Interval:
    return _iterms(e.terms, e.const)


def _isum_lo(terms: dict[Expr, int]) -> int | float:
    return _iterms(terms.items(), 0)[0]


def _imod(x: Interval, d: int) -> Interval:
    lo, hi = x
    if isinstance(lo, int) and isinstance(hi, int) and lo // d == hi // d:
        return lo % d, hi % d
    return (0, min(hi, d - 1)) if lo >= 0 else (0, d - 1)


def _fdiv_bound(v: int | float, d: int) -> int | float:
    return v if isinstance(v, float) else v // d


_INTERVALS: dict[type, Callable[[Any], Interval]] = {
    Const: lambda e: (e.value, e.value),
    Sym: lambda e: (-_INF if e.lo is None else e.lo, _INF if e.hi is None else e.hi),
    Sum: _isum,
    Prod: lambda e: reduce(_imul, map(_interval, e.factors)),
    FloorDiv: lambda e: (_fdiv_bound(_interval(e.x)[0], e.d), _fdiv_bound(_interval(e.x)[1], e.d)),
    Mod: lambda e: _imod(_interval(e.x), e.d),
    Min: lambda e: (min(_interval(a)[0] for a in e.args), min(_interval(a)[1] for a in e.args)),
    Max: lambda e: (max(_interval(a)[0] for a in e.args), max(_interval(a)[1] for a in e.args)),
}


@lru_cache(maxsize=_CACHE)
def _interval(e: Expr) -> Interval:
    return _INTERVALS[type(e)](e)


def bounds(e: Expr | int) -> tuple[int | None, int | None]:
    """The inclusive interval ``(lo, hi)`` that ``e`` stays in when every symbol stays in its range.

    Why: the basis of every proof here; ``None`` marks an unbounded side. Interval arithmetic is sound
    but not exact: ``x - x`` would be exact only because construction already cancels it.
    Example: ``bounds(sym("tx", 0, 255) // 32)`` is ``(0, 7)``.
    """
    lo, hi = _interval(as_expr(e))
    return (None if isinstance(lo, float) else lo), (None if isinstance(hi, float) else hi)


def proves_le(a: Expr | int, b: Expr | int) -> bool:
    """True when ``a <= b`` holds for every value of the symbols in their ranges (False: not proven).

    Example: ``proves_le(sym("i", 0, 9), 9)`` is True.
    """
    return _interval(sub(b, a))[0] >= 0


def proves_lt(a: Expr | int, b: Expr | int) -> bool:
    """True when ``a < b`` is proven by ranges; the usual bounds check ``index < n``.

    Example: ``proves_lt(sym("bx", 0, 3) * 256 + sym("tx", 0, 255), 1024)`` is True.
    """
    return _interval(sub(b, a))[0] >= 1


def proves_nonnegative(e: Expr | int) -> bool:
    """True when ``e >= 0`` is proven by ranges; then C's ``/`` and ``%`` agree with ``//`` and ``%`` on it.

    Example: ``proves_nonnegative(sym("tx", 0, 255) - 1)`` is False.
    """
    return _interval(as_expr(e))[0] >= 0


is_nonnegative = proves_nonnegative

# ** evaluation, substitution, inspection **


def _eval_sym(e: Sym, env: Mapping[str, int]) -> int:
    if e.name not in env:
        raise ValueError(f"no value for symbol {e.name} in the environment.")
    v = operator.index(env[e.name])
    if (e.lo is not None and v < e.lo) or (e.hi is not None and v > e.hi):
        raise ValueError(f"symbol {e.name}={v} lies outside its range [{e.lo}, {e.hi}].")
    return v


_EVAL: dict[type, Callable[[Any, Mapping[str, int]], int]] = {
    Const: lambda e, env: e.value,
    Sym: _eval_sym,
    Sum: lambda e, env: e.const + sum(k * _eval(a, env) for a, k in e.terms),
    Prod: lambda e, env: math.prod(_eval(f, env) for f in e.factors),
    FloorDiv: lambda e, env: _eval(e.x, env) // e.d,
    Mod: lambda e, env: _eval(e.x, env) % e.d,
    Min: lambda e, env: min(_eval(a, env) for a in e.args),
    Max: lambda e, env: max(_eval(a, env) for a in e.args),
}


def _eval(e: Expr, env: Mapping[str, int]) -> int:
    return _EVAL[type(e)](e, env)


def evaluate(e: Expr | int, env: Mapping[str, int]) -> int:
    """The integer value of ``e`` with symbols bound by name in ``env`` (floor semantics).

    Why: the reference meaning that tests check every rewrite against. A value outside its symbol's
    range raises ValueError, because simplifications relied on the range.
    Example: ``evaluate(sym("i", 0, None) // 32 % 4, {"i": 100})`` is ``3``.
    """
    return _eval(as_expr(e), env)


_REBUILD: dict[type, Callable[[Any, Callable[[Expr], Expr]], Expr]] = {
    Const: lambda e, f: e,
    Sym: lambda e, f: f(e),
    Sum: lambda e, f: _combine([(Const(e.const), 1)] + [(_map(a, f), k) for a, k in e.terms]),
    Prod: lambda e, f: reduce(mul, (_map(x, f) for x in e.factors)),
    FloorDiv: lambda e, f: _floordiv(_map(e.x, f), e.d),
    Mod: lambda e, f: _mod(_map(e.x, f), e.d),
    Min: lambda e, f: _minmax(Min, [_map(a, f) for a in e.args]),
    Max: lambda e, f: _minmax(Max, [_map(a, f) for a in e.args]),
}


def _map(e: Expr, leaf: Callable[[Expr], Expr]) -> Expr:
    return _REBUILD[type(e)](e, leaf)


def substitute(e: Expr | int, mapping: Mapping[Sym | str, Expr | int]) -> Expr:
    """Replace symbols (keys are :class:`Sym` or names; matched by name) and re-canonicalise.

    Why: binding a grid-stride iterator or a launch dimension exposes new simplifications. The
    replacement must stay inside the symbol's range, which earlier simplifications assumed.
    Example: ``substitute(sym("i", 0, None) % 4, {"i": sym("j", 0, None) * 4 + 1})`` is ``1``.
    """
    table = {(k.name if isinstance(k, Sym) else k): as_expr(v) for k, v in mapping.items()}
    return _map(as_expr(e), lambda s: table.get(s.name, s))


def _walk(e: Expr) -> Iterator[Expr]:
    yield e
    for child in _CHILDREN[type(e)](e):
        yield from _walk(child)


def free_symbols(e: Expr | int) -> frozenset[Sym]:
    """The symbols that ``e`` still depends on after canonicalisation.

    Example: ``free_symbols(sym("t", 0, 7) // 8 + sym("n"))`` is ``{n}``.
    """
    return frozenset(s for s in _walk(as_expr(e)) if isinstance(s, Sym))


def linear_parts(e: Expr | int) -> tuple[dict[Expr, int], int]:
    """``({atom: coefficient}, constant)`` with ``e == constant + Σ coefficient·atom``.

    Why: the lifter reads strides off an index (``row*C + col`` has ``col`` with stride 1).
    Example: ``linear_parts(sym("bx") * 256 + sym("tx") + 3)`` is ``({bx: 256, tx: 1}, 3)``.
    """
    terms, total = _linear(as_expr(e))
    return dict(terms), total


def coefficient(e: Expr | int, symbol: Sym | str) -> int | None:
    """The coefficient of ``symbol`` (matched by name) in ``e``: 0 if absent, None if it occurs non-linearly.

    Example: ``coefficient(sym("bx") * 256 + sym("tx"), "bx")`` is ``256``; in ``tx % 4`` ``tx`` gives None.
    """
    name = symbol.name if isinstance(symbol, Sym) else symbol
    terms, _ = _linear(as_expr(e))
    if any(s.name == name for a in terms if not isinstance(a, Sym) for s in free_symbols(a)):
        return None
    return sum(k for a, k in terms.items() if isinstance(a, Sym) and a.name == name)

# ** canonical order and size **


_DEGREE: dict[type, Callable[[Any], int]] = {Const: lambda e: 0, Prod: lambda e: sum(map(_degree, e.factors))}


def _degree(e: Expr) -> int:
    return _DEGREE.get(type(e), lambda e: 1)(e)


@lru_cache(maxsize=_CACHE)
def _key(e: Expr) -> tuple[int, str, str]:
    """Total, process-independent order: higher degree first, then by printed form."""
    return -_degree(e), str(e), repr(e)


@lru_cache(maxsize=_CACHE)
def _size(e: Expr) -> int:
    return 1 + sum(map(_size, _CHILDREN[type(e)](e))) - isinstance(e, Sum)

# ** printing: one renderer, two dialects **


@dataclass(frozen=True)
class _Dialect:
    times: str
    div: str
    literal: Callable[[int], str]
    minmax: Callable[[type, list[str]], str]
    #: C truncates: refuse a division whose dividend is not proven non-negative
    checks_dividend: bool


def _c_literal(v: int) -> str:
    return str(v) if -(2**31) < v < 2**31 else f"{v}LL"


def _c_minmax(kind: type, args: list[str]) -> str:
    op = "<" if kind is Min else ">"
    return reduce(lambda acc, a: f"({acc} {op} {a} ? {acc} : {a})", args)


_PYTHON = _Dialect("*", "//", str, lambda kind, args: f"{kind.__name__.lower()}({', '.join(args)})", False)
_C = _Dialect(" * ", "/", _c_literal, _c_minmax, True)


def _operand(e: Expr, d: _Dialect) -> str:
    s = _render(e, d)
    return s if isinstance(e, (Sym, Min, Max)) or (isinstance(e, Const) and e.value >= 0) else f"({s})"


def _term(atom: Expr, k: int, d: _Dialect) -> str:
    if k == 1:
        return _render(atom, d)
    return f"{_render(atom, d) if isinstance(atom, Prod) else _operand(atom, d)}{d.times}{d.literal(k)}"


def _render_sum(e: Sum, d: _Dialect) -> str:
    (first, k0), *rest = e.terms
    lead = _term(first, abs(k0), d)
    out = ("-" + (f"({lead})" if abs(k0) == 1 and isinstance(first, _DIVISIONS) else lead)) if k0 < 0 else lead
    out += "".join(f" {'-' if k < 0 else '+'} {_term(a, abs(k), d)}" for a, k in rest)
    return out + (f" {'-' if e.const < 0 else '+'} {d.literal(abs(e.const))}" if e.const else "")


def _render_division(e: FloorDiv | Mod, d: _Dialect) -> str:
    if d.checks_dividend and not proves_nonnegative(e.x):
        raise ValueError(f"cannot render {e} as C: its dividend {e.x} is not proven non-negative, and C's / and % truncate.")
    return f"{_operand(e.x, d)} {d.div if isinstance(e, FloorDiv) else '%'} {d.literal(e.d)}"


_RENDER: dict[type, Callable[[Any, _Dialect], str]] = {
    Const: lambda e, d: d.literal(e.value),
    Sym: lambda e, d: e.name,
    Sum: _render_sum,
    Prod: lambda e, d: d.times.join(_operand(f, d) for f in e.factors),
    FloorDiv: _render_division,
    Mod: _render_division,
    Min: lambda e, d: d.minmax(Min, [_render(a, d) for a in e.args]),
    Max: lambda e, d: d.minmax(Max, [_render(a, d) for a in e.args]),
}


def _render(e: Expr, d: _Dialect) -> str:
    return _RENDER[type(e)](e, d)


def to_c(e: Expr | int) -> str:
    """``e`` as a C/C++ expression: ``/`` and ``%`` for divisions, ternaries for min and max.

    Why: generated kernels and tiling code compute indices in C++. C division truncates toward zero, so
    each dividend must be proven non-negative; otherwise this raises ValueError naming the expression.
    Example: ``to_c(sym("i", 0, None) // 32 % 4)`` is ``"(i / 32) % 4"``.
    """
    return _render(as_expr(e), _C)
