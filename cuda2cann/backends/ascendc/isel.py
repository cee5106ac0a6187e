"""Instruction selection: IR value trees → AscendC count-form vector instructions over UB tiles.

Each IR node becomes a tensor operand (a UB tile) or a scalar operand (a C expression computed on
the scalar unit). Rules are a table keyed by op; functions without an AscendC instruction are
composed from exact identities, stated next to each rule. Only APIs of reference/ascendc_facts.md
§1.6 are emitted. What has no rule raises `LowerError` with a stable code.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from cuda2cann.ir.dtypes import DType, dtype
from cuda2cann.ir.nodes import Binary, Cast, Const, Gather, IndexValue, Load, Node, Param, Select, Unary
from cuda2cann.ir.ops import COMPARE, Op

F32, F16 = dtype("float32"), dtype("float16")
#: dtypes each API accepts on A2 (910B), from ascendc_facts.md §1.6
API_DTYPES = {
    **dict.fromkeys(("Add", "Sub", "Mul", "Max", "Min", "Adds", "Muls", "Maxs", "Mins"),
                    frozenset({"int16", "float16", "int32", "float32"})),
    **dict.fromkeys(("Div", "Exp", "Ln", "Sqrt", "Rsqrt", "Reciprocal", "Abs", "Select"), frozenset({"float16", "float32"})),
    # int32 compares for equality only: compare() checks the mode
    **dict.fromkeys(("Compare", "CompareScalar"), frozenset({"float16", "float32", "int32"})),
    "Relu": {"float16", "int32", "float32"},
    "Duplicate": {"int16", "uint16", "float16", "bfloat16", "int32", "uint32", "float32"},
}
_CMP = {Op.LT: "LT", Op.LE: "LE", Op.GT: "GT", Op.GE: "GE", Op.EQ: "EQ", Op.NE: "NE"}
_SWAP = {Op.LT: Op.GT, Op.GT: Op.LT, Op.LE: Op.GE, Op.GE: Op.LE, Op.EQ: Op.EQ, Op.NE: Op.NE}
#: Abramowitz & Stegun 7.1.26 coefficients a1..a5 of erf(x) ~ 1 - (a1 t + ... + a5 t^5) exp(-x^2)
_AS_7_1_26 = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)
_ROUNDING = {Op.FLOOR: "CAST_FLOOR", Op.CEIL: "CAST_CEIL", Op.ROUND: "CAST_ROUND", Op.RINT: "CAST_RINT", Op.TRUNC: "CAST_TRUNC"}
_UNARY_API = {Op.EXP: "Exp", Op.LOG: "Ln", Op.SQRT: "Sqrt", Op.RSQRT: "Rsqrt", Op.RECIP: "Reciprocal", Op.ABS: "Abs"}
_BINARY_API = {Op.ADD: "Add", Op.SUB: "Sub", Op.MUL: "Mul", Op.DIV: "Div", Op.MAX: "Max", Op.MIN: "Min"}
#: src → dst casts available on A2 with the round mode that matches C's conversion
_CASTS = {
    ("float16", "float32"): "CAST_NONE", ("float32", "float16"): "CAST_RINT", ("bfloat16", "float32"): "CAST_NONE",
    ("float32", "bfloat16"): "CAST_RINT", ("int32", "float32"): "CAST_NONE", ("float32", "int32"): "CAST_TRUNC",
    ("int8", "float16"): "CAST_NONE", ("uint8", "float16"): "CAST_NONE", ("float16", "int32"): "CAST_TRUNC",
    ("int16", "float16"): "CAST_NONE", ("int16", "float32"): "CAST_NONE", ("int64", "float32"): "CAST_RINT",
    ("float32", "int64"): "CAST_TRUNC", ("int32", "int64"): "CAST_NONE", ("int64", "int32"): "CAST_NONE",
}
#: casts done in two steps through an intermediate dtype (both steps exact)
_CAST_VIA = {("int8", "float32"): "float16", ("uint8", "float32"): "float16", ("float16", "bfloat16"): "float32",
             ("bfloat16", "float16"): "float32"}


class Approximation(str):
    """A plan note that states a numerical approximation (not an exact identity or a layout choice): a kernel whose plan
    carries one is reported `approximate` rather than `ported`."""


class LowerError(Exception):
    """No AscendC lowering for a construct: `code` (C2C2nn) and a message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


