"""Small, safe integer/float expressions used in spec files (`ceil_div(n, 256)`, `rows * cols`).

Parsed with Python's `ast` and evaluated over an environment of names; anything outside the
whitelist (attributes, calls of unknown functions, comprehensions...) is rejected at parse time.
"""
from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property

Number = int | float


class ExprError(ValueError):
    """An expression is malformed or refers to an unknown name."""


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _align_up(a: int, b: int) -> int:
    return _ceil_div(a, b) * b


FUNCTIONS: dict[str, Callable[..., Number]] = {
    "min": min, "max": max, "ceil_div": _ceil_div, "align_up": _align_up, "abs": abs,
    "int": int, "float": float, "sqrt": math.sqrt, "log2": math.log2,
}
_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
           ast.LShift: operator.lshift, ast.RShift: operator.rshift}
_UNOPS = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_}
_CMPOPS = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
           ast.Eq: operator.eq, ast.NotEq: operator.ne}


@dataclass(frozen=True)
class Expr:
    """A parsed expression; `names` are the free variables it needs.

    Example: ``Expr("ceil_div(n, 256)").evaluate({"n": 1000}) == 4``.
    """

    text: str

    @cached_property
    def tree(self) -> ast.expr:
        try:
            tree = ast.parse(self.text.strip(), mode="eval").body
        except SyntaxError as exc:
            raise ExprError(f"cannot parse expression {self.text!r}: {exc.msg}") from None
        _check(tree, self.text)
        return tree

    @cached_property
    def names(self) -> frozenset[str]:
        return frozenset(n.id for n in ast.walk(self.tree) if isinstance(n, ast.Name) and n.id not in FUNCTIONS)

    def evaluate(self, env: Mapping[str, Number]) -> Number:
        return _eval(self.tree, env, self.text)


def parse(value: str | int | float) -> Expr:
    """Accept a literal number or an expression string; validate it eagerly."""
    expr = Expr(str(value))
    _ = expr.tree
    return expr


def _check(node: ast.AST, text: str) -> None:
    for sub in ast.walk(node):
        ok = isinstance(sub, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Name, ast.Load, ast.Call, ast.Constant,
                              ast.operator, ast.unaryop, ast.Compare, ast.cmpop, ast.BoolOp, ast.boolop))
        if isinstance(sub, ast.Constant) and not isinstance(sub.value, (int, float)):
            ok = False
        if isinstance(sub, ast.Call) and not (isinstance(sub.func, ast.Name) and sub.func.id in FUNCTIONS and not sub.keywords):
            raise ExprError(f"in {text!r}: only these functions may be called: {', '.join(FUNCTIONS)}")
        if isinstance(sub, ast.BinOp) and type(sub.op) not in _BINOPS:
            ok = False
        if isinstance(sub, ast.UnaryOp) and type(sub.op) not in _UNOPS:
            ok = False
        if isinstance(sub, ast.Compare) and not all(type(op) in _CMPOPS for op in sub.ops):
            ok = False
        if not ok:
            raise ExprError(f"in {text!r}: unsupported syntax {type(sub).__name__}")


def _eval(node: ast.expr, env: Mapping[str, Number], text: str) -> Number:
    match node:
        case ast.Constant(value=v):
            return v
        case ast.Name(id=name):
            if name not in env:
                raise ExprError(f"in {text!r}: unknown name {name!r} (known: {', '.join(sorted(env)) or 'none'})")
            return env[name]
        case ast.BinOp(left=l, op=op, right=r):
            a, b = _eval(l, env, text), _eval(r, env, text)
            if isinstance(op, ast.Div) and isinstance(a, int) and isinstance(b, int):
                raise ExprError(f"in {text!r}: use // or ceil_div for integer division")
            return _BINOPS[type(op)](a, b)
        case ast.UnaryOp(op=op, operand=x):
            return _UNOPS[type(op)](_eval(x, env, text))
        case ast.Compare(left=l, ops=ops, comparators=rights):
            a = _eval(l, env, text)
            for op, r in zip(ops, rights, strict=True):
                b = _eval(r, env, text)
                if not _CMPOPS[type(op)](a, b):
                    return False
                a = b
            return True
        case ast.BoolOp(op=op, values=values):
            results = (bool(_eval(v, env, text)) for v in values)
            return all(results) if isinstance(op, ast.And) else any(results)
        case ast.Call(func=ast.Name(id=fn), args=args):
            return FUNCTIONS[fn](*(_eval(a, env, text) for a in args))
    raise ExprError(f"in {text!r}: unsupported syntax {type(node).__name__}")
