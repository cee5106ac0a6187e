"""Operator IR nodes: tensor expressions, in the spirit of TVM's `te` and Halide.

An `Operator` computes one or more output tensors over a logical iteration domain (`axes`):
for every point of the domain each `Store` writes `tensor[index] = value`. Values are expression
trees over loads, scalar parameters, constants, casts, selects and the ops of `ops.py`. Indices are
quasi-affine expressions of `ir.symbolic` over the axis symbols and the operator's integer params.
Nodes are frozen and validated at construction; `meta` holds the CUDA source span.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.dtypes import DType, dtype
from cuda2cann.ir.ops import BINARY, COMPARE, FLOAT_ONLY, LOGICAL, UNARY, Op

BOOL = dtype("bool")


class IRError(ValueError):
    """An IR node was built with inconsistent operands."""


@dataclass(frozen=True, slots=True)
class Span:
    """Where a node came from: file and 1-based inclusive line range."""

    file: str
    line: int
    end_line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" + (f"-{self.end_line}" if self.end_line != self.line else "")


@dataclass(frozen=True, slots=True)
class Node:
    """Base of value nodes: every node has a dtype."""

    @property
    def dtype(self) -> DType:
        raise NotImplementedError

    @property
    def children(self) -> tuple[Node, ...]:
        return ()


@dataclass(frozen=True, slots=True)
class Const(Node):
    value: float | int | bool
    type: DType

    @property
    def dtype(self) -> DType:
        return self.type


@dataclass(frozen=True, slots=True)
class Param(Node):
    """A scalar kernel parameter (alpha, eps, n used as a value)."""

    name: str
    type: DType

    @property
    def dtype(self) -> DType:
        return self.type


@dataclass(frozen=True, slots=True)
class IndexValue(Node):
    """An integer index expression used as a data value (e.g. `out[i] = i`)."""

    index: sx.Expr
    type: DType

    @property
    def dtype(self) -> DType:
        return self.type


@dataclass(frozen=True, slots=True)
class Load(Node):
    """`tensor[index]` on the flat buffer of `tensor`."""

    tensor: str
    index: sx.Expr
    type: DType

    @property
    def dtype(self) -> DType:
        return self.type


@dataclass(frozen=True, slots=True)
class Gather(Node):
    """`tensor[base + offset]` where offset is data (an integer value node, e.g. `label[row]`): one element read at
    a position the thread computes from memory (cross-entropy's `x[row, label[row]]`)."""

    tensor: str
    base: sx.Expr
    offset: Node
    type: DType

    def __post_init__(self) -> None:
        if self.offset.dtype.is_float:
            raise IRError(f"a gather offset must be an integer, got {self.offset.dtype.name}")

    @property
    def dtype(self) -> DType:
        return self.type

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.offset,)


@dataclass(frozen=True, slots=True)
class Unary(Node):
    op: Op
    x: Node

    def __post_init__(self) -> None:
        if self.op not in UNARY:
            raise IRError(f"{self.op.value} is not a unary op")
        if self.op in FLOAT_ONLY and not self.x.dtype.is_float:
            raise IRError(f"{self.op.value} needs a floating operand, got {self.x.dtype.name}")

    @property
    def dtype(self) -> DType:
        return BOOL if self.op is Op.NOT else self.x.dtype

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.x,)


@dataclass(frozen=True, slots=True)
class Binary(Node):
    op: Op
    a: Node
    b: Node

    def __post_init__(self) -> None:
        if self.op not in BINARY and self.op not in COMPARE:
            raise IRError(f"{self.op.value} is not a binary op")
        if self.op not in LOGICAL and self.a.dtype != self.b.dtype:
            raise IRError(f"{self.op.value} operands differ in dtype: {self.a.dtype.name} vs {self.b.dtype.name}; insert a Cast")

    @property
    def dtype(self) -> DType:
        return BOOL if self.op in COMPARE or self.op in LOGICAL else self.a.dtype

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.a, self.b)


@dataclass(frozen=True, slots=True)
class Select(Node):
    """`cond ? a : b`."""

    cond: Node
    a: Node
    b: Node

    def __post_init__(self) -> None:
        if self.cond.dtype != BOOL:
            raise IRError(f"select condition must be bool, got {self.cond.dtype.name}")
        if self.a.dtype != self.b.dtype:
            raise IRError(f"select branches differ in dtype: {self.a.dtype.name} vs {self.b.dtype.name}")

    @property
    def dtype(self) -> DType:
        return self.a.dtype

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.cond, self.a, self.b)


@dataclass(frozen=True, slots=True)
class Cast(Node):
    x: Node
    type: DType

    @property
    def dtype(self) -> DType:
        return self.type

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.x,)


REDUCE_OPS = frozenset({Op.ADD, Op.MAX, Op.MIN, Op.MUL, Op.ARGMAX, Op.ARGMIN})
#: reductions whose result is a position along the axis (int32), not a combination of the body's values
ARG_REDUCE_OPS = frozenset({Op.ARGMAX, Op.ARGMIN})


