"""The reference interpreter: runs an Operator on numpy arrays. It defines what the IR means.

Every point of the domain evaluates its stores' values from the inputs as they were before the
kernel (pointwise operators never read what another point writes); stores then land in order.
Arithmetic happens in the node's dtype: float16 through numpy's correctly rounded half ops,
bfloat16 as float32 rounded back after every op, integers with C semantics.
"""
from __future__ import annotations

import math

import numpy as np

from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.dtypes import DType, bf16_to_float32, float32_to_bf16
from cuda2cann.ir.nodes import Binary, Cast, Const, Gather, IndexValue, Load, Node, Operator, Param, Reduce, Select, Unary
from cuda2cann.ir.ops import NUMPY, Op


class InterpreterError(RuntimeError):
    pass


def _compute_type(dt: DType) -> np.dtype:
    return np.dtype(np.float32) if dt.name == "bfloat16" else dt.storage


def eval_index(e: sx.Expr, env: dict[str, np.ndarray | int]) -> np.ndarray | int:
    """Vectorised evaluation of an index expression (floor semantics, as the algebra's)."""
    match e:
        case sx.Const(value=v):
            return v
        case sx.Sym(name=n):
            if n not in env:
                raise InterpreterError(f"no value for symbol {n!r}")
            return env[n]
        case sx.Sum(terms=terms, const=c):
            return sum((eval_index(a, env) * k for a, k in terms), c)
        case sx.Prod(factors=fs):
            return math.prod(eval_index(f, env) for f in fs)
        case sx.FloorDiv(x=x, d=d):
            return eval_index(x, env) // d
        case sx.Mod(x=x, d=d):
            return eval_index(x, env) % d
        case sx.Min(args=args):
            return _reduce(np.minimum, [eval_index(a, env) for a in args])
        case sx.Max(args=args):
            return _reduce(np.maximum, [eval_index(a, env) for a in args])
    raise InterpreterError(f"cannot evaluate index node {type(e).__name__}")


def _reduce(fn, values):
    out = values[0]
    for v in values[1:]:
        out = fn(out, v)
    return out


