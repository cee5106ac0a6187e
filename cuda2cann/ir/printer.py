"""Text form of the operator IR, one line per store (what `cuda2cann explain` prints)."""
from __future__ import annotations

from cuda2cann.ir.nodes import (
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
    TensorParam,
    Unary,
)


def format_node(node: Node) -> str:
    match node:
        case Const(value=v, type=t):
            return f"{v!r}:{t.name}" if t.name not in ("float32", "int32") else repr(v)
        case Param(name=n):
            return f"%{n}"
        case IndexValue(index=e, type=t):
            return f"index({e}):{t.name}"
        case Load(tensor=t, index=e):
            return f"{t}[{e}]"
        case Gather(tensor=t, base=e, offset=o):
            return f"{t}[{e} + {format_node(o)}]"
        case Unary(op=op, x=x):
            return f"{op.value}({format_node(x)})"
        case Binary(op=op, a=a, b=b):
            return f"{op.value}({format_node(a)}, {format_node(b)})"
        case Select(cond=c, a=a, b=b):
            return f"select({format_node(c)}, {format_node(a)}, {format_node(b)})"
        case Cast(x=x, type=t):
            return f"{t.name}({format_node(x)})"
        case Reduce(op=op, axis=k, extent=e, body=b):
            return f"reduce_{op.value}({k} < {e}: {format_node(b)})"
    raise TypeError(f"unknown node {type(node).__name__}")


def format_operator(op: Operator) -> str:
    lines = [f"operator {op.name}  # class={op.op_class}" + (f", from {op.span}" if op.span else "")]
    params = []
    for p in op.params:
        if isinstance(p, TensorParam):
            params.append(f"{p.name}: {p.dtype.name}* {p.role}")
        elif isinstance(p, ScalarParam):
            params.append(f"{p.name}: {p.dtype.name}")
    lines.append(f"  params: {', '.join(params)}")
    lines.append("  domain: " + ", ".join(f"{a.name} < {a.extent}" for a in op.axes))
    for s in op.stores:
        lines.append(f"  {s.tensor}[{s.index}] = {format_node(s.value)}" + (f"  # {s.span}" if s.span else ""))
    return "\n".join(lines)