@dataclass(frozen=True)
class Tile:
    """A UB tile operand: the local tensor `name` of `dtype`."""

    name: str
    dtype: DType


@dataclass(frozen=True)
class Scalar:
    """A scalar operand: a C++ expression of `dtype`."""

    expr: str
    dtype: DType


Operand = Tile | Scalar


@dataclass(frozen=True)
class Instr:
    """One line of the Compute stage: `AscendC::api<...>(args, count)`."""

    api: str
    dst: Tile
    srcs: tuple[Operand, ...]
    extra: tuple[str, ...] = ()
    count: str = "count"
    comment: str = ""

    def reads(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.srcs if isinstance(s, Tile))


def compute_type(dt: DType) -> DType:
    """The 910B vector unit has no fp64: C's double promotions are computed in fp32."""
    return F32 if dt.name == "float64" else dt


def c_type(dt: DType) -> str:
    return dt.ascendc


@dataclass
class Selector:
    """Turns value trees into instructions; `inputs` maps tensor name → its input tile."""

    inputs: dict[str, Tile]
    scalar_names: dict[str, str]
    index_c: object  # callable: sx.Expr -> C expression, raises LowerError when the index varies per element
    instrs: list[Instr] = field(default_factory=list)
    temps: int = 0
    memo: dict[Node, Operand] = field(default_factory=dict)
    notes: set[str] = field(default_factory=set)
    scalars_read: int = 0
    #: names of the temporaries this selector made (data tiles and bit masks)
    temp_names: set[str] = field(default_factory=set)
    masks: set[str] = field(default_factory=set)
    #: tensors read as one scalar per tile row (per-row broadcasts): tensor → (C variable, dtype)
    scalar_loads: dict[str, tuple[str, DType]] = field(default_factory=dict)
    #: gathers read on the scalar unit: Gather node -> Scalar (None: gathers are not lowered here)
    gather: object = None

    def temp(self, dt: DType, kind: str = "t") -> Tile:
        self.temps += 1
        tile = Tile(f"{kind}{self.temps}", dt)
        (self.masks if kind == "mask" else self.temp_names).add(tile.name)
        return tile

    def emit(self, api: str, dst: Tile, *srcs: Operand, extra: tuple[str, ...] = (), count: str = "count", comment: str = "") -> Tile:
        for s in (dst, *srcs):
            if not isinstance(s, Tile) or api not in API_DTYPES or s.name in self.masks:
                continue  # the uint8 bit mask of Compare/Select is not a data operand
            if s.dtype.name not in API_DTYPES[api]:
                raise LowerError("C2C201", f"AscendC {api} does not support {s.dtype.name} on Atlas A2")
        self.instrs.append(Instr(api, dst, srcs, extra, count, comment))
        return dst

    # ------------------------------------------------------------ entry
    def operand(self, node: Node) -> Operand:
        if node not in self.memo:
            self.memo[node] = self._operand(node)
        return self.memo[node]

    def tile(self, node: Node) -> Tile:
        """The node as a tile; a scalar is broadcast with Duplicate."""
        op = self.operand(node)
        if isinstance(op, Tile):
            return op
        return self.emit("Duplicate", self.temp(op.dtype), op)

    def _operand(self, node: Node) -> Operand:
        t = compute_type(node.dtype)
        match node:
            case Const(value=v):
                return Scalar(literal(v, t), t)
            case Param(name=n):
                return Scalar(self.scalar_names[n], t)
            case IndexValue(index=e):
                return Scalar(f"static_cast<{c_type(t)}>({self.index_c(e)})", t)
            case Gather() if self.gather is not None:
                return self.gather(node)
            case Gather():
                raise LowerError("C2C202", "a gather (an index read from memory) outside the per-row values of a row program")
            case Load(tensor=name) if name in self.scalar_loads:
                var, dt = self.scalar_loads[name]
                return Scalar(var, compute_type(dt))
            case Load(tensor=name):
                if name not in self.inputs:
                    raise LowerError("C2C202", f"load of {name} with an index other than the output's (broadcast or gather)")
                return self.inputs[name]
            case Cast(x=x, type=dst) if x.dtype.name == "bool" and isinstance(x, Binary) and x.op in COMPARE:
                # a comparison as a number (`c += x > t`): 1 or 0 selected in fp32 (A2 selects floats), then converted
                one_or_zero = Select(x, Const(1.0, dtype("float32")), Const(0.0, dtype("float32")))
                return self.cast(self.operand(one_or_zero), compute_type(dst))
            case Cast(x=x, type=dst):
                return self.cast(self.operand(x), compute_type(dst))
            case Unary():
                return self.unary(node)
            case Binary(op=op) if op in COMPARE:
                raise LowerError("C2C203", "a comparison used as a value (only as a select condition)")
            case Binary():
                return self.binary(node)
            case Select():
                return self.select(node)
        raise LowerError("C2C204", f"no lowering for {type(node).__name__}")

    # ------------------------------------------------------------ rules
    def cast(self, x: Operand, dst: DType) -> Operand:
        if x.dtype == dst:
            return x
        if isinstance(x, Scalar):
            return Scalar(f"static_cast<{c_type(dst)}>({x.expr})", dst)
        key = (x.dtype.name, dst.name)
        if key in _CAST_VIA:
            return self.cast(self.cast(x, dtype(_CAST_VIA[key])), dst)
        if key not in _CASTS:
            raise LowerError("C2C205", f"no AscendC Cast from {x.dtype.name} to {dst.name} on Atlas A2")
        return self.emit("Cast", self.temp(dst), x, extra=(f"AscendC::RoundMode::{_CASTS[key]}",))

    def unary(self, node: Unary) -> Operand:
        t = compute_type(node.dtype)
        if t.name == "bfloat16":
            return self.cast(self.operand(Unary(node.op, Cast(node.x, F32))), t)
        x = self.operand(node.x)
        if isinstance(x, Scalar):
            return self.scalar_unary(node, x, t)
        if node.op in _UNARY_API:
            return self.emit(_UNARY_API[node.op], self.temp(t), x)
        if node.op is Op.NEG:
            return self.emit("Muls", self.temp(t), x, Scalar(literal(-1, t), t))
        if node.op is Op.TANH:  # tanh(x) = 1 - 2 / (exp(2x) + 1): exact identity; exp overflow gives 1, underflow -1
            e = self.emit("Muls", self.temp(t), x, Scalar(literal(2, t), t))
            self.emit("Exp", e, e)
            self.emit("Adds", e, e, Scalar(literal(1, t), t))
            two = self.emit("Duplicate", self.temp(t), Scalar(literal(2, t), t))
            self.emit("Div", e, two, e)
            self.emit("Muls", e, e, Scalar(literal(-1, t), t))
            self.notes.add("tanh composed as 1 - 2/(exp(2x)+1)")
            return self.emit("Adds", e, e, Scalar(literal(1, t), t), comment="tanh(x) = 1 - 2/(exp(2x)+1)")
        if node.op is Op.SIGMOID:  # sigmoid(x) = 1 / (1 + exp(-x))
            e = self.emit("Muls", self.temp(t), x, Scalar(literal(-1, t), t))
            self.emit("Exp", e, e)
            self.emit("Adds", e, e, Scalar(literal(1, t), t))
            one = self.emit("Duplicate", self.temp(t), Scalar(literal(1, t), t))
            return self.emit("Div", e, one, e, comment="sigmoid(x) = 1/(1+exp(-x))")
        if node.op is Op.ERF and t.name == "float32":
            return self.erf(x, t)
        if node.op in _ROUNDING and t.name in ("float32", "float16"):
            return self.rounding(node.op, x, t)
        raise LowerError("C2C206", f"no AscendC lowering for {node.op.value} yet")

    def erf(self, x: Tile, t: DType) -> Tile:
        """erf has no identity over the vector instructions: Abramowitz & Stegun 7.1.26 (a public-domain rational
        approximation, |error| <= 1.5e-7, below CUDA's own 2-ulp erff at the tolerances used), made odd with a select:
        erf(|x|) = 1 - (a1 t + ... + a5 t^5) exp(-x^2), t = 1 / (1 + p |x|)."""
        one = Scalar(literal(1, t), t)
        z = self.emit("Abs", self.temp(t), x)
        tt = self.emit("Muls", self.temp(t), z, Scalar(literal(0.3275911, t), t))
        self.emit("Adds", tt, tt, one)
        ones = self.emit("Duplicate", self.temp(t), one)
        self.emit("Div", tt, ones, tt)
        poly = self.emit("Muls", self.temp(t), tt, Scalar(literal(_AS_7_1_26[-1], t), t))
        for a in reversed(_AS_7_1_26[:-1]):  # Horner: (((a5 t + a4) t + a3) t + a2) t + a1, then * t
            self.emit("Adds", poly, poly, Scalar(literal(a, t), t))
            self.emit("Mul", poly, poly, tt)
        sq = self.emit("Mul", self.temp(t), z, z)
        self.emit("Muls", sq, sq, Scalar(literal(-1, t), t))
        self.emit("Exp", sq, sq)
        self.emit("Mul", poly, poly, sq)
        self.emit("Muls", poly, poly, Scalar(literal(-1, t), t))
        self.emit("Adds", poly, poly, one)  # erf(|x|)
        neg = self.emit("Muls", self.temp(t), poly, Scalar(literal(-1, t), t))
        mask = self.emit("CompareScalar", self.temp(dtype("uint8"), "mask"), x, Scalar(literal(0, t), t),
                         extra=("AscendC::CMPMODE::LT",), count="alignedCount")
        self.notes.add(Approximation("erf approximated by Abramowitz & Stegun 7.1.26 (|error| <= 1.5e-7)"))
        return self.emit("Select", self.temp(t), mask, neg, poly, extra=("AscendC::SELMODE::VSEL_TENSOR_TENSOR_MODE",),
                         count="alignedCount", comment="erf(x) = sign(x) * erf(|x|)")

    def rounding(self, op: Op, x: Tile, t: DType) -> Tile:
        """floor/ceil/round/rint/trunc: Cast to int32 with the rounding mode and back, exact while |x| is below the
        first float that is already an integer (2^23 for fp32, 2^10 for fp16); larger values, inf and NaN pass unchanged."""
        as_int = self.emit("Cast", self.temp(dtype("int32")), x, extra=(f"AscendC::RoundMode::{_ROUNDING[op]}",))
        back = self.cast(as_int, t) if t.name == "float32" else self.cast(self.cast(as_int, F32), t)
        magnitude = self.emit("Abs", self.temp(t), x)
        limit = 8388608.0 if t.name == "float32" else 1024.0
        mask = self.emit("CompareScalar", self.temp(dtype("uint8"), "mask"), magnitude, Scalar(literal(limit, t), t),
                         extra=("AscendC::CMPMODE::LT",), count="alignedCount")
        self.notes.add(f"{op.value} computed by a rounding Cast to int32 and back where |x| < {limit:g}")
        return self.emit("Select", self.temp(t), mask, back, x, extra=("AscendC::SELMODE::VSEL_TENSOR_TENSOR_MODE",),
                         count="alignedCount", comment=f"{op.value}(x)")

    def scalar_unary(self, node: Unary, x: Scalar, t: DType) -> Scalar:
        """A math function of a scalar (e.g. rsqrt of a row's variance): one 32-byte block on the vector unit, read back."""
        if node.op is Op.NEG:
            return Scalar(f"(-({x.expr}))", t)
        if node.op not in _UNARY_API or t.name != "float32":
            raise LowerError("C2C206", f"{node.op.value} of a scalar has no lowering")
        block = self.emit("Duplicate", self.temp(t), x, count="8")
        self.emit(_UNARY_API[node.op], block, block, count="8")
        self.scalars_read += 1
        var = f"s{self.scalars_read}"
        self.instrs.append(Instr("__read_result", block, (), (var, ""), count="8"))
        return Scalar(var, t)

    def binary(self, node: Binary) -> Operand:
        t = compute_type(node.dtype)
        if t.name == "bfloat16":  # no bf16 vector arithmetic on A2: compute in fp32, round once (correctly rounded)
            return self.cast(self.operand(Binary(node.op, Cast(node.a, F32), Cast(node.b, F32))), t)
        a, b = self.operand(node.a), self.operand(node.b)
        if isinstance(a, Scalar) and isinstance(b, Scalar):
            return Scalar(_scalar_binary(node.op, a.expr, b.expr, t), t)
        if node.op not in _BINARY_API:
            if node.op is Op.POW and isinstance(node.b, Const) and node.b.value in (2, 3, 4) and isinstance(a, Tile):
                p = self.emit("Mul", self.temp(t), a, a, comment=f"pow(x, {node.b.value:g}) by repeated multiplication")
                for _ in range(int(node.b.value) - 2):
                    p = self.emit("Mul", self.temp(t), p, a)
                return p
            if node.op is Op.POW and isinstance(node.b, Const) and node.b.value == 0.5 and isinstance(a, Tile):
                return self.emit("Sqrt", self.temp(t), a, comment="pow(x, 0.5) = sqrt(x)")
            raise LowerError("C2C207", f"no AscendC lowering for {node.op.value} yet")
        if isinstance(a, Tile) and isinstance(b, Tile):
            return self.emit(_BINARY_API[node.op], self.temp(t), a, b)
        tile, scalar, scalar_first = (b, a, True) if isinstance(a, Scalar) else (a, b, False)
        return self.tile_scalar(node.op, tile, scalar, scalar_first, t)

    def tile_scalar(self, op: Op, x: Tile, s: Scalar, scalar_first: bool, t: DType) -> Tile:
        if op in (Op.ADD, Op.MUL, Op.MAX, Op.MIN):
            return self.emit({Op.ADD: "Adds", Op.MUL: "Muls", Op.MAX: "Maxs", Op.MIN: "Mins"}[op], self.temp(t), x, s)
        if op is Op.SUB and not scalar_first:
            return self.emit("Adds", self.temp(t), x, Scalar(f"-({s.expr})", t))
        if op is Op.SUB:
            neg = self.emit("Muls", self.temp(t), x, Scalar(literal(-1, t), t))
            return self.emit("Adds", neg, neg, s)
        if op is Op.DIV and not scalar_first and _power_of_two(s.expr):  # exact: scaling by 2^-k
            return self.emit("Muls", self.temp(t), x, Scalar(f"{c_type(t)}(1) / ({s.expr})", t))
        dup = self.emit("Duplicate", self.temp(t), s)
        return self.emit("Div", self.temp(t), *((dup, x) if scalar_first else (x, dup)))

    def select(self, node: Select) -> Operand:
        t = compute_type(node.dtype)
        cond, a, b = node.cond, node.a, node.b
        if isinstance(cond, Unary) and cond.op is Op.NOT:
            return self.operand(Select(cond.x, b, a))
        if isinstance(cond, Binary) and cond.op is Op.AND:  # c1 && c2 ? a : b == c1 ? (c2 ? a : b) : b
            return self.operand(Select(cond.a, Select(cond.b, a, b), b))
        if isinstance(cond, Binary) and cond.op is Op.OR:  # c1 || c2 ? a : b == c1 ? a : (c2 ? a : b)
            return self.operand(Select(cond.a, a, Select(cond.b, a, b)))
        if not (isinstance(cond, Binary) and cond.op in COMPARE):
            raise LowerError("C2C208", "a select whose condition is not a comparison")
        if _is_int_equality(cond) and cond.op is Op.NE:  # int32 Compare has EQ only: c != d ? a : b == c == d ? b : a
            return self.operand(Select(Binary(Op.EQ, cond.a, cond.b), b, a))
        mask = self.compare(cond)
        va, vb = self.operand(a), self.operand(b)
        if isinstance(va, Scalar):
            va = self.tile(a)
        mode = "VSEL_TENSOR_SCALAR_MODE" if isinstance(vb, Scalar) else "VSEL_TENSOR_TENSOR_MODE"
        return self.emit("Select", self.temp(t), mask, va, vb, extra=(f"AscendC::SELMODE::{mode}",), count="alignedCount",
                         comment="mask bit 1 selects the first source")

    def compare(self, cond: Binary) -> Tile:
        p, q = self.operand(cond.a), self.operand(cond.b)
        op = cond.op
        if isinstance(p, Scalar) and isinstance(q, Tile):
            p, q, op = q, p, _SWAP[op]
        if isinstance(p, Scalar):
            p = self.tile(cond.a)
        if p.dtype.name in ("uint8", "int8"):  # 8-bit values are exact in half: compare there
            p = self.cast(p, F16)
            q = self.cast(q, F16) if isinstance(q, Tile) else Scalar(f"static_cast<half>({q.expr})", F16)
        if p.dtype.name not in ("float16", "float32") and not (p.dtype.name == "int32" and op is Op.EQ):
            raise LowerError("C2C209", f"AscendC Compare does not support {_CMP[op]} on {p.dtype.name} on Atlas A2 "
                             "(half and float compare in every mode, int32 for equality, 8-bit values through half)")
        mask = self.temp(dtype("uint8"), "mask")
        api = "CompareScalar" if isinstance(q, Scalar) else "Compare"
        return self.emit(api, mask, p, q, extra=(f"AscendC::CMPMODE::{_CMP[op]}",), count="alignedCount")


