"""Finding and rewriting CUDA device strings and NCCL backend strings inside an expression.

`device_literals(expr)` returns the string nodes of `expr` that spell a CUDA device:

    "cuda"  "cuda:1"  f"cuda:{rank}"  "cuda:%d" % rank  "cuda:" + str(rank)  "cuda:{}".format(rank)

looking through conditional expressions (`"cuda" if ok else "cpu"`), `or`/`and`, tuples, lists, sets and dicts
(`map_location={"cuda:1": "cuda:0"}`), but not into calls or names. `backend_literals` does the same for "nccl"
and for device-to-backend lists ("cpu:gloo,cuda:nccl"). Callers decide which expressions are device or backend
positions; these helpers never look at other strings.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst

_DEVICE = re.compile(r"cuda(:\d+)?")
_DEVICE_PREFIX = re.compile(r"cuda:")
_BACKEND_LIST = re.compile(r"\w+:\w+(,\w+:\w+)*")

StringNode = cst.SimpleString | cst.FormattedStringText


def literal(node: cst.CSTNode) -> str | None:
    """The value of a plain (non-bytes) string literal, else None."""
    if not isinstance(node, cst.SimpleString):
        return None
    try:
        value = node.evaluated_value
    except Exception:  # a malformed escape: never touch it
        return None
    return value if isinstance(value, str) else None


def _value(node: cst.CSTNode) -> str | None:
    """A string literal's value when it is spelled without escapes (the only kind rewritten)."""
    value = literal(node)
    return value if value is not None and value == node.raw_value else None


def leaves(expr: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
    """The values `expr` may evaluate to, looking through `a if c else b`, `or`/`and` and containers."""
    if isinstance(expr, cst.IfExp):
        yield from leaves(expr.body)
        yield from leaves(expr.orelse)
    elif isinstance(expr, cst.BooleanOperation):
        yield from leaves(expr.left)
        yield from leaves(expr.right)
    elif isinstance(expr, (cst.Tuple, cst.List, cst.Set)):
        for element in expr.elements:
            yield from leaves(element.value)
    elif isinstance(expr, cst.Dict):
        for element in expr.elements:
            if isinstance(element, cst.DictElement):
                yield from leaves(element.key)
                yield from leaves(element.value)
    else:
        yield expr


def _device_leaf(expr: cst.BaseExpression) -> Iterator[StringNode]:
    value = _value(expr)
    if value is not None and _DEVICE.fullmatch(value):
        yield expr  # "cuda", "cuda:1"
    elif isinstance(expr, cst.FormattedString) and expr.parts and isinstance(expr.parts[0], cst.FormattedStringText):
        text = expr.parts[0].value
        if _DEVICE.fullmatch(text) or (text == "cuda:" and len(expr.parts) > 1):
            yield expr.parts[0]  # f"cuda:{rank}"
    elif isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Modulo, cst.Add)):
        left = _value(expr.left)
        if left is not None and _DEVICE_PREFIX.match(left) and (left == "cuda:" or isinstance(expr.operator, cst.Modulo)):
            yield expr.left  # "cuda:%d" % rank, "cuda:" + str(rank)
    elif (isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "format"
          and (fmt := _value(expr.func.value)) is not None and _DEVICE_PREFIX.match(fmt)):
        yield expr.func.value  # "cuda:{}".format(rank)


def _backend_leaf(expr: cst.BaseExpression) -> Iterator[StringNode]:
    value = _value(expr)
    if value == "nccl" or (value and _BACKEND_LIST.fullmatch(value) and any(p.partition(":")[2] == "nccl" for p in value.split(","))):
        yield expr  # "nccl", "cpu:gloo,cuda:nccl"


def device_literals(expr: cst.BaseExpression) -> list[StringNode]:
    """The string nodes of `expr` that spell a CUDA device."""
    return [node for leaf in leaves(expr) for node in _device_leaf(leaf)]


def backend_literals(expr: cst.BaseExpression) -> list[StringNode]:
    """The string nodes of `expr` that name the NCCL backend."""
    return [node for leaf in leaves(expr) for node in _backend_leaf(leaf)]


def to_npu(node: StringNode) -> StringNode:
    """"cuda…" → "npu…", keeping the prefix and the quotes."""
    if isinstance(node, cst.FormattedStringText):
        return node.with_changes(value="npu" + node.value[len("cuda"):])
    return node.with_changes(value=f"{node.prefix}{node.quote}npu{node.raw_value[len('cuda'):]}{node.quote}")


def to_hccl(node: cst.SimpleString) -> cst.SimpleString:
    """"nccl" → "hccl"; "cpu:gloo,cuda:nccl" → "cpu:gloo,npu:hccl"."""
    def part(p: str) -> str:
        device, _, backend = p.partition(":")
        return f"{'npu' if device == 'cuda' else device}:{'hccl' if backend == 'nccl' else backend}"

    raw = node.raw_value
    new = "hccl" if raw == "nccl" else ",".join(part(p) for p in raw.split(","))
    return node.with_changes(value=f"{node.prefix}{node.quote}{new}{node.quote}")
