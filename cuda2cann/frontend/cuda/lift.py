"""Lift a CUDA kernel to the operator IR by evaluating one abstract thread symbolically.

Thread and block indices, launch dimensions and integer parameters are symbols; every store the
thread performs is recorded as (tensor, index, value, conditions). `blockIdx.x*blockDim.x +
threadIdx.x` fuses into a global id, a grid-stride loop becomes one logical iterator, and the
guards bound the iteration domain. Whatever cannot be lifted raises `LiftError` with a stable code,
the reason and the source line: the kernel then stays unported, it is never translated by guess.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import ClassVar

import numpy as np
from tree_sitter import Node as TSNode

from cuda2cann.frontend.cuda.accumulation import (
    IDENTITY,
    Accumulation,
    accumulations,
    constant,
    online_placeholder,
    replace_node,
    welford_updates,
)
from cuda2cann.frontend.cuda.kernels import ELEMENT_TYPES, VECTOR_TYPES, FunctionDef, parse_type
from cuda2cann.frontend.cuda.parser import text
from cuda2cann.frontend.cuda.values import (
    FLOAT32,
    FLOAT64,
    INT32,
    INT64,
    Cond,
    Idx,
    Ptr,
    Val,
    Value,
    ValueKindError,
    Vec,
    as_node,
    common_type,
    conjunction,
    disjunction,
    negate,
    type_of,
)
from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.dtypes import DType, dtype
from cuda2cann.ir.nodes import (
    BOOL,
    Binary,
    Cast,
    Const,
    Gather,
    IndexValue,
    Load,
    Node,
    Param,
    Reduce,
    Select,
    Unary,
    map_children,
    rebind_axis,
    walk,
)
from cuda2cann.ir.ops import Op

BUILTIN_DIMS = {"threadIdx": 0, "blockIdx": 0, "blockDim": 1, "gridDim": 1}
MAX_UNROLL = 64
SYNC_CALLS = frozenset({"__syncthreads", "__syncwarp", "__shfl_sync", "__shfl_down_sync", "__shfl_xor_sync", "__shfl_up_sync",
                        "__ballot_sync", "__any_sync", "__all_sync", "__syncthreads_count", "__syncthreads_or"})
ATOMICS = frozenset({"atomicAdd", "atomicSub", "atomicMax", "atomicMin", "atomicExch", "atomicCAS", "atomicAnd", "atomicOr",
                     "atomicXor", "atomicInc", "atomicDec", "atomicAdd_block", "atomicAdd_system"})
ATOMIC_OPS = {"atomicAdd": Op.ADD, "atomicMax": Op.MAX, "atomicMin": Op.MIN}


class LiftError(Exception):
    """The kernel cannot be lifted: `code` (C2Cnnn), `message`, 1-based `line` of the construct."""

    def __init__(self, code: str, message: str, line: int) -> None:
        super().__init__(f"{code}: line {line}: {message}")
        self.code, self.message, self.line = code, message, line


@dataclass
class RawStore:
    tensor: str
    index: sx.Expr
    value: Val
    conds: tuple[Cond, ...]
    line: int
    #: `atomicAdd` / `atomicMax` / `atomicMin`: the element accumulates the value of every point that reaches it
    accumulate: Op | None = None


@dataclass
class ThreadState:
    env: dict[str, Value] = field(default_factory=dict)
    conds: tuple[Cond, ...] = ()


class _Return(Exception):
    """Control leaving a device function (`return value;`) or the kernel (`return;`)."""

    def __init__(self, value: Value | None) -> None:
        self.value = value


# ---------------------------------------------------------------- math library

_UNARY_CALLS: dict[str, Op] = {
    **dict.fromkeys(("expf", "__expf", "exp", "hexp"), Op.EXP), **dict.fromkeys(("logf", "__logf", "log", "hlog"), Op.LOG),
    **dict.fromkeys(("sqrtf", "sqrt", "__fsqrt_rn", "hsqrt"), Op.SQRT),
    **dict.fromkeys(("rsqrtf", "rsqrt", "__frsqrt_rn", "hrsqrt"), Op.RSQRT),
    **dict.fromkeys(("tanhf", "tanh"), Op.TANH), **dict.fromkeys(("erff", "erf"), Op.ERF),
    **dict.fromkeys(("fabsf", "fabs", "abs", "__habs"), Op.ABS), **dict.fromkeys(("floorf", "floor"), Op.FLOOR),
    **dict.fromkeys(("ceilf", "ceil"), Op.CEIL), **dict.fromkeys(("roundf", "round"), Op.ROUND),
    **dict.fromkeys(("rintf", "rint", "nearbyintf"), Op.RINT), **dict.fromkeys(("truncf", "trunc"), Op.TRUNC),
    **dict.fromkeys(("sinf", "__sinf", "sin"), Op.SIN), **dict.fromkeys(("cosf", "__cosf", "cos"), Op.COS),
    **dict.fromkeys(("__frcp_rn",), Op.RECIP), **dict.fromkeys(("__hneg",), Op.NEG),
}
_BINARY_CALLS: dict[str, Op] = {
    **dict.fromkeys(("fmaxf", "fmax", "max", "__hmax"), Op.MAX), **dict.fromkeys(("fminf", "fmin", "min", "__hmin"), Op.MIN),
    **dict.fromkeys(("powf", "__powf", "pow"), Op.POW), **dict.fromkeys(("__fdividef", "fdividef", "__fdiv_rn", "__hdiv"), Op.DIV),
    "__hadd": Op.ADD, "__hsub": Op.SUB, "__hmul": Op.MUL, "__fadd_rn": Op.ADD, "__fmul_rn": Op.MUL, "__fsub_rn": Op.SUB,
}
#: conversions: name → target dtype name
_CONVERSIONS = {
    "__half2float": "float32", "__bfloat162float": "float32", "__float2half": "float16", "__float2half_rn": "float16",
    "__float2bfloat16": "bfloat16", "__float2bfloat16_rn": "bfloat16", "__int2float_rn": "float32", "__float2int_rz": "int32",
    "__int2half_rn": "float16", "__half2int_rz": "int32",
}
#: CUDA math functions defined here by an exact identity over other ops (the IR keeps them composed)
_LN2 = 0.6931471805599453
_COMPOSED: dict[str, Callable] = {
    "log1pf": lambda self, x, n: self.unary(Op.LOG, self.binary(Op.ADD, x, Val(Const(1.0, FLOAT32)), n), n),
    "expm1f": lambda self, x, n: self.binary(Op.SUB, self.unary(Op.EXP, x, n), Val(Const(1.0, FLOAT32)), n),
    "log2f": lambda self, x, n: self.binary(Op.MUL, self.unary(Op.LOG, x, n), Val(Const(1.0 / _LN2, FLOAT32)), n),
    "exp2f": lambda self, x, n: self.unary(Op.EXP, self.binary(Op.MUL, x, Val(Const(_LN2, FLOAT32)), n), n),
    "__float2int_rn": lambda self, x, n: self.convert(self.unary(Op.RINT, x, n), INT32),
    "__float2int_rd": lambda self, x, n: self.convert(self.unary(Op.FLOOR, x, n), INT32),
    "__float2int_ru": lambda self, x, n: self.convert(self.unary(Op.CEIL, x, n), INT32),
}
#: paired half (half2 / bfloat162) intrinsics: lane-wise ops, lane access and construction
_HALF2_BINARY = {"__hadd2": Op.ADD, "__hsub2": Op.SUB, "__hmul2": Op.MUL, "__h2div": Op.DIV, "__hmax2": Op.MAX, "__hmin2": Op.MIN}
_HALF2_LANES: dict[str, tuple[int | None, str | None]] = {
    "__low2half": (0, None), "__high2half": (1, None), "__low2float": (0, "float32"), "__high2float": (1, "float32"),
    "__half22float2": (None, "float32"), "__low2bfloat16": (0, None), "__high2bfloat16": (1, None),
    "__bfloat1622float2": (None, "float32"),
}
_HALF2_BUILD = {"__floats2half2_rn": "float16", "__float2half2_rn": "float16", "__halves2half2": "float16",
                "__float22half2_rn": "float16", "__floats2bfloat162_rn": "bfloat16", "__halves2bfloat162": "bfloat16"}
_HALF_COMPARE = {"__hgt": Op.GT, "__hlt": Op.LT, "__hge": Op.GE, "__hle": Op.LE, "__heq": Op.EQ, "__hne": Op.NE}
_IDENTITY_CALLS = frozenset({"__ldg", "__ldcs", "__ldca", "__ldcg", "__ldlu"})
_BINOPS = {"+": Op.ADD, "-": Op.SUB, "*": Op.MUL, "/": Op.DIV, "%": Op.MOD}
_CMPOPS = {"<": Op.LT, "<=": Op.LE, ">": Op.GT, ">=": Op.GE, "==": Op.EQ, "!=": Op.NE}


class Lifter:
    """Evaluates one kernel for one abstract thread. `functions` are the device functions to inline."""

    def __init__(self, kernel: FunctionDef, functions: dict[str, FunctionDef], file: str,
                 template_args: dict[str, str] | None = None) -> None:
        self.kernel, self.functions, self.file = kernel, functions, file
        self.types = dict(template_args or {})
        self.stores: list[RawStore] = []
        self.scalars: dict[str, DType] = {}
        self.block_requirements: dict[str, int] = {}
        #: grid-strided loops whose partials were reduced whole (by atomics): the CUDA launch spreads over them
        #: grid-wide partials an atomic accumulation reduces: (axis, extent, origin: "it" grid-strided, "gid.x" one per thread)
        self.grid_axes: list[tuple[str, sx.Expr, str]] = []
        #: per-thread storing loops: one axis per extent, shared by loops over the same range
        self.map_axes: dict[sx.Expr, sx.Sym] = {}
        #: computations lifted to an equal formula with other rounding (e.g. Welford's running mean as sum / n)
        self.reformulated: set[str] = set()
        #: the names declared in each enclosing block, innermost last
        self.scopes: list[set[str]] = []
        self.loop_counter = 0
        #: one list per function being inlined: (path conditions, value) of its early returns
        self.return_frames: list[list[tuple[tuple[Cond, ...], Value]]] = []

    # ------------------------------------------------------------ entry
    def run(self) -> ThreadState:
        state = ThreadState()
        for p in self.kernel.params:
            state.env[p.name] = self.param_value(p.name, p.type)
        with contextlib.suppress(_Return):  # `return;` ends the thread
            self.block(self.kernel.body, state)
        return state

    def param_value(self, name: str, ctype) -> Value:
        base = self.types.get(ctype.base, ctype.base)
        if ctype.pointer == 1:
            if base in VECTOR_TYPES:
                elem, lanes = VECTOR_TYPES[base]
                return Ptr(name, sx.const(0), dtype(elem), lanes)
            if base not in ELEMENT_TYPES:
                raise LiftError("C2C109", f"parameter {name}: unsupported pointee type {base!r}", self.line(self.kernel.node))
            return Ptr(name, sx.const(0), dtype(ELEMENT_TYPES[base]))
        if ctype.pointer or base not in ELEMENT_TYPES:
            raise LiftError("C2C109", f"parameter {name}: unsupported type {base!r}" + ("*" * ctype.pointer), self.line(self.kernel.node))
        dt = dtype(ELEMENT_TYPES[base])
        self.scalars[name] = dt
        if dt.is_integer:
            return Idx(sx.sym(name, 0 if dt.name.startswith("u") else None, None), dt)
        return Val(Param(name, dt))

    def line(self, node: TSNode) -> int:
        return node.start_point[0] + 1

    def fail(self, code: str, message: str, node: TSNode) -> LiftError:
        return LiftError(code, message, self.line(node))

    # ------------------------------------------------------------ statements
    def block(self, node: TSNode, state: ThreadState) -> None:
        for child in node.named_children:
            self.statement(child, state)

    def statement(self, node: TSNode, state: ThreadState) -> None:
        handler = self.STATEMENTS.get(node.type)
        if handler is None:
            raise self.fail("C2C102", f"unsupported statement {node.type.replace('_', ' ')}", node)
        getattr(self, handler)(node, state)

    def s_compound(self, node: TSNode, state: ThreadState) -> None:
        """A block scope: names declared in it disappear after it, and names it shadows get their outer value back."""
        outer = dict(state.env)
        self.scopes.append(set())
        try:
            self.block(node, state)
        finally:
            declared = self.scopes.pop()
        for name in declared:
            if name in outer:
                state.env[name] = outer[name]
        for name in set(state.env) - set(outer):
            del state.env[name]

    def s_expression(self, node: TSNode, state: ThreadState) -> None:
        if node.named_children:
            self.expr(node.named_children[0], state)

    def s_declaration(self, node: TSNode, state: ThreadState) -> None:
        quals = [text(c) for c in node.children if c.type == "type_qualifier"]
        if "__shared__" in quals:
            raise self.fail("C2C101", "shared memory: threads of a block cooperate (reductions are lifted separately)", node)
        for decl in node.children_by_field_name("declarator"):
            target = decl.child_by_field_name("declarator") if decl.type == "init_declarator" else decl
            ctype, name = parse_type(node.child_by_field_name("type"), target, quals)
            if name is None:
                raise self.fail("C2C102", f"unsupported declaration {text(decl)!r}", decl)
            if self.scopes:
                self.scopes[-1].add(name)
            if target.type == "array_declarator":
                raise self.fail("C2C102", "local arrays are not supported in pointwise kernels", decl)
            if decl.type == "init_declarator":
                value = self.expr(decl.child_by_field_name("value"), state)
                state.env[name] = self.convert_decl(value, ctype, decl)
            else:  # uninitialised: reading it before assigning is a bug of the kernel anyway
                base = self.types.get(ctype.base, ctype.base)
                if base in VECTOR_TYPES and not ctype.pointer:
                    elem, lanes = VECTOR_TYPES[base]
                    state.env[name] = Vec((Val(Const(0, dtype(elem))),) * lanes)
                else:
                    state.env[name] = Val(Const(0, dtype(ELEMENT_TYPES.get(base, "float32"))))

    def convert_decl(self, value: Value, ctype, node: TSNode) -> Value:
        base = self.types.get(ctype.base, ctype.base)
        if base == "auto" or ctype.pointer or base in VECTOR_TYPES or isinstance(value, (Ptr, Vec)):
            return value
        if base not in ELEMENT_TYPES:
            raise self.fail("C2C109", f"unsupported type {base!r}", node)
        return self.convert(value, dtype(ELEMENT_TYPES[base]))

    def convert(self, value: Value, dt: DType) -> Value:
        if isinstance(value, Idx) and dt.is_integer:
            return Idx(value.e, dt)
        if isinstance(value, Cond) and dt.name == "bool":
            return value
        return Val(as_node(value, dt))

    def s_if(self, node: TSNode, state: ThreadState) -> None:
        cond = self.condition(node.child_by_field_name("condition"), state)
        then, other = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
        if other is not None and other.type == "else_clause":
            other = other.named_children[0]
        if other is None and _is_bare_return(then):
            state.conds = (*state.conds, negate(cond))  # `if (i >= n) return;` guards the rest
            return
        branches, exits = [], []
        for branch, c in ((then, cond), (other, negate(cond))):
            sub = ThreadState(dict(state.env), (*state.conds, c))
            if branch is not None:
                try:
                    self.statement(branch, sub)
                except _Return as r:
                    if r.value is not None:
                        if not self.return_frames:
                            raise self.fail("C2C102", "a kernel cannot return a value", branch) from None
                        self.return_frames[-1].append((sub.conds, r.value))
                    exits.append(c)  # the rest of the code runs only where this branch was not taken
            branches.append(sub)
        state.env = self.merge(cond, branches[0].env, branches[1].env, node)
        state.conds = (*state.conds, *(negate(c) for c in exits))

    def merge(self, cond: Cond, a: dict[str, Value], b: dict[str, Value], node: TSNode) -> dict[str, Value]:
        out = {}
        for name in a.keys() & b.keys():
            va, vb = a[name], b[name]
            if va == vb:
                out[name] = va
            elif not all(isinstance(v, (Idx, Val, Cond)) for v in (va, vb)):
                raise self.fail("C2C102", f"{name} holds a different pointer, vector, shared array or partial reduction "
                                "after each branch of this if (write the guard as an early return)", node)
            else:
                t = common_type(type_of(va), type_of(vb))
                out[name] = Val(Select(cond.node, as_node(va, t), as_node(vb, t)))
        return out

    def s_for(self, node: TSNode, state: ThreadState) -> None:
        init, cond, update = (node.child_by_field_name(f) for f in ("initializer", "condition", "update"))
        body = node.child_by_field_name("body")
        if init is None or cond is None or update is None:
            raise self.fail("C2C102", "a for loop needs an initializer, a condition and an update", node)
        sub = ThreadState(dict(state.env), state.conds)
        declarator = init.child_by_field_name("declarator") if init.type == "declaration" else None
        if declarator is not None and declarator.type == "init_declarator":
            self.s_declaration(init, sub)
            var = text(declarator.child_by_field_name("declarator"))
        elif init.type == "assignment_expression" and init.child_by_field_name("left").type == "identifier":
            self.expr(init, sub)
            var = text(init.child_by_field_name("left"))
        else:
            raise self.fail("C2C102", f"a for loop must start by setting its variable: {text(init)[:40]!r}", init)
        start = sub.env.get(var)
        step = self.loop_step(update, var, sub)
        if isinstance(start, Idx) and _is_global_id(start.e) and step is not None and _is_total_threads(step, start.e):
            self.grid_stride(var, cond, body, sub, node)
        elif isinstance(start, Idx) and _is_unit_step(update, var) and _constant_truth(self.condition(cond, sub)) is None:
            self.serial(var, start, cond, body, sub, node)
        else:
            self.unroll(var, cond, update, body, sub, node)
        state.env = {k: v for k, v in sub.env.items() if k in state.env}

    def serial(self, var: str, start: Idx, cond: TSNode, body: TSNode, state: ThreadState, node: TSNode) -> None:
        """`for (r = a; r < b; ++r) acc = acc op f(r)` with a run-time trip count: each accumulator gains
        reduce(op, k < b - a) f(a + k). The order of a sequential sum is not kept (rounding may differ)."""
        self.loop_counter += 1
        k = sx.sym(f"ks{self.loop_counter}", 0, None)
        state.env[var] = Idx(sx.add(start.e, k), start.type)
        guard = self.condition(cond, state)
        if guard.index is None or guard.index[0] not in (Op.LT, Op.LE) or guard.index[1] != sx.add(start.e, k):
            raise self.fail("C2C102", "a loop with a run-time trip count must be bounded by `i < extent`", cond)
        extent = sx.sub(sx.add(guard.index[2], 1 if guard.index[0] is Op.LE else 0), start.e)  # <= 0: no iteration
        mark = len(self.stores)
        real = ThreadState(dict(state.env), (*state.conds, guard))
        self.statement(body, real)
        changed = [n for n, v in state.env.items() if n != var and real.env.get(n) != v]
        if len(self.stores) > mark:
            del self.stores[mark:]
            if changed:
                raise self.fail("C2C102", "a loop with a run-time trip count both stores and accumulates (a running sum "
                                "depends on the order of the iterations)", body)
            return self.serial_map(var, start, cond, body, state, extent)
        # an integer stepped by a constant each iteration is a counter (`n++` of Welford's update)
        counters = {n: counter_step(state.env[n], real.env.get(n)) for n in changed}
        counters = {n: c for n, c in counters.items() if c is not None}
        changed = [n for n in changed if n not in counters]
        # an integer updated from data (`idx = v > best ? c : idx`) is a value; one stepped by the loop is an index
        if any(not isinstance(real.env.get(n), Val) or not isinstance(state.env[n], (Val, Idx)) for n in changed):
            raise self.fail("C2C102", "a loop with a run-time trip count changes an index or pointer variable", body)
        markers = {n: Val(Param(f"__acc_{n}", type_of(state.env[n]))) for n in changed}
        counting = {n: Idx(sx.sym(f"__count_{n}", 0, None), state.env[n].type) for n in counters}
        probe = ThreadState({**state.env, **markers, **counting}, (*state.conds, guard))
        self.statement(body, probe)
        found = accumulations(changed, probe.env, markers)
        found |= welford_updates([n for n in changed if n not in found], probe.env, markers,
                                 {probe.env[n]: n for n in counters if isinstance(probe.env.get(n), Idx)})
        steps = {f"__count_{n}" for n in counters}
        for name, acc in found.items():  # a counter is only a count: as an index it would differ in every iteration
            if _uses_symbols(acc.body, steps) or (acc.position is not None and _uses_symbols(acc.position, steps)):
                raise self.fail("C2C102", f"{name} uses an index variable that the loop steps (write it with the loop "
                                "variable)", body)
        missing = [n for n in changed if n not in found]
        if missing:
            raise self.fail("C2C102", f"{missing[0]} is updated in a loop with a run-time trip count in a way that is not an "
                            "associative accumulation (+, max, min) nor an online-softmax sum", body)
        totals: dict[str, Node] = {}
        before = dict(state.env)
        for name, step in counters.items():
            state.env[name] = Idx(sx.add(before[name].e, sx.mul(step, sx.smax(extent, 0))), before[name].type)
        order = {"": 0, "online": 1, "mean": 2, "m2": 3}
        for name in sorted(changed, key=lambda n: order[found[n].kind]):  # maxima and means first: others use them
            acc_f = found[name]
            if acc_f.kind in ("mean", "m2"):
                totals[name] = self.serial_welford(name, acc_f, k, extent, before, counters, totals, body)
                state.env[name] = Val(totals[name])
                continue
            if acc_f.arg_of:
                state.env[name] = self.serial_position(name, acc_f, start, k, extent, before, body)
                continue
            f = acc_f.body if not acc_f.online_max else replace_node(
                acc_f.body, online_placeholder(acc_f.online_max), rebind_reduces(totals[acc_f.online_max], k.name, f"{k.name}m"))
            acc = FLOAT32 if f.dtype.is_float else f.dtype
            old = as_node(state.env[name])
            red = Reduce(acc_f.op, k.name, extent, as_node(Val(f), acc), acc)
            if acc_f.online_max and constant(old) != 0:
                raise self.fail("C2C102", f"the online-softmax sum {name} does not start at 0", body)
            total = red if constant(old) == IDENTITY[acc_f.op] else Binary(acc_f.op, as_node(state.env[name], acc), red)
            totals[name] = total
            state.env[name] = Val(total if old.dtype == acc else Cast(total, old.dtype))
        state.env[var] = Idx(sx.add(start.e, sx.smax(extent, 0)), start.type)  # the value after the loop (none ran: start)

    def serial_position(self, name: str, acc: Accumulation, start: Idx, k: sx.Sym, extent: sx.Expr, before: dict[str, Value],
                        body: TSNode) -> Val:
        """`if (v > best) { best = v; idx = c; }`: idx is the loop position of the first maximum, start + argmax."""
        best_init, idx_init = before[acc.arg_of], before[name]
        position = acc.position.x if isinstance(acc.position, Cast) else acc.position
        offset = sx.sub(position.index, k) if isinstance(position, IndexValue) else None
        if offset is None or k in sx.free_symbols(offset) or not isinstance(idx_init, (Idx, Val)):
            raise self.fail("C2C102", f"{name} records something other than the loop position of the extreme", body)
        if constant(as_node(best_init)) != IDENTITY[Op.MAX if acc.op is Op.ARGMAX else Op.MIN]:
            raise self.fail("C2C102", f"an argmax / argmin whose running extreme {acc.arg_of} does not start at -INFINITY / "
                            "INFINITY (the first element would need its own comparison)", body)
        if not (isinstance(idx_init, Idx) and idx_init.e == offset):  # offset: the recorded position of the first element
            raise self.fail("C2C102", f"{name} does not start at the loop's first position (an empty or all -INFINITY row "
                            "would keep it)", body)
        body_node = acc.body if acc.body.dtype.is_float else Cast(acc.body, FLOAT32)
        red = Reduce(acc.op, k.name, extent, body_node, INT32)
        total = red if offset == sx.const(0) else Binary(Op.ADD, IndexValue(offset, INT32), red)
        dt = type_of(idx_init)
        return Val(total if dt == INT32 else Cast(total, dt))

    def serial_welford(self, name: str, acc: Accumulation, k: sx.Sym, extent: sx.Expr, before: dict[str, Value],
                       counters: dict[str, int], totals: dict[str, Node], body: TSNode) -> Node:
        """Welford's running mean and sum of squared deviations, from a count starting at 0 stepped by 1 and a mean and
        m2 starting at 0: mean = sum(f) / n and m2 = sum((f - mean)^2) (n = 0 leaves both at 0, as the loop does)."""
        self.reformulated.add("welford")
        count = before[acc.count]
        if counters.get(acc.count) != 1 or not (isinstance(count, Idx) and count.e == sx.const(0)) \
                or constant(as_node(before[name])) != 0:
            raise self.fail("C2C102", f"a Welford update of {name} whose count or running value does not start at 0", body)
        f = as_node(Val(acc.body), FLOAT32)
        if acc.kind == "mean":  # max(n, 1): an empty loop gives 0 / 1 = 0, as the untouched mean
            return Binary(Op.DIV, Reduce(Op.ADD, k.name, extent, f, FLOAT32), IndexValue(sx.smax(extent, 1), FLOAT32))
        mean = rebind_reduces(totals[acc.arg_of], k.name, f"{k.name}w")
        deviation = Binary(Op.SUB, f, mean)
        return Reduce(Op.ADD, k.name, extent, Binary(Op.MUL, deviation, deviation), FLOAT32)

    def serial_map(self, var: str, start: Idx, cond: TSNode, body: TSNode, state: ThreadState, extent: sx.Expr) -> None:
        """`for (c = 0; c < n; ++c) y[... c] = f(c)` in one thread: the iterations are independent, so c is one more
        axis of the domain (loops over the same extent share it)."""
        if start.e != sx.const(0):
            raise self.fail("C2C102", "a storing loop with a run-time trip count must start at 0", cond)
        axis = self.map_axes.setdefault(extent, sx.sym(f"itm{len(self.map_axes) + 1}", 0, None))
        state.env[var] = Idx(axis, start.type)
        guard = self.condition(cond, state)
        mark = len(self.stores)
        inner = ThreadState(dict(state.env), (*state.conds, guard))
        self.statement(body, inner)
        stored = {st.tensor: st.index for st in self.stores[mark:]}
        for st in self.stores[mark:]:
            for ld in walk(st.value.node):
                if isinstance(ld, Load) and ld.tensor in stored and ld.index != stored[ld.tensor]:
                    raise self.fail("C2C102", f"an iteration reads {ld.tensor}[{ld.index}], which another iteration of the loop "
                                    "writes", body)
        state.env[var] = Idx(sx.add(start.e, sx.smax(extent, 0)), start.type)

    def loop_step(self, update: TSNode, var: str, state: ThreadState) -> sx.Expr | None:
        """The increment of `var += step` when it is an index expression."""
        if update.type != "assignment_expression" or text(update.child_by_field_name("left")) != var:
            return None
        if update.child_by_field_name("operator").type != "+=":
            return None
        step = self.expr(update.child_by_field_name("right"), state)
        return step.e if isinstance(step, Idx) else None

    def grid_stride(self, var: str, cond: TSNode, body: TSNode, state: ThreadState, node: TSNode) -> None:
        """`for (i = gid; i < n; i += blockDim.x * gridDim.x)` visits every i in [0, n) exactly once."""
        self.loop_counter += 1
        it = sx.sym(f"it{self.loop_counter}", 0, None)
        state.env[var] = Idx(it, type_of(state.env[var]))
        guard = self.condition(cond, state)
        if guard.index is None or guard.index[0] not in (Op.LT, Op.LE) or guard.index[1] != it:
            raise self.fail("C2C104", "a grid-stride loop must be bounded by `i < extent`", cond)
        inner = ThreadState(dict(state.env), (*state.conds, guard))
        self.statement(body, inner)
        if inner.env[var] != state.env[var]:
            raise self.fail("C2C102", f"the loop variable {var} is modified in the loop body", body)
        state.env.update({k: v for k, v in inner.env.items() if k in state.env and k != var})

    def unroll(self, var: str, cond: TSNode, update: TSNode, body: TSNode, state: ThreadState, node: TSNode) -> None:
        for _ in range(MAX_UNROLL + 1):
            c = self.condition(cond, state)
            decided = _constant_truth(c)
            if decided is None:
                raise self.fail("C2C102", "a loop whose trip count is not a constant (and not a grid-stride loop)", node)
            if not decided:
                return
            self.statement(body, state)
            self.expr(update, state)
        raise self.fail("C2C102", f"a loop of more than {MAX_UNROLL} iterations", node)

    def s_return(self, node: TSNode, state: ThreadState) -> None:
        value = node.named_children[0] if node.named_children else None
        raise _Return(self.expr(value, state) if value is not None else None)

    def s_ignore(self, node: TSNode, state: ThreadState) -> None:
        return None

    STATEMENTS: ClassVar[dict[str, str]] = {}

    # ------------------------------------------------------------ expressions
    def expr(self, node: TSNode, state: ThreadState) -> Value:
        handler = self.EXPRESSIONS.get(node.type)
        if handler is None:
            raise self.fail("C2C103", f"unsupported expression {node.type.replace('_', ' ')}: {text(node)[:60]!r}", node)
        try:
            return getattr(self, handler)(node, state)
        except ValueKindError as exc:
            raise self.fail("C2C103", f"{exc}: {text(node)[:60]!r}", node) from None

    def condition(self, node: TSNode, state: ThreadState) -> Cond:
        if node.type == "condition_clause":
            node = node.child_by_field_name("value")
        v = self.expr(node, state)
        if isinstance(v, Cond):
            return v
        zero = Const(0, type_of(v)) if not isinstance(v, Idx) else Const(0, v.type)
        return Cond(Binary(Op.NE, as_node(v), zero))

    def e_number(self, node: TSNode, state: ThreadState) -> Value:
        literal = text(node).lower().replace("'", "")
        if literal.startswith("0x"):
            return Idx(sx.const(int(literal.rstrip("ul"), 16)))
        if any(c in literal for c in ".e") or literal.endswith("f"):
            is_float = literal.endswith("f")
            value = float(literal.rstrip("f"))
            return Val(Const(float(np.float32(value)) if is_float else value, FLOAT32 if is_float else FLOAT64))
        digits = literal.rstrip("ul")
        return Idx(sx.const(int(digits)), INT64 if "l" in literal else INT32)

    def e_identifier(self, node: TSNode, state: ThreadState) -> Value:
        name = text(node)
        if name in state.env:
            return state.env[name]
        if self.types.get(name, "").isdigit():  # a non-type template parameter: `template <int BLOCK>`
            return Idx(sx.const(int(self.types[name])))
        if name in ("INFINITY", "HUGE_VALF"):
            return Val(Const(float("inf"), FLOAT32))
        if name == "NAN":
            return Val(Const(float("nan"), FLOAT32))
        if name == "FLT_MAX":  # <cfloat>: the largest finite float
            return Val(Const(float(np.finfo(np.float32).max), FLOAT32))
        if name in ("true", "false"):
            return Cond(Const(name == "true", BOOL))
        if name == "warpSize":
            return Idx(sx.const(32))
        raise self.fail("C2C103", f"unknown identifier {name!r}", node)

    def e_field(self, node: TSNode, state: ThreadState) -> Value:
        arg, fld = node.child_by_field_name("argument"), text(node.child_by_field_name("field"))
        if arg.type == "identifier" and text(arg) in BUILTIN_DIMS and fld in "xyz":
            builtin = text(arg)
            return Idx(sx.sym(f"{builtin}.{fld}", BUILTIN_DIMS[builtin], None), dtype("uint32"))
        base = self.expr(arg, state)
        if isinstance(base, Vec) and fld in "xyzw"[:len(base.lanes)]:
            return base.lanes["xyzw".index(fld)]
        raise self.fail("C2C103", f"unsupported member access {text(node)!r}", node)

    def e_paren(self, node: TSNode, state: ThreadState) -> Value:
        return self.expr(node.named_children[0], state)

    def e_subscript(self, node: TSNode, state: ThreadState) -> Value:
        ptr, index = self.subscript(node, state)
        if isinstance(index, Val) and not index.node.dtype.is_float and ptr.lanes == 1:
            return self.gather(ptr, index.node)
        return self.load(ptr, sx.add(ptr.offset, self.index_of(index, node)), node, state)

    def gather(self, ptr: Ptr, index: Node) -> Val:
        """`x[row * C + label[row]]`: the affine part of a data-dependent index is the base, the rest the offset."""
        base, offset = ptr.offset, []
        for term in _sum_terms(index):
            inner = term.x if isinstance(term, Cast) and not term.x.dtype.is_float else term
            if isinstance(inner, IndexValue):
                base = sx.add(base, inner.index)
            else:
                offset.append(term)
        total = offset[0]
        for t in offset[1:]:
            total = Binary(Op.ADD, total, t)
        return Val(Gather(ptr.tensor, base, total, ptr.elem))

    def subscript(self, node: TSNode, state: ThreadState) -> tuple[Ptr, Value]:
        base = self.expr(node.child_by_field_name("argument"), state)
        indices = node.child_by_field_name("indices").named_children
        if not isinstance(base, Ptr) or len(indices) != 1:
            raise self.fail("C2C103", f"subscript of a non-pointer: {text(node)[:60]!r}", node)
        return base, self.expr(indices[0], state)

    def index_of(self, index: Value, node: TSNode) -> sx.Expr:
        if not isinstance(index, Idx):
            indices = node.child_by_field_name("indices").named_children
            raise self.fail("C2C106", f"data-dependent index {text(indices[0])!r} (a scatter, or a gather of a vector type)",
                            indices[0])
        return index.e

    def pointer_and_index(self, node: TSNode, state: ThreadState) -> tuple[Ptr, sx.Expr]:
        ptr, index = self.subscript(node, state)
        return ptr, sx.add(ptr.offset, self.index_of(index, node))

    def load(self, ptr: Ptr, index: sx.Expr, node: TSNode, state: ThreadState) -> Value:
        if ptr.lanes == 1:
            return self.load_element(ptr, index, node, state)
        return Vec(tuple(self.load_element(ptr, sx.add(sx.mul(index, ptr.lanes), k), node, state) for k in range(ptr.lanes)))

    def load_element(self, ptr: Ptr, index: sx.Expr, node: TSNode, state: ThreadState) -> Val:
        """A read of an element this thread wrote earlier sees that value (program order), not memory."""
        for st in reversed(self.stores):
            if st.tensor == ptr.tensor and st.index == index:
                if st.conds != state.conds:
                    raise self.fail("C2C105", f"{ptr.tensor}[{index}] is read after a write under a different condition", node)
                return st.value
        return Val(Load(ptr.tensor, index, ptr.elem))

    def e_call(self, node: TSNode, state: ThreadState) -> Value:
        fn = node.child_by_field_name("function")
        args = [a for a in node.child_by_field_name("arguments").named_children if a.type != "comment"]
        if fn.type == "template_function":
            name = text(fn.child_by_field_name("name"))
            targs = fn.child_by_field_name("arguments").named_children
            if name in ("static_cast", "reinterpret_cast", "const_cast") and len(targs) == 1 and len(args) == 1:
                return self.cast_to(targs[0], self.expr(args[0], state), node)
        elif fn.type == "parenthesized_expression":  # `(T)(x)` parses as a call of `(T)`: it is a C cast
            name = text(fn)[1:-1].strip()
        else:
            name = text(fn)
        base = self.types.get(name, name)
        if base in ELEMENT_TYPES and len(args) == 1:  # functional cast: float(x), T(0)
            return self.convert(self.expr(args[0], state), dtype(ELEMENT_TYPES[base]))
        if name in SYNC_CALLS:
            raise self.fail("C2C101", f"{name}: threads of a block cooperate (reductions are lifted separately)", node)
        if name in ATOMICS:
            return self.atomic(name, args, node, state)
        values = [self.expr(a, state) for a in args]
        if name in _IDENTITY_CALLS and len(values) == 1:
            if isinstance(values[0], Ptr):
                return self.load(values[0], values[0].offset, node, state)
            return values[0]
        if name in _CONVERSIONS and len(values) == 1:
            return self.convert(values[0], dtype(_CONVERSIONS[name]))
        if name in _UNARY_CALLS and len(values) == 1:
            return self.unary(_UNARY_CALLS[name], values[0], node, keep_int=name in ("abs", "max", "min"))
        if name in _BINARY_CALLS and len(values) == 2:
            return self.binary(_BINARY_CALLS[name], values[0], values[1], node, float_call=name.endswith("f"))
        if name in _HALF2_BINARY and len(values) == 2:
            return self.binary(_HALF2_BINARY[name], values[0], values[1], node)
        if name in _HALF2_LANES and len(values) == 1 and isinstance(values[0], Vec):
            lane, to = _HALF2_LANES[name]
            picked = values[0].lanes if lane is None else (values[0].lanes[lane],)
            converted = tuple(self.convert(v, dtype(to)) if to else v for v in picked)
            return converted[0] if lane is not None else Vec(converted)
        if name in _HALF2_BUILD:
            lanes = values * 2 if len(values) == 1 else values
            return Vec(tuple(self.convert(v, dtype(_HALF2_BUILD[name])) for v in lanes))
        if name in _COMPOSED and len(values) == 1:
            return _COMPOSED[name](self, values[0], node)
        if name in _HALF_COMPARE and len(values) == 2:
            return self.compare(_HALF_COMPARE[name], values[0], values[1])
        if name in ("fmaf", "__fmaf_rn", "fma", "__hfma") and len(values) == 3:
            return self.binary(Op.ADD, self.binary(Op.MUL, values[0], values[1], node), values[2], node)
        if name == "__saturatef" and len(values) == 1:
            x = values[0]
            return self.binary(Op.MIN, self.binary(Op.MAX, x, Val(Const(0.0, FLOAT32)), node), Val(Const(1.0, FLOAT32)), node)
        if name.startswith("make_") and name[5:] in VECTOR_TYPES:
            elem = dtype(VECTOR_TYPES[name[5:]][0])
            return Vec(tuple(Val(as_node(v, elem)) for v in values))
        if name in self.functions:
            return self.inline(self.functions[name], values, node, state)
        if name in ("__threadfence", "__threadfence_system"):
            raise self.fail("C2C101", f"{name} publishes this block's global writes to other blocks of the same launch: "
                            "blocks that communicate within one kernel (e.g. a last-block reduction) are not translated", node)
        raise self.fail("C2C108", f"call of unknown function {name!r}", node)

    def atomic(self, name: str, args: list[TSNode], node: TSNode, state: ThreadState) -> Value:
        """`atomicAdd(&out[i], v)` (also Max / Min): out[i] accumulates v over every thread that reaches the call.

        Commutative and associative up to rounding, so the result does not depend on thread order; the old value the
        call returns does, and using it is refused.
        """
        op = ATOMIC_OPS.get(name)
        if op is None:
            raise self.fail("C2C101", f"{name}: only atomicAdd / atomicMax / atomicMin accumulate independently of thread order",
                            node)
        parent = node.parent
        while parent.type == "parenthesized_expression":
            parent = parent.parent
        if parent.type != "expression_statement" or len(args) != 2:
            raise self.fail("C2C101", f"the old value {name} returns is used: it depends on the order the threads arrive", node)
        ptr = self.expr(args[0], state)
        if not isinstance(ptr, Ptr) or ptr.lanes != 1:
            raise self.fail("C2C103", f"{name} needs a pointer to an element, got {text(args[0])!r}", node)
        self.accumulate(ptr, op, self.expr(args[1], state), state, node)
        return Idx(sx.const(0))

    def accumulate(self, ptr: Ptr, op: Op, value: Value, state: ThreadState, node: TSNode) -> None:
        self.stores.append(RawStore(ptr.tensor, ptr.offset, Val(as_node(value, ptr.elem)), state.conds, self.line(node), op))

    def inline(self, fn: FunctionDef, values: list[Value], node: TSNode, state: ThreadState) -> Value:
        """Inline a device function; early `return v;` in branches fold into selects in program order."""
        if len(values) != len(fn.params):
            raise self.fail("C2C103", f"{fn.name} takes {len(fn.params)} arguments, {len(values)} given", node)
        inner = ThreadState({}, state.conds)
        for p, v in zip(fn.params, values, strict=True):
            scalar = isinstance(v, (Idx, Val, Cond)) and self.types.get(p.type.base, p.type.base) in ELEMENT_TYPES
            inner.env[p.name] = self.convert_decl(v, p.type, node) if scalar else v  # partials, pointers pass through
        outs = self.reference_arguments(fn, node, state)
        self.return_frames.append([])
        try:
            self.block(fn.body, inner)
            result: Value = Val(Const(0, INT32))
        except _Return as r:
            result = r.value if r.value is not None else Val(Const(0, INT32))
        finally:
            frame = self.return_frames.pop()
        if outs and (frame or len(inner.conds) > len(state.conds)):  # a `return;` leaves conditions on the rest
            raise self.fail("C2C103", f"{fn.name} writes through reference parameters and returns early", node)
        for param, caller_var in outs.items():  # `void merge(float& mean, ...)`: the caller's variable sees the writes
            state.env[caller_var] = inner.env[param]
        ret_base = self.types.get(fn.return_type, fn.return_type)
        want = dtype(ELEMENT_TYPES[ret_base]) if ret_base in ELEMENT_TYPES else None
        exits = [conds[-1] for conds, _ in frame]
        for k in range(len(frame) - 1, -1, -1):
            conds, value = frame[k]
            # an earlier return's negation is implied where this select is reached: leave it out
            own = [c for c in conds[len(state.conds):] if not any(c == negate(e) for e in exits[:k])]
            taken = own[0]
            for c in own[1:]:
                taken = conjunction(taken, c)
            t = want or common_type(type_of(value), type_of(result))
            result = Val(Select(taken.node, as_node(value, t), as_node(result, t)))
        return self.convert(result, want) if want is not None and isinstance(result, (Idx, Val, Cond)) else result

    def passes_by_reference(self, value: Value) -> bool:
        """Whether a value passed to a helper is shared with it (its changes reach the caller): in subclasses."""
        return False

    def reference_arguments(self, fn: FunctionDef, node: TSNode, state: ThreadState) -> dict[str, str]:
        """Parameter -> caller variable for the non-const reference parameters of a call (each must name a variable),
        and for the variables whose value passes by reference (a shared array)."""
        args = node.child_by_field_name("arguments").named_children
        outs = {}
        for p, arg in zip(fn.params, args, strict=False):
            if arg.type == "identifier" and self.passes_by_reference(state.env.get(text(arg))):
                outs[p.name] = text(arg)
            elif p.type.reference and not p.type.const and not p.type.pointer:
                if arg.type != "identifier" or text(arg) not in state.env:
                    raise self.fail("C2C103", f"the reference parameter {p.name} of {fn.name} is bound to {text(arg)!r}, not to "
                                    "a variable", node)
                outs[p.name] = text(arg)
        return outs

    def cast_to(self, type_node: TSNode, value: Value, node: TSNode) -> Value:
        ctype, _ = parse_type(type_node.child_by_field_name("type"), type_node.child_by_field_name("declarator"),
                              [text(c) for c in type_node.children if c.type == "type_qualifier"])
        base = self.types.get(ctype.base, ctype.base)
        if ctype.pointer:
            if not isinstance(value, Ptr):
                raise self.fail("C2C103", "pointer cast of a non-pointer", node)
            elem, lanes = VECTOR_TYPES.get(base, (ELEMENT_TYPES.get(base), 1))
            if elem is None or dtype(elem) != value.elem:
                raise self.fail("C2C109", f"reinterpreting {value.elem.name} data as {base}", node)
            if value.offset != sx.const(0) and lanes != value.lanes:
                raise self.fail("C2C103", "vector reinterpretation of an offset pointer", node)
            return replace(value, lanes=lanes)
        if base not in ELEMENT_TYPES:
            raise self.fail("C2C109", f"cast to unsupported type {base!r}", node)
        return self.convert(value, dtype(ELEMENT_TYPES[base]))

    def e_cast(self, node: TSNode, state: ThreadState) -> Value:
        return self.cast_to(node.child_by_field_name("type"), self.expr(node.child_by_field_name("value"), state), node)

    def e_unary(self, node: TSNode, state: ThreadState) -> Value:
        op, x = text(node.child_by_field_name("operator")), self.expr(node.child_by_field_name("argument"), state)
        if op == "-":
            if isinstance(x, Idx):
                return Idx(-x.e, x.type)
            return self.unary(Op.NEG, x, node, keep_int=True)
        if op == "+":
            return x
        if op == "!":
            return negate(x) if isinstance(x, Cond) else negate(self.as_cond(x))
        raise self.fail("C2C103", f"unsupported unary operator {op!r}", node)

    def as_cond(self, v: Value) -> Cond:
        if isinstance(v, Cond):
            return v
        return Cond(Binary(Op.NE, as_node(v), Const(0, type_of(v))))

    def unary(self, op: Op, x: Value, node: TSNode, keep_int: bool = False) -> Value:
        t = type_of(x)
        if not t.is_float and not keep_int:
            t = FLOAT64
        if op is Op.ABS and isinstance(x, Idx):
            return Val(Unary(Op.ABS, as_node(x)))
        return Val(Unary(op, as_node(x, t)))

    def e_binary(self, node: TSNode, state: ThreadState) -> Value:
        op = text(node.child_by_field_name("operator"))
        if op in ("&&", "||"):
            a = self.as_cond(self.expr(node.child_by_field_name("left"), state))
            b = self.as_cond(self.expr(node.child_by_field_name("right"), state))
            return conjunction(a, b) if op == "&&" else disjunction(a, b)
        a, b = self.expr(node.child_by_field_name("left"), state), self.expr(node.child_by_field_name("right"), state)
        if op in _CMPOPS:
            return self.compare(_CMPOPS[op], a, b)
        if op in _BINOPS:
            return self.binary(_BINOPS[op], a, b, node)
        if op == "&" and isinstance(a, Idx) and isinstance(b, Idx) and isinstance(b.e, sx.Const) and b.e.value >= 0 \
                and (b.e.value + 1) & b.e.value == 0:  # `i & (2^k - 1)` is `i % 2^k` for i >= 0
            return self.binary(Op.MOD, a, Idx(sx.const(b.e.value + 1), b.type), node)
        if op in ("<<", ">>") and isinstance(a, Idx) and isinstance(b, Idx) and isinstance(b.e, sx.Const):
            shift = 2 ** b.e.value
            return self.binary(Op.MUL if op == "<<" else Op.DIV, a, Idx(sx.const(shift), b.type), node)
        raise self.fail("C2C103", f"unsupported operator {op!r}", node)

    def compare(self, op: Op, a: Value, b: Value) -> Cond:
        if isinstance(a, Idx) and isinstance(b, Idx):
            return Cond(Binary(op, as_node(a, INT64), as_node(b, INT64)), (op, a.e, b.e))
        t = common_type(type_of(a), type_of(b))
        return Cond(Binary(op, as_node(a, t), as_node(b, t)))

    def binary(self, op: Op, a: Value, b: Value, node: TSNode, float_call: bool = False) -> Value:
        if isinstance(a, Ptr) and isinstance(b, Idx) and op in (Op.ADD, Op.SUB):
            return replace(a, offset=sx.add(a.offset, b.e if op is Op.ADD else -b.e))
        if isinstance(a, Idx) and isinstance(b, Ptr) and op is Op.ADD:
            return replace(b, offset=sx.add(b.offset, a.e))
        if isinstance(a, Vec) or isinstance(b, Vec):
            return self.vector_binary(op, a, b, node)
        if isinstance(a, Idx) and isinstance(b, Idx) and not float_call:
            return self.index_binary(op, a, b, node)
        t = common_type(type_of(a), type_of(b))
        if float_call and not t.is_float:
            t = FLOAT32
        return Val(Binary(op, as_node(a, t), as_node(b, t)))

    def index_binary(self, op: Op, a: Idx, b: Idx, node: TSNode) -> Value:
        t = common_type(a.type, b.type)
        if op in (Op.ADD, Op.SUB, Op.MUL):
            e = {Op.ADD: sx.add, Op.SUB: sx.sub, Op.MUL: sx.mul}[op](a.e, b.e)
            return Idx(self.fuse(e), t)
        if op in (Op.DIV, Op.MOD) and isinstance(b.e, sx.Const) and b.e.value > 0:
            if not sx.proves_nonnegative(a.e):
                raise self.fail("C2C107", f"integer {'division' if op is Op.DIV else 'remainder'} of {a.e}, which may be "
                                "negative (C truncates, floor division differs)", node)
            return Idx((sx.floordiv if op is Op.DIV else sx.mod)(a.e, b.e.value), t)
        if op in (Op.DIV, Op.MOD):
            raise self.fail("C2C107", f"integer {'division' if op is Op.DIV else 'remainder'} of {a.e} by {b.e}: the index "
                            "algebra divides by positive constants only", node)
        if op in (Op.MAX, Op.MIN):
            return Idx((sx.smax if op is Op.MAX else sx.smin)(a.e, b.e), t)
        return Val(Binary(op, as_node(a, t), as_node(b, t)))

    def fuse(self, e: sx.Expr) -> sx.Expr:
        """Replace `blockIdx.d*blockDim.d + threadIdx.d` by the global id `gid.d` (and the total thread count)."""
        terms, const = sx.linear_parts(e)
        for d in "xyz":
            bx, bd = sx.sym(f"blockIdx.{d}", 0, None), sx.sym(f"blockDim.{d}", 1, None)
            tx, gd = sx.sym(f"threadIdx.{d}", 0, None), sx.sym(f"gridDim.{d}", 1, None)
            k_t = terms.get(tx, 0)
            prod = next(iter(sx.linear_parts(bx * bd)[0]))
            if k_t and terms.get(prod) == k_t:
                del terms[prod], terms[tx]
                terms[sx.sym(f"gid.{d}", 0, None)] = terms.get(sx.sym(f"gid.{d}", 0, None), 0) + k_t
            elif k_t and bx in terms and terms[bx] % k_t == 0 and terms[bx] // k_t > 0:
                size = terms[bx] // k_t  # `blockIdx.x * 256 + threadIdx.x`: the kernel assumes blockDim.x == 256
                self.block_requirements[d] = size
                del terms[bx], terms[tx]
                gid = sx.sym(f"gid.{d}", 0, None)
                terms[gid] = terms.get(gid, 0) + k_t
            total = next(iter(sx.linear_parts(bd * gd)[0]))
            if total in terms:
                terms[sx.sym(f"nthreads.{d}", 1, None)] = terms.pop(total)
        return sum((a * k for a, k in terms.items()), sx.const(const))

    def vector_binary(self, op: Op, a: Value, b: Value, node: TSNode) -> Value:
        lanes = len(a.lanes) if isinstance(a, Vec) else len(b.lanes)
        la = a.lanes if isinstance(a, Vec) else (a,) * lanes
        lb = b.lanes if isinstance(b, Vec) else (b,) * lanes
        return Vec(tuple(self.binary(op, x, y, node) for x, y in zip(la, lb, strict=True)))

    def e_conditional(self, node: TSNode, state: ThreadState) -> Value:
        c = self.condition(node.child_by_field_name("condition"), state)
        a = self.expr(node.child_by_field_name("consequence"), state)
        b = self.expr(node.child_by_field_name("alternative"), state)
        t = common_type(type_of(a), type_of(b))
        return Val(Select(c.node, as_node(a, t), as_node(b, t)))

    def e_assignment(self, node: TSNode, state: ThreadState) -> Value:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        op = node.child_by_field_name("operator").type
        value = self.expr(right, state)
        if op != "=":
            current = self.expr(left, state)
            value = self.binary(_BINOPS[op[:-1]], current, value, node) if op[:-1] in _BINOPS else None
            if value is None:
                raise self.fail("C2C103", f"unsupported compound assignment {op}", node)
        self.assign(left, value, state, node)
        return value

    def assign(self, left: TSNode, value: Value, state: ThreadState, node: TSNode) -> None:
        if left.type == "identifier":
            name = text(left)
            old = state.env.get(name)
            if isinstance(old, (Idx, Val, Cond)) and isinstance(value, (Idx, Val, Cond)):
                value = self.convert(value, type_of(old))
            state.env[name] = value
        elif left.type == "subscript_expression":
            ptr, index = self.pointer_and_index(left, state)
            self.store(ptr, index, value, state, node)
        elif left.type == "field_expression" and left.child_by_field_name("argument").type == "identifier":
            var, fld = text(left.child_by_field_name("argument")), text(left.child_by_field_name("field"))
            vec = state.env.get(var)
            if not isinstance(vec, Vec) or fld not in "xyzw":
                raise self.fail("C2C103", f"unsupported assignment to {text(left)!r}", node)
            lanes = list(vec.lanes)
            lanes["xyzw".index(fld)] = Val(as_node(value, type_of(vec.lanes[0])))
            state.env[var] = Vec(tuple(lanes))
        elif left.type == "pointer_expression" and text(left).startswith("*"):
            ptr = self.expr(left.child_by_field_name("argument"), state)
            if not isinstance(ptr, Ptr):
                raise self.fail("C2C103", f"store through a non-pointer {text(left)!r}", node)
            self.store(ptr, ptr.offset, value, state, node)
        else:
            raise self.fail("C2C103", f"unsupported assignment target {text(left)!r}", node)

    def store(self, ptr: Ptr, index: sx.Expr, value: Value, state: ThreadState, node: TSNode) -> None:
        if ptr.lanes == 1:
            self.stores.append(RawStore(ptr.tensor, index, Val(as_node(value, ptr.elem)), state.conds, self.line(node)))
            return
        lanes = value.lanes if isinstance(value, Vec) else None
        if lanes is None or len(lanes) != ptr.lanes:
            raise self.fail("C2C103", "vector store of a non-vector value", node)
        for k, lane in enumerate(lanes):
            self.stores.append(RawStore(ptr.tensor, sx.add(sx.mul(index, ptr.lanes), k), Val(as_node(lane, ptr.elem)),
                                        state.conds, self.line(node)))

    def e_update(self, node: TSNode, state: ThreadState) -> Value:
        target = node.child_by_field_name("argument")
        op = text(node.child_by_field_name("operator"))
        current = self.expr(target, state)
        new = self.binary(Op.ADD if op == "++" else Op.SUB, current, Idx(sx.const(1)), node)
        self.assign(target, new, state, node)
        return new

    def e_pointer(self, node: TSNode, state: ThreadState) -> Value:
        op, target = text(node.child_by_field_name("operator")), node.child_by_field_name("argument")
        if op == "&" and target.type == "subscript_expression":  # &x[i] is the pointer x + i
            ptr, index = self.pointer_and_index(target, state)
            return replace(ptr, offset=index)
        arg = self.expr(target, state)
        if op == "*" and isinstance(arg, Ptr):
            return self.load(arg, arg.offset, node, state)
        raise self.fail("C2C103", f"unsupported pointer expression {text(node)!r}", node)

    def e_bool(self, node: TSNode, state: ThreadState) -> Value:
        return Cond(Const(node.type == "true", BOOL))

    def e_comma(self, node: TSNode, state: ThreadState) -> Value:
        self.expr(node.child_by_field_name("left"), state)
        return self.expr(node.child_by_field_name("right"), state)

    EXPRESSIONS: ClassVar[dict[str, str]] = {}


def rebind_reduces(node: Node, axis: str, fresh: str) -> Node:
    """`node` with its reductions over `axis` moved to the axis `fresh` (to nest them in another reduction over axis)."""
    if isinstance(node, Reduce) and node.axis == axis:
        return rebind_axis(node, fresh)
    return map_children(node, lambda child: rebind_reduces(child, axis, fresh))


def _uses_symbols(node: Node, names: set[str]) -> bool:
    """Whether an index inside `node` (a load, gather or index value) uses one of the symbols `names`."""
    for n in walk(node):
        index = getattr(n, "index", None) if isinstance(n, (Load, IndexValue)) else getattr(n, "base", None)
        if isinstance(index, sx.Expr) and {s.name for s in sx.free_symbols(index)} & names:
            return True
    return False


def counter_step(before: Value, after: Value | None) -> int | None:
    """The constant an integer variable is stepped by in one iteration (`n++`, `n += 2`), else None."""
    if isinstance(before, Idx) and isinstance(after, Idx):
        step = sx.sub(after.e, before.e)
        if isinstance(step, sx.Const) and step.value > 0:
            return step.value
    return None


def _sum_terms(node: Node) -> list[Node]:
    if isinstance(node, Binary) and node.op is Op.ADD:
        return _sum_terms(node.a) + _sum_terms(node.b)
    return [node]


def _is_unit_step(update: TSNode, var: str) -> bool:
    """`++i`, `i++`, `i += 1` or `i = i + 1`."""
    return text(update).replace(" ", "") in (f"++{var}", f"{var}++", f"{var}+=1", f"{var}={var}+1")


def _is_bare_return(node: TSNode) -> bool:
    if node.type == "return_statement":
        return not node.named_children
    return node.type == "compound_statement" and len(node.named_children) == 1 and _is_bare_return(node.named_children[0])


def _constant_truth(c: Cond) -> bool | None:
    if c.index is not None:
        op, a, b = c.index
        diff = sx.sub(a, b)
        if isinstance(diff, sx.Const):
            return {Op.LT: diff.value < 0, Op.LE: diff.value <= 0, Op.GT: diff.value > 0, Op.GE: diff.value >= 0,
                    Op.EQ: diff.value == 0, Op.NE: diff.value != 0}[op]
    if isinstance(c.node, Const):
        return bool(c.node.value)
    return None


def _is_global_id(e: sx.Expr) -> bool:
    return isinstance(e, sx.Sym) and e.name.startswith("gid.")


def _is_total_threads(step: sx.Expr, start: sx.Expr) -> bool:
    return isinstance(step, sx.Sym) and step.name == "nthreads." + start.name[-1]


Lifter.STATEMENTS = {  # node type -> method name (looked up on the instance, so subclasses can override)
    "compound_statement": "s_compound", "expression_statement": "s_expression", "declaration": "s_declaration",
    "if_statement": "s_if", "for_statement": "s_for", "return_statement": "s_return",
    "comment": "s_ignore", "preproc_call": "s_ignore", "pragma": "s_ignore",
}
Lifter.EXPRESSIONS = {
    "number_literal": "e_number", "identifier": "e_identifier", "field_expression": "e_field",
    "parenthesized_expression": "e_paren", "subscript_expression": "e_subscript", "call_expression": "e_call",
    "cast_expression": "e_cast", "unary_expression": "e_unary", "binary_expression": "e_binary",
    "conditional_expression": "e_conditional", "assignment_expression": "e_assignment",
    "update_expression": "e_update", "pointer_expression": "e_pointer", "comma_expression": "e_comma",
    "true": "e_bool", "false": "e_bool",
}