def _is_int_equality(cond: Binary) -> bool:
    return cond.op in (Op.EQ, Op.NE) and compute_type(cond.a.dtype).name == "int32"


def literal(v: float | int | bool, t: DType) -> str:
    """A C++ constant of type t, infinities and NaN included."""
    if t.is_float:
        if v != v:
            return f"static_cast<{c_type(t)}>(__builtin_nanf(\"\"))"
        if v in (float("inf"), float("-inf")):
            return f"static_cast<{c_type(t)}>({'-' if v < 0 else ''}__builtin_inff())"
        return f"static_cast<{c_type(t)}>({float(v)!r}f)" if t.name != "float32" else f"{float(v)!r}f"
    return f"static_cast<{c_type(t)}>({int(v)})"


def _scalar_binary(op: Op, a: str, b: str, t: DType) -> str:
    infix = {Op.ADD: "+", Op.SUB: "-", Op.MUL: "*", Op.DIV: "/"}
    if op in infix:
        return f"static_cast<{c_type(t)}>(({a}) {infix[op]} ({b}))"
    if op in (Op.MAX, Op.MIN):
        cmp = ">" if op is Op.MAX else "<"
        return f"(({a}) {cmp} ({b}) ? ({a}) : ({b}))"
    raise LowerError("C2C207", f"scalar {op.value} has no lowering")


def _power_of_two(expr: str) -> bool:
    try:
        v = float(expr.rstrip("f"))
    except ValueError:
        return False
    return v > 0 and math.log2(v).is_integer()