class Interpreter:
    """Evaluates one operator; `tensors` are flat raw arrays (bf16 as uint16 bit patterns)."""

    def __init__(self, op: Operator, tensors: dict[str, np.ndarray], scalars: dict[str, float | int]) -> None:
        self.op, self.tensors, self.scalars = op, tensors, scalars
        self.env: dict[str, np.ndarray | int] = {k: int(v) for k, v in scalars.items() if float(v).is_integer()}

    def run(self) -> dict[str, np.ndarray]:
        ints = {k: v for k, v in self.env.items() if isinstance(v, int)}
        extents = [max(0, int(sx.evaluate(a.extent, ints))) for a in self.op.axes]  # a negative bound is an empty domain
        grid = np.indices(extents, dtype=np.int64).reshape(len(extents), -1) if extents else np.zeros((0, 1), np.int64)
        for axis, values in zip(self.op.axes, grid, strict=True):
            self.env[axis.name] = values
        out = {t.name: self.tensors[t.name].copy() for t in self.op.tensors if t.role != "input"}
        for store in self.op.stores:
            index = np.broadcast_to(eval_index(store.index, self.env), (grid.shape[1],))
            value = self._storage(self.value(store.value), store.value.dtype)
            target = out[store.tensor]
            if index.size and (index.min() < 0 or index.max() >= target.size):
                raise InterpreterError(f"store to {store.tensor} out of bounds: index range [{index.min()}, {index.max()}] "
                                       f"for {target.size} elements")
            target[index] = np.broadcast_to(value, index.shape)
        return out

    def value(self, node: Node) -> np.ndarray:
        ct = _compute_type(node.dtype)
        match node:
            case Const(value=v):
                return np.asarray(v, dtype=ct)
            case Param(name=n):
                return np.asarray(self.scalars[n], dtype=ct)
            case IndexValue(index=e):
                return np.asarray(eval_index(e, self.env)).astype(ct)
            case Load(tensor=t, index=e):
                raw = self.tensors[t][np.asarray(eval_index(e, self.env))]
                return bf16_to_float32(raw) if node.dtype.name == "bfloat16" else raw
            case Gather(tensor=t, base=e, offset=o):
                raw = self.tensors[t][np.asarray(eval_index(e, self.env)) + np.asarray(self.value(o)).astype(np.int64)]
                return bf16_to_float32(raw) if node.dtype.name == "bfloat16" else raw
            case Unary(op=op, x=x):
                return self._round(NUMPY[op](self.value(x)), node.dtype)
            case Binary(op=op, a=a, b=b):
                with np.errstate(all="ignore"):
                    return self._round(NUMPY[op](self.value(a), self.value(b)), node.dtype)
            case Select(cond=c, a=a, b=b):
                return np.where(self.value(c), self.value(a), self.value(b))
            case Cast(x=x, type=t):
                return self._cast(self.value(x), x.dtype, t)
            case Reduce():
                return self.reduce(node)
        raise InterpreterError(f"cannot evaluate node {type(node).__name__}")

    def reduce(self, node: Reduce) -> np.ndarray:
        """Evaluate the body on a (points x extent) grid and combine along the reduction axis (nests too)."""
        ints = {k: v for k, v in self.env.items() if isinstance(v, int)}
        extent = max(0, int(sx.evaluate(node.extent, ints)))
        saved = dict(self.env)
        arrays = {k: np.asarray(v) for k, v in self.env.items() if isinstance(v, np.ndarray)}
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values())) if arrays else ()
        flat = {k: np.broadcast_to(a, shape).reshape(-1, 1) for k, a in arrays.items()}
        points = int(np.prod(shape)) if shape else 1
        self.env = {**self.env, **flat, node.axis: np.arange(extent, dtype=np.int64)[None, :]}
        try:
            body = np.broadcast_to(self.value(node.body), (points, extent))
        finally:
            self.env = saved
        if node.op in (Op.ARGMAX, Op.ARGMIN):  # the first position of the extreme value; NaN never wins (`v > best`)
            fill = -np.inf if node.op is Op.ARGMAX else np.inf
            values = np.where(np.isnan(body), fill, body.astype(np.float64)) if extent else body
            pick = np.argmax if node.op is Op.ARGMAX else np.argmin
            out = pick(values, axis=1).astype(np.int32) if extent else np.zeros(points, np.int32)
            return out.reshape(shape) if shape else out.reshape(())
        ufunc = {Op.ADD: np.add, Op.MUL: np.multiply, Op.MAX: np.fmax, Op.MIN: np.fmin}[node.op]
        identity = {Op.ADD: 0, Op.MUL: 1, Op.MAX: -np.inf, Op.MIN: np.inf}[node.op]
        if extent == 0:
            out = np.full(points, identity).astype(_compute_type(node.dtype))
        else:
            out = self._round(ufunc.reduce(body.astype(_compute_type(node.dtype)), axis=1), node.dtype)
        return out.reshape(shape) if shape else out.reshape(())

    @staticmethod
    def _round(v: np.ndarray, dt: DType) -> np.ndarray:
        if dt.name == "bfloat16":
            return bf16_to_float32(float32_to_bf16(np.asarray(v, dtype=np.float32)))
        return np.asarray(v).astype(_compute_type(dt), copy=False)

    @staticmethod
    def _cast(v: np.ndarray, src: DType, dst: DType) -> np.ndarray:
        with np.errstate(all="ignore"):
            if src.is_float and not dst.is_float and dst.name != "bool":
                v = np.trunc(v)  # C conversion truncates toward zero
            if dst.name == "bfloat16":
                return bf16_to_float32(float32_to_bf16(np.asarray(v, dtype=np.float32)))
            return np.asarray(v).astype(_compute_type(dst))

    @staticmethod
    def _storage(v: np.ndarray, dt: DType) -> np.ndarray:
        return float32_to_bf16(np.asarray(v, dtype=np.float32)) if dt.name == "bfloat16" else v


def run(op: Operator, tensors: dict[str, np.ndarray], scalars: dict[str, float | int]) -> dict[str, np.ndarray]:
    """Outputs (flat raw arrays) of `op` on `tensors` with scalar parameters `scalars`."""
    return Interpreter(op, tensors, scalars).run()
