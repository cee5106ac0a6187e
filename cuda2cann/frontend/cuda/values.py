"""Values of the abstract CUDA thread during lifting, and C's usual arithmetic conversions.

An integer that is affine in thread indices and parameters stays an index expression (`Idx`) so the
domain can be solved; anything data-dependent is an IR value node (`Val`). Pointers remember their
tensor and element offset; vector values (`float4`) are tuples of lanes.
"""
from __future__ import annotations

from dataclasses import dataclass

from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.dtypes import DType, dtype
from cuda2cann.ir.nodes import BOOL, Binary, Cast, Const, IndexValue, Node, Unary
from cuda2cann.ir.ops import Op

INT32, INT64, UINT32, FLOAT32, FLOAT64 = (dtype(n) for n in ("int32", "int64", "uint32", "float32", "float64"))


@dataclass(frozen=True)
class Idx:
    """An integer index expression (thread ids, params, loop iterators)."""

    e: sx.Expr
    type: DType = INT32


@dataclass(frozen=True)
class Val:
    """A data value: an IR node."""

    node: Node


@dataclass(frozen=True)
class Cond:
    """A boolean. `index` holds (op, a, b) when it compares two index expressions (domain guards);
    `all_of` / `any_of` keep the operands of && / || so guards stay visible through De Morgan."""

    node: Node
    index: tuple[Op, sx.Expr, sx.Expr] | None = None
    all_of: tuple[Cond, ...] = ()
    any_of: tuple[Cond, ...] = ()


@dataclass(frozen=True)
class Ptr:
    tensor: str
    offset: sx.Expr
    elem: DType
    lanes: int = 1


@dataclass(frozen=True)
class Vec:
    lanes: tuple[Val, ...]


Value = Idx | Val | Cond | Ptr | Vec

_FLOAT_RANK = {"float64": 3, "float32": 2, "float16": 1, "bfloat16": 1}
_NEGATE = {Op.LT: Op.GE, Op.GE: Op.LT, Op.GT: Op.LE, Op.LE: Op.GT, Op.EQ: Op.NE, Op.NE: Op.EQ}


class ValueKindError(TypeError):
    """A value of the wrong kind (a pointer, a vector, a partial reduction) used where a scalar is needed."""


def type_of(v: Value) -> DType:
    if isinstance(v, Idx):
        return v.type
    if isinstance(v, Val):
        return v.node.dtype
    if isinstance(v, Cond):
        return BOOL
    raise ValueKindError(f"a {type(v).__name__} value has no scalar type here")


def as_node(v: Value, want: DType | None = None) -> Node:
    """The value as an IR node, converted to `want` (C conversion) when given."""
    if isinstance(v, Idx) and isinstance(v.e, sx.Const):  # a literal: fold the conversion
        t = want or v.type
        value = float(v.e.value) if t.is_float else bool(v.e.value) if t.name == "bool" else v.e.value
        return Const(value, t)
    if isinstance(v, Idx):
        node: Node = IndexValue(v.e, v.type)
    elif isinstance(v, (Val, Cond)):
        node = v.node
    else:
        raise ValueKindError(f"a {type(v).__name__} value cannot be used as a scalar here")
    if want is not None and node.dtype != want:
        node = Cast(node, want)
    return node


def common_type(a: DType, b: DType) -> DType:
    """C's usual arithmetic conversions, with CUDA's half/bf16 (their ops are overloads on equal types)."""
    if a == b:
        return a
    if a.is_float or b.is_float:
        fa, fb = _FLOAT_RANK.get(a.name, 0), _FLOAT_RANK.get(b.name, 0)
        return a if fa >= fb else b
    if a.name == "bool":
        return common_type(INT32, b)
    if b.name == "bool":
        return common_type(a, INT32)
    if 8 in (a.itemsize, b.itemsize):
        return a if a.itemsize == 8 and (b.itemsize != 8 or a.name.startswith("u")) else b
    if "uint32" in (a.name, b.name):
        return UINT32
    return INT32


def negate(c: Cond) -> Cond:
    if c.all_of:  # !(a && b) == !a || !b
        return disjunction(*(negate(p) for p in c.all_of))
    if c.any_of:  # !(a || b) == !a && !b
        return conjunction(*(negate(p) for p in c.any_of))
    if isinstance(c.node, Unary) and c.node.op is Op.NOT and c.index is None:
        return Cond(c.node.x)
    index = (_NEGATE[c.index[0]], c.index[1], c.index[2]) if c.index else None
    return Cond(Unary(Op.NOT, c.node), index)


def conjunction(a: Cond, b: Cond) -> Cond:
    return Cond(Binary(Op.AND, a.node, b.node), all_of=(a, b))


def disjunction(a: Cond, b: Cond) -> Cond:
    return Cond(Binary(Op.OR, a.node, b.node), any_of=(a, b))


def conjuncts(c: Cond) -> list[Cond]:
    """The operands of a (nested) conjunction, or [c]."""
    return [x for p in c.all_of for x in conjuncts(p)] if c.all_of else [c]
