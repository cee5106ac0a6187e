"""Lowering plan for full reductions: `out[c] = g(out[c], reduce_{k < n} f(x[k], ...))` (atomicAdd-style totals).

Two launches of the same operator, in stream order:
1. `NAME` on every core: the core's 256-element-aligned share of [0, n) streams through UB in chunks; f is
   computed by the pointwise instruction selector and combined element-wise into an fp32 accumulator tile
   (Add / Max), collapsed once by ReduceSum / ReduceMax, and the core's partial written to its own 32-byte
   slot of a GM workspace;
2. `NAME_combine` on one core: the scalar unit combines the partials in core order (deterministic) and
   applies g with the output's old value, which is then written back.
min is max of the negation (exact); a product folds chunks with Mul and collapses by halving Muls, then the scalar
unit. int32 sums, maxima and minima fold on int32 tiles (exact); integer products are refused.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from cuda2cann.backends.ascendc.isel import Instr, LowerError, Selector, Tile, c_type
from cuda2cann.backends.ascendc.pointwise import ALIGN_ELEMS, BUFFER_NUM, TensorArg, _allocate, _class_name, _index_c
from cuda2cann.backends.ascendc.row_reduce import (
    IDENTITY_C,
    INT_FOLD_API,
    INT_IDENTITY_C,
    MAX_CHUNK_ELEMS,
    REDUCE_API,
    RowTiling,
    finish_expr,
    int_reduced_tile,
    reduced_tile,
    temporaries,
)
from cuda2cann.frontend.cuda.domain import LiftedKernel
from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.dtypes import dtype
from cuda2cann.ir.nodes import Load, Operator, Reduce, ScalarParam, TensorParam, loads, walk
from cuda2cann.ir.ops import Op
from cuda2cann.validate.soc import SocProfile, profiles

F32, INT32 = dtype("float32"), dtype("int32")
SLOT_ELEMS = 8  # one 32-byte workspace slot per core (fp32)
#: workspace slots: enough for the largest vector-core count of any SoC profile (Ascend 950: 72), so a spec generated
#: for one SoC also runs on another
MAX_CORES = max(p.vector_cores for p in profiles().values())
WORKSPACE = "c2cWorkspace"


@dataclass
class FullReducePlan(RowTiling):
    op: Operator
    name: str
    class_name: str
    total: sx.Expr
    tensors: list[TensorArg]
    inputs: list[Tile]
    scalars: list[ScalarParam]
    instrs: list[Instr]
    temps: list[Tile]
    body: Tile
    reduce_api: str
    negate: bool
    identity: str
    output: str
    out_index: str
    out_ctype: str
    finish: str
    chunk_elems: int
    soc: SocProfile
    ub_bytes: int
    notes: list[str] = field(default_factory=list)
    integer: bool = False
    acc_ctype: str = "float"
    layout: str = "full_reduce"
    workspace: str = WORKSPACE
    slot_elems: int = SLOT_ELEMS
    max_cores: int = MAX_CORES

    @property
    def work_elems(self) -> int:
        return self.work_for(self.chunk_elems)

    @property
    def tiling_fields(self) -> list[tuple[str, str]]:
        return [("uint32_t", "c2cTotal"), ("uint32_t", "c2cCores"), *((c_type(s.dtype), s.name) for s in self.scalars)]


def plan_full_reduce(lifted: LiftedKernel, soc: SocProfile) -> FullReducePlan:
    op = lifted.operator
    if op.axes or len(op.stores) != 1:
        raise LowerError("C2C213", "full reductions are lowered for one output element")
    (store,) = op.stores
    found = [n for n in walk(store.value) if isinstance(n, Reduce)]
    if len(found) != 1 or isinstance(found[0].body, Reduce):
        raise LowerError("C2C213", "a full reduction over more than one axis (flatten the input to one dimension)")
    red = found[0]
    if red.op not in (Op.ADD, Op.MAX, Op.MIN, Op.MUL):
        raise LowerError("C2C213", f"no full-reduction lowering for a {red.op.value} reduction")
    integer = not red.dtype.is_float
    if integer and red.op is Op.MUL:
        raise LowerError("C2C213", "an integer product over a whole tensor (floating-point products are lowered)")
    if integer and red.dtype.name != "int32":
        raise LowerError("C2C213", f"a {red.dtype.name} full reduction (int32 and floating point are lowered)")
    k = sx.sym(red.axis, 0, None)
    for ld in loads(red.body):
        if ld.index != k:
            raise LowerError("C2C202", f"load {ld.tensor}[{ld.index}] in a full reduction is not the reduced element")
    tensors = [p for p in op.params if isinstance(p, TensorParam)]
    scalars = [p for p in op.params if isinstance(p, ScalarParam)]
    inputs = {t: Tile(f"{t}In", op.param(t).dtype) for t in sorted({ld.tensor for ld in loads(red.body)})}
    names = {s.name: f"tiling_.{s.name}" for s in scalars}
    selector = Selector(dict(inputs), names, _index_c(op, scalars))
    body = int_reduced_tile(selector, red) if integer else reduced_tile(selector, red)
    negate = red.op is Op.MIN and not integer
    fixed = {t.name for t in inputs.values()}
    instrs = _allocate(selector.instrs, fixed | {body.name})
    temps = temporaries(instrs, fixed)
    per_elem = BUFFER_NUM * sum(t.dtype.itemsize for t in inputs.values())
    per_elem += sum(t.dtype.itemsize for t in temps if t.name != body.name) + 4 + 4 + 1  # body, accumulator, slack
    chunk = min(MAX_CHUNK_ELEMS, ((soc.ub_usable - 8 * 1024) // per_elem) // ALIGN_ELEMS * ALIGN_ELEMS)
    if chunk < ALIGN_ELEMS:
        raise LowerError("C2C211", "the full reduction's buffers do not fit the UB")
    out = op.param(store.tensor)
    if sx.free_symbols(store.index) - {sx.sym(s.name) for s in scalars}:
        raise LowerError("C2C213", f"the reduction's target {store.tensor}[{store.index}] is not one element")
    old = Load(store.tensor, store.index, out.dtype)
    finish = finish_expr(store.value, red, "reduced", names, {old: "old"})
    acc_ctype = "int32_t" if integer else "float"
    plan = FullReducePlan(op, op.name, _class_name(op.name), sx.smax(red.extent, 0),
                          [*(TensorArg(p.name, p.dtype.ascendc, p.role) for p in tensors), TensorArg(WORKSPACE, acc_ctype, "workspace")],
                          list(inputs.values()), scalars, instrs, temps, body,
                          INT_FOLD_API[red.op] if integer else REDUCE_API[red.op], negate,
                          INT_IDENTITY_C[red.op] if integer else IDENTITY_C[red.op],
                          store.tensor,
                          sx.to_c(sx.substitute(store.index, {s.name: sx.sym(f"tiling_.{s.name}") for s in scalars})),
                          out.dtype.ascendc, finish, chunk, soc, chunk * per_elem + 8 * 1024, sorted(selector.notes),
                          integer=integer, acc_ctype=acc_ctype)
    plan.notes.append("the cores' partials are combined in core order by a second launch (deterministic, not atomic)")
    if integer:
        plan.notes.append("int32 accumulation is exact (sums wrap modulo 2^32, as CUDA's atomicAdd does): halving vector "
                          "steps, then the scalar unit")
    if negate:
        plan.notes.append("min computed as -max(-x)")
    return plan