@dataclass(frozen=True, slots=True)
class Reduce(Node):
    """`reduce(op, k < extent) body`: combines `body` over the reduction symbol `axis` in [0, extent).

    The combination order is unspecified (only associative-safe ops are allowed); `type` is the
    accumulation dtype (fp16/bf16 inputs accumulate in fp32, as CUDA kernels usually do).
    """

    op: Op
    axis: str
    extent: sx.Expr
    body: Node
    type: DType

    def __post_init__(self) -> None:
        if self.op not in REDUCE_OPS:
            raise IRError(f"{self.op.value} is not a reduction op (use one of {sorted(o.value for o in REDUCE_OPS)})")
        if self.op in ARG_REDUCE_OPS:
            if self.type.name != "int32":
                raise IRError(f"{self.op.value} gives an int32 position, not {self.type.name}")
        elif self.body.dtype != self.type:
            raise IRError(f"reduce body is {self.body.dtype.name} but accumulates in {self.type.name}; insert a Cast")

    @property
    def dtype(self) -> DType:
        return self.type

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.body,)


@dataclass(frozen=True, slots=True)
class Axis:
    """One dimension of the iteration domain: symbol `name` ranges over [0, extent)."""

    name: str
    extent: sx.Expr


@dataclass(frozen=True, slots=True)
class Store:
    tensor: str
    index: sx.Expr
    value: Node
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class TensorParam:
    """A pointer parameter of the kernel: flat buffer of `dtype`; role inferred from loads/stores."""

    name: str
    dtype: DType
    role: str  # input | output | inout

    def __post_init__(self) -> None:
        if self.role not in ("input", "output", "inout"):
            raise IRError(f"bad tensor role {self.role!r}")


@dataclass(frozen=True, slots=True)
class ScalarParam:
    name: str
    dtype: DType


@dataclass(frozen=True)
class Operator:
    """A lifted kernel: parameters in the CUDA order, the domain, and its stores."""

    name: str
    params: tuple[TensorParam | ScalarParam, ...]
    axes: tuple[Axis, ...]
    stores: tuple[Store, ...]
    op_class: str
    span: Span | None = None
    meta: dict = field(default_factory=dict, compare=False)

    def param(self, name: str) -> TensorParam | ScalarParam | None:
        return next((p for p in self.params if p.name == name), None)

    @property
    def tensors(self) -> tuple[TensorParam, ...]:
        return tuple(p for p in self.params if isinstance(p, TensorParam))

    @property
    def scalars(self) -> tuple[ScalarParam, ...]:
        return tuple(p for p in self.params if isinstance(p, ScalarParam))


def walk(node: Node):
    """Pre-order traversal of a value tree."""
    yield node
    for c in node.children:
        yield from walk(c)


def gathers(node: Node) -> list[Gather]:
    return [n for n in walk(node) if isinstance(n, Gather)]


def loads(node: Node) -> list[Load]:
    return [n for n in walk(node) if isinstance(n, Load)]


def map_children(node: Node, fn) -> Node:
    """The same node with `fn` applied to each child value (loads, constants and parameters have none)."""
    match node:
        case Unary(op=op, x=x):
            return Unary(op, fn(x))
        case Binary(op=op, a=a, b=b):
            return Binary(op, fn(a), fn(b))
        case Select(cond=c, a=a, b=b):
            return Select(fn(c), fn(a), fn(b))
        case Cast(x=x, type=t):
            return Cast(fn(x), t)
        case Reduce(op=op, axis=k, extent=e, body=b, type=t):
            return Reduce(op, k, e, fn(b), t)
        case Gather(tensor=name, base=e, offset=o, type=t):
            return Gather(name, e, fn(o), t)
    return node


def substitute_indices(node: Node, mapping: dict) -> Node:
    """`node` with the index symbols in `mapping` (Sym or name → Expr) substituted in every load, index value and
    reduction extent (reduction axes keep their names: rename them through `rebind_axis`)."""
    match node:
        case Load(tensor=t, index=e, type=dt):
            return Load(t, sx.substitute(e, mapping), dt)
        case IndexValue(index=e, type=dt):
            return IndexValue(sx.substitute(e, mapping), dt)
        case Gather(tensor=name, base=e, offset=o, type=dt):
            return Gather(name, sx.substitute(e, mapping), substitute_indices(o, mapping), dt)
        case Reduce(op=op, axis=k, extent=e, body=b, type=t):
            return Reduce(op, k, sx.substitute(e, mapping), substitute_indices(b, mapping), t)
    return map_children(node, lambda child: substitute_indices(child, mapping))


def rebind_axis(red: Reduce, axis: str) -> Reduce:
    """The same reduction over a differently named axis (so it can nest inside a reduction over its old name)."""
    return Reduce(red.op, axis, red.extent, substitute_indices(red.body, {red.axis: sx.sym(axis, 0, None)}), red.type)
