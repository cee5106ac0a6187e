"""The closed set of value operations of the operator IR, grouped, with their meaning in numpy.

`NUMPY` is the living definition of every op: the reference interpreter runs it, constant folding
reuses it, and a backend that disagrees with it has a bug. Integer ops follow C semantics
(truncating division and remainder).
"""
from __future__ import annotations

import enum

import numpy as np


class Op(enum.Enum):
    # ** unary math **
    NEG = "neg"
    ABS = "abs"
    EXP = "exp"
    LOG = "log"
    SQRT = "sqrt"
    RSQRT = "rsqrt"
    RECIP = "recip"
    TANH = "tanh"
    ERF = "erf"
    SIGMOID = "sigmoid"
    FLOOR = "floor"
    CEIL = "ceil"
    ROUND = "round"  # half away from zero (roundf)
    RINT = "rint"  # half to even (rintf)
    TRUNC = "trunc"
    SIN = "sin"
    COS = "cos"
    NOT = "not"
    # ** binary arithmetic **
    ADD = "add"
    SUB = "sub"
    MUL = "mul"
    DIV = "div"
    MOD = "mod"
    MAX = "max"
    MIN = "min"
    POW = "pow"
    AND = "and"
    OR = "or"
    # ** comparisons (result bool) **
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"
    EQ = "eq"
    NE = "ne"
    # ** reductions to a position (result: the index of the first extreme element) **
    ARGMAX = "argmax"
    ARGMIN = "argmin"


UNARY = frozenset({Op.NEG, Op.ABS, Op.EXP, Op.LOG, Op.SQRT, Op.RSQRT, Op.RECIP, Op.TANH, Op.ERF, Op.SIGMOID, Op.FLOOR,
                   Op.CEIL, Op.ROUND, Op.RINT, Op.TRUNC, Op.SIN, Op.COS, Op.NOT})
BINARY = frozenset({Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.MOD, Op.MAX, Op.MIN, Op.POW, Op.AND, Op.OR})
COMPARE = frozenset({Op.LT, Op.LE, Op.GT, Op.GE, Op.EQ, Op.NE})
COMMUTATIVE = frozenset({Op.ADD, Op.MUL, Op.MAX, Op.MIN, Op.EQ, Op.NE, Op.AND, Op.OR})
FLOAT_ONLY = frozenset({Op.EXP, Op.LOG, Op.SQRT, Op.RSQRT, Op.RECIP, Op.TANH, Op.ERF, Op.SIGMOID, Op.FLOOR, Op.CEIL,
                        Op.ROUND, Op.RINT, Op.TRUNC, Op.SIN, Op.COS, Op.POW})
LOGICAL = frozenset({Op.AND, Op.OR, Op.NOT})


def _c_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if np.issubdtype(a.dtype, np.integer):
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.abs(a) // np.where(b == 0, 1, np.abs(b))
        return (q * np.sign(a) * np.sign(b)).astype(a.dtype)
    return a / b


def _c_mod(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if np.issubdtype(a.dtype, np.integer):
        return (a - _c_div(a, b) * b).astype(a.dtype)
    return np.fmod(a, b)


def _erf(x: np.ndarray) -> np.ndarray:
    import math
    return np.vectorize(math.erf, otypes=[np.float64])(x.astype(np.float64)).astype(x.dtype)


def _round_half_away(x: np.ndarray) -> np.ndarray:
    return (np.sign(x) * np.floor(np.abs(x) + 0.5)).astype(x.dtype)


NUMPY = {
    Op.NEG: np.negative, Op.ABS: np.abs, Op.EXP: np.exp, Op.LOG: np.log, Op.SQRT: np.sqrt,
    Op.RSQRT: lambda x: (1 / np.sqrt(x)).astype(x.dtype), Op.RECIP: lambda x: (1 / x).astype(x.dtype),
    Op.TANH: np.tanh, Op.ERF: _erf, Op.SIGMOID: lambda x: (1 / (1 + np.exp(-x))).astype(x.dtype),
    Op.FLOOR: np.floor, Op.CEIL: np.ceil, Op.ROUND: _round_half_away, Op.RINT: np.rint, Op.TRUNC: np.trunc,
    Op.SIN: np.sin, Op.COS: np.cos, Op.NOT: np.logical_not,
    Op.ADD: np.add, Op.SUB: np.subtract, Op.MUL: np.multiply, Op.DIV: _c_div, Op.MOD: _c_mod,
    # fmaxf/fminf: a NaN operand yields the other one
    Op.MAX: np.fmax, Op.MIN: np.fmin, Op.POW: np.power, Op.AND: np.logical_and, Op.OR: np.logical_or,
    Op.LT: np.less, Op.LE: np.less_equal, Op.GT: np.greater, Op.GE: np.greater_equal, Op.EQ: np.equal,
    Op.NE: np.not_equal,
    # reductions to a position: the interpreter evaluates them along the reduction axis (first extreme, NaN never wins)
    Op.ARGMAX: np.argmax, Op.ARGMIN: np.argmin,
}
assert set(NUMPY) == set(Op), "every op needs its numpy meaning"
