"""Lifting kernels whose threads cooperate on a row: block-strided accumulation, then a block collective.

Recognised as wholes, with no per-kernel cases (issue #4): a per-thread accumulation over a loop
`for (c = threadIdx.x; c < n; c += blockDim.x | warpSize)` becomes a partial reduction over an axis k;
a shared-memory tree (`for (s = B/2; s > 0; s >>= 1) if (tid < s) sh[tid] op= sh[tid + s]`) or a
warp-shuffle loop (`v op= __shfl_down_sync / __shfl_xor_sync(mask, v, o)` for o = 16 .. 1) combines the
partials of all cooperating threads into `reduce(op, k < n) f`. The row index is `blockIdx.x` or
`blockIdx.x * blockDim.y + threadIdx.y` (a warp per row). A store of the reduced value by thread 0 (or by
every lane after a butterfly) becomes `out[row] = g(reduce(...))`. Anything else stays unported.
"""
from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node as TSNode

from cuda2cann.frontend.cuda.domain import _rename as rename_axes
from cuda2cann.frontend.cuda.lift import Lifter, LiftError, ThreadState, _is_bare_return
from cuda2cann.frontend.cuda.parser import text
from cuda2cann.frontend.cuda.values import Cond, Idx, Val, Value, as_node
from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.dtypes import dtype
from cuda2cann.ir.nodes import Binary, Param, Reduce, walk
from cuda2cann.ir.ops import Op

F32 = dtype("float32")
TID = sx.sym("threadIdx.x", 0, None)
WARP = 32
SHUFFLES = {"__shfl_down_sync": "down", "__shfl_xor_sync": "xor"}


@dataclass(frozen=True)
class Partial:
    """A thread's share of a reduction: op over k in [0, extent) of body, strided across the lanes."""

    op: Op
    axis: str
    extent: sx.Expr
    body: object  # ir Node
    init: object  # ir Node
    lanes: str  # "block" (blockDim.x threads) or "warp" (32 lanes)


@dataclass(frozen=True)
class Shared:
    """A __shared__ array: empty, holding each lane's partial, or reduced (element 0 holds the result)."""

    name: str
    partial: Partial | None = None
    reduced: Value | None = None


_IDENTITY = {Op.ADD: 0.0, Op.MAX: float("-inf"), Op.MIN: float("inf")}


class CooperativeLifter(Lifter):
    """The Lifter with shared memory, barriers and shuffles understood as parts of a row reduction."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.axis_counter = 0
        self.uses_dynamic_shared = False
        #: reduced values complete in lane 0 only (after __shfl_down_sync): storing them needs `threadIdx.x == 0`
        self.lane0_only: set = set()
        #: during a tree step: (shared array, index) -> marker value of that lane's slot
        self.tree_reads: dict = {}
        #: row-element axis per extent: loops over the same row share it
        self.row_axes: dict = {}
        #: set once a row guard `if (row < rows) {...}` has closed: later stores would escape the guard
        self.after_row_guard = False

    # ------------------------------------------------------------ thread ids
    def fuse(self, e: sx.Expr) -> sx.Expr:
        """`blockIdx.x * blockDim.y + threadIdx.y` is the row of a warp-per-row kernel; `blockIdx.x` alone a block row."""
        terms, const = sx.linear_parts(e)
        block, by_dim, ty = sx.sym("gid.b", 0, None), sx.sym("blockDim.y", 1, None), sx.sym("threadIdx.y", 0, None)
        prod = next(iter(sx.linear_parts(block * by_dim)[0]))
        if terms.get(prod) and terms.get(prod) == terms.get(ty):
            k = terms.pop(prod)
            del terms[ty]
            terms[sx.sym("gid.r", 0, None)] = k
            return sum((a * c for a, c in terms.items()), sx.const(const))
        return super().fuse(e)

    def e_field(self, node: TSNode, state: ThreadState) -> Value:
        v = super().e_field(node, state)
        if isinstance(v, Idx) and v.e == sx.sym("blockIdx.x", 0, None):
            return Idx(sx.sym("gid.b", 0, None), v.type)
        return v

    # ------------------------------------------------------------ shared memory
    def s_declaration(self, node: TSNode, state: ThreadState) -> None:
        quals = [text(c) for c in node.children if c.type == "type_qualifier"]
        if "__shared__" not in quals:
            return super().s_declaration(node, state)
        for decl in node.children_by_field_name("declarator"):
            inner = decl
            while inner.type == "array_declarator":
                inner = inner.child_by_field_name("declarator")
            state.env[text(inner)] = Shared(text(inner))
            self.uses_dynamic_shared |= any(text(c) == "extern" for c in node.children)
        return None

    def e_subscript(self, node: TSNode, state: ThreadState) -> Value:
        base = node.child_by_field_name("argument")
        shared = state.env.get(text(base)) if base.type == "identifier" else None
        if not isinstance(shared, Shared):
            return super().e_subscript(node, state)
        index = self.expr(node.child_by_field_name("indices").named_children[0], state)
        if self.tree_reads and isinstance(index, Idx) and (shared.name, index.e) in self.tree_reads:
            return self.tree_reads[(shared.name, index.e)]
        if shared.reduced is not None and isinstance(index, Idx) and index.e == sx.const(0):
            return shared.reduced
        raise self.fail("C2C101", f"read of shared memory {text(node)!r} outside a recognised reduction", node)

    def assign(self, left: TSNode, value: Value, state: ThreadState, node: TSNode) -> None:
        if left.type == "subscript_expression":
            base = left.child_by_field_name("argument")
            shared = state.env.get(text(base)) if base.type == "identifier" else None
            if isinstance(shared, Shared):
                index = self.expr(left.child_by_field_name("indices").named_children[0], state)
                if isinstance(value, Partial) and isinstance(index, Idx) and index.e == TID:
                    state.env[shared.name] = Shared(shared.name, partial=value)
                    return
                raise self.fail("C2C101", f"store {text(left)!r} to shared memory is not a lane's partial", node)
        if isinstance(value, Partial) and left.type == "identifier":
            state.env[text(left)] = value
            return
        super().assign(left, value, state, node)

    def e_call(self, node: TSNode, state: ThreadState) -> Value:
        fn = node.child_by_field_name("function")
        if fn.type == "identifier" and text(fn) in ("__syncthreads", "__syncwarp"):
            return Idx(sx.const(0))  # ordering only: the collectives around it are recognised as wholes
        return super().e_call(node, state)

    # ------------------------------------------------------------ row guards
    def s_if(self, node: TSNode, state: ThreadState) -> None:
        """`if (row < rows) { ...the whole row's work... }`: a guard of the row, like an early return."""
        cond_node, other = node.child_by_field_name("condition"), node.child_by_field_name("alternative")
        if other is None and not _is_bare_return(node.child_by_field_name("consequence")):
            cond = self.condition(cond_node, state)
            lanes = {s.name for s in sx.free_symbols(cond.index[1]) | sx.free_symbols(cond.index[2])} if cond.index else {"?"}
            if cond.index and not any(n.startswith(("threadIdx.", "it", "k")) for n in lanes):
                state.conds = (*state.conds, cond)
                self.statement(node.child_by_field_name("consequence"), state)
                state.conds = state.conds[:-1]
                self.after_row_guard = True
                return None
        return super().s_if(node, state)

    def store(self, ptr, index, value, state, node) -> None:
        if self.after_row_guard:
            raise self.fail("C2C102", "a store after a row guard `if (row < rows) { ... }` (write the guard as an early return)",
                            node)
        super().store(ptr, index, value, state, node)

    # ------------------------------------------------------------ loops
    def s_for(self, node: TSNode, state: ThreadState) -> None:
        init, cond, update = (node.child_by_field_name(f) for f in ("initializer", "condition", "update"))
        if init is None or cond is None or update is None or init.type != "declaration":
            return super().s_for(node, state)
        var = text(init.child_by_field_name("declarator").child_by_field_name("declarator"))
        sub = ThreadState(dict(state.env), state.conds)
        self.s_declaration(init, sub)
        start = sub.env[var]
        update_text = text(update).replace(" ", "")
        if isinstance(start, Idx) and start.e == TID:
            step = self.loop_step(update, var, sub)
            lanes = "block" if step == sx.sym("blockDim.x", 1, None) else "warp" if step == sx.const(WARP) else None
            if lanes is None and isinstance(step, sx.Const) and step.value > WARP and step.value & (step.value - 1) == 0:
                lanes = "block"  # `c += BLOCK`: the kernel assumes blockDim.x == BLOCK (a power of two)
                self.block_requirements["x"] = step.value
            if lanes is None:
                raise self.fail("C2C101", "a loop from threadIdx.x must step by blockDim.x, warpSize or a power-of-two block size",
                                update)
            return self.strided(var, cond, node.child_by_field_name("body"), sub, state, lanes)
        if update_text in (f"{var}>>=1", f"{var}/=2", f"{var}={var}>>1", f"{var}={var}/2") and text(cond).replace(" ", "") == f"{var}>0":
            return self.halving(var, start, node.child_by_field_name("body"), sub, state, node)
        return super().s_for(node, state)

    def strided(self, var: str, cond: TSNode, body: TSNode, sub: ThreadState, state: ThreadState, lanes: str) -> None:
        """`for (c = tid; c < n; c += lanes) { acc = acc op f(c); y[row * n + c] = g(c); }`.

        Accumulators become partials over a fresh reduction axis; stores write the row's elements along the
        row-element axis of extent n (one symbol per extent, so later loops over the row see earlier stores).
        """
        probe = ThreadState(dict(sub.env), sub.conds)
        probe.env[var] = Idx(sx.sym("__c", 0, None))
        guard = self.condition(cond, probe)
        if guard.index is None or guard.index[0] is not Op.LT or guard.index[1] != sx.sym("__c", 0, None):
            raise self.fail("C2C101", "a block-strided loop must be bounded by `c < extent`", cond)
        extent = guard.index[2]
        axis = self.row_axes.setdefault(extent, sx.sym(f"itc{len(self.row_axes) + 1}", 0, None))
        sub.env[var] = Idx(axis)
        guard = self.condition(cond, sub)
        mark = len(self.stores)
        real = ThreadState(dict(sub.env), (*sub.conds, guard))
        self.statement(body, real)
        real_stores = self.stores[mark:]
        del self.stores[mark:]
        changed = [n for n, v in sub.env.items() if isinstance(v, Val) and n != var and real.env.get(n) != v]
        markers = {n: Val(Param(f"__acc_{n}", sub.env[n].node.dtype)) for n in changed}
        probe = ThreadState({**sub.env, **markers}, (*sub.conds, guard))
        self.statement(body, probe)
        probe_stores = self.stores[mark:]
        del self.stores[mark:]
        marker_nodes = {m.node for m in markers.values()}
        if any(any(n in marker_nodes for n in walk(st.value.node)) for st in probe_stores):
            raise self.fail("C2C101", "a store of a running accumulation depends on the order the lanes visit the row", body)
        self.stores.extend(real_stores)
        for name in changed:
            op, f = _accumulation(probe.env.get(name), markers[name])
            if op is None or any(n in marker_nodes for n in walk(f)):
                raise self.fail("C2C101", f"{name} is updated in the strided loop in a way that is not an associative accumulation",
                                body)
            self.axis_counter += 1
            k = sx.sym(f"k{self.axis_counter}", 0, None)
            state.env[name] = Partial(op, k.name, extent, rename_axes(f, {axis: k}, 0), as_node(sub.env[name], f.dtype), lanes)
        state.env.update({n: v for n, v in real.env.items() if n in state.env and n not in changed and n != var})

    def halving(self, var: str, start: Value, body: TSNode, sub: ThreadState, state: ThreadState, node: TSNode) -> None:
        """A loop whose variable halves down to 1: a shared-memory tree or a shuffle butterfly."""
        first = start.e if isinstance(start, Idx) else None
        block_half = sx.floordiv(sx.sym("blockDim.x", 1, None), 2)
        if "x" in self.block_requirements and self.block_requirements["x"] > WARP and first == sx.const(self.block_requirements["x"] // 2):
            first = block_half  # `s = BLOCK / 2` with blockDim.x == BLOCK
        if first not in (block_half, sx.const(WARP // 2)):
            raise self.fail("C2C101", f"a halving loop starting at {first} (expected blockDim.x / 2 or warpSize / 2)", node)
        stmt = body.named_children[0] if body.type == "compound_statement" else body
        if stmt.type == "if_statement":
            return self.shared_tree(var, stmt, sub, state, first == block_half)
        return self.shuffle(var, stmt, sub, state, node)

    def shared_tree(self, var: str, stmt: TSNode, sub: ThreadState, state: ThreadState, whole_block: bool) -> None:
        s = sx.sym("__s", 1, None)
        sub.env[var] = Idx(s)
        cond = self.condition(stmt.child_by_field_name("condition"), sub)
        if cond.index != (Op.LT, TID, s):
            raise self.fail("C2C101", "a shared-memory tree step must be guarded by `threadIdx.x < s`", stmt)
        update = stmt.child_by_field_name("consequence")
        update = update.named_children[0] if update.type == "compound_statement" else update
        update = update.named_children[0] if update.type == "expression_statement" else update
        op, target = self.tree_update(update, s, sub)
        shared = state.env.get(target)
        if op is None or not isinstance(shared, Shared) or shared.partial is None:
            raise self.fail("C2C101", "the tree step is not `sh[tid] op= sh[tid + s]` over the lanes' partials", update)
        if shared.partial.op is not op or (shared.partial.lanes == "block") != whole_block:
            raise self.fail("C2C101", "the tree combines with another op or over other lanes than the partials", update)
        state.env[target] = Shared(target, reduced=self.finish(shared.partial, update))

    def tree_update(self, update: TSNode, s: sx.Expr, sub: ThreadState) -> tuple[Op | None, str]:
        """Evaluate one tree step with markers for sh[tid] and sh[tid + s]: (op, sh) when it combines exactly those two."""
        if update.type != "assignment_expression" or update.child_by_field_name("left").type != "subscript_expression":
            return None, ""
        left = update.child_by_field_name("left")
        name = text(left.child_by_field_name("argument"))
        if not isinstance(sub.env.get(name), Shared):
            return None, ""
        own, partner = Val(Param("__own", F32)), Val(Param("__partner", F32))
        self.tree_reads = {(name, TID): own, (name, sx.add(TID, s)): partner}
        try:
            index = self.expr(left.child_by_field_name("indices").named_children[0], sub)
            right = self.expr(update.child_by_field_name("right"), sub)
            op_text = update.child_by_field_name("operator").type
            value = right if op_text == "=" else self.binary({"+=": Op.ADD}.get(op_text, Op.SUB), own, right, update)
        finally:
            self.tree_reads = {}
        if not (isinstance(index, Idx) and index.e == TID and isinstance(value, Val)):
            return None, ""
        combined = as_minmax(value.node)
        if not isinstance(combined, Binary):
            return None, ""
        if combined.op in (Op.ADD, Op.MAX, Op.MIN) and {combined.a, combined.b} == {own.node, partner.node}:
            return combined.op, name
        return None, ""

    def shuffle(self, var: str, stmt: TSNode, sub: ThreadState, state: ThreadState, node: TSNode) -> None:
        stmt = stmt.named_children[0] if stmt.type == "expression_statement" else stmt
        found = _shuffle_update(stmt, var)
        if found is None:
            raise self.fail("C2C101", "the halving loop is not `v op= __shfl_{down,xor}_sync(mask, v, offset)`", stmt)
        op, name, kind = found
        partial = state.env.get(name)
        if not isinstance(partial, Partial) or partial.op is not op:
            raise self.fail("C2C101", f"{name} is shuffled but is not a partial of the same reduction", stmt)
        self.block_requirements["x"] = WARP  # one warp holds the whole row: the lanes are blockDim.x == 32
        state.env[name] = self.finish(partial, stmt)
        if kind == "down":  # a butterfly (xor) leaves the result in every lane, a shift-down in lane 0 only
            self.lane0_only.add(state.env[name].node)

    def check_lane_results(self) -> None:
        """A store of a lane-0-only result by every lane would write partial values: refuse it."""
        for st in self.stores:
            in_lane0 = any(c.index == (Op.EQ, TID, sx.const(0)) for c in st.conds)
            if not in_lane0 and any(n in self.lane0_only for n in walk(st.value.node)):
                raise LiftError("C2C101", "a __shfl_down_sync result is complete in lane 0 only, but every lane stores it "
                                "(guard the store with threadIdx.x == 0, or use __shfl_xor_sync)", st.line)

    def finish(self, p: Partial, node: TSNode) -> Val:
        """All lanes' partials combined: reduce over the whole axis, then with the initial value."""
        red = Reduce(p.op, p.axis, p.extent, as_node(Val(p.body), F32) if p.body.dtype.name != "float32" and p.body.dtype.is_float
                     else p.body, F32 if p.body.dtype.is_float else p.body.dtype)
        init = p.init
        if _constant(init) == _IDENTITY.get(p.op):
            return Val(red)
        if p.op is Op.ADD:
            raise self.fail("C2C101", "a sum whose per-thread accumulator does not start at 0", node)
        return Val(Binary(p.op, as_node(Val(init), red.dtype), red))


def _constant(node) -> float | None:
    """The value of a constant node (literals and their negation), else None."""
    from cuda2cann.ir.nodes import Cast, Const, Unary
    if isinstance(node, Const):
        return float(node.value)
    if isinstance(node, Cast):
        return _constant(node.x)
    if isinstance(node, Unary) and node.op is Op.NEG:
        v = _constant(node.x)
        return None if v is None else -v
    return None


def as_minmax(node):
    """`a > b ? a : b` is max(a, b) and `a < b ? a : b` is min(a, b) (also with >= / <=, and swapped): a Binary, else node."""
    from cuda2cann.ir.nodes import Select
    if isinstance(node, Select) and isinstance(node.cond, Binary) and node.cond.op in (Op.GT, Op.GE, Op.LT, Op.LE):
        p, q = node.cond.a, node.cond.b
        if {node.a, node.b} == {p, q} and p != q:
            larger_first = node.cond.op in (Op.GT, Op.GE)
            picks_p = node.a == p
            return Binary(Op.MAX if larger_first == picks_p else Op.MIN, node.a, node.b)
    return node


def _accumulation(new: Value, marker: Val):
    """(op, f) when new == marker op f (or f op marker) and f does not use the marker."""
    if isinstance(new, Val):
        new = Val(as_minmax(new.node))
    if not isinstance(new, Val) or not isinstance(new.node, Binary) or new.node.op not in (Op.ADD, Op.MAX, Op.MIN):
        return None, None
    a, b = new.node.a, new.node.b
    f = b if a == marker.node else a if b == marker.node else None
    if f is None or any(n == marker.node for n in walk(f)):
        return None, None
    return new.node.op, f


_COMBINE_CALLS = {"fmaxf": Op.MAX, "fmax": Op.MAX, "max": Op.MAX, "fminf": Op.MIN, "fmin": Op.MIN, "min": Op.MIN}


def _shuffle_update(stmt: TSNode, var: str) -> tuple[Op, str, str] | None:
    """`v += __shfl_down_sync(m, v, o)` / `v = fmaxf(v, __shfl_xor_sync(m, v, o))` → (op, v, kind)."""
    if stmt.type != "assignment_expression":
        return None
    left, right, op_text = stmt.child_by_field_name("left"), stmt.child_by_field_name("right"), stmt.child_by_field_name("operator").type
    if left.type != "identifier":
        return None
    v = text(left)

    def shuffle_of(n: TSNode) -> str | None:
        if n.type != "call_expression" or text(n.child_by_field_name("function")) not in SHUFFLES:
            return None
        args = [text(a).replace(" ", "") for a in n.child_by_field_name("arguments").named_children]
        return SHUFFLES[text(n.child_by_field_name("function"))] if len(args) >= 3 and args[1] == v and args[2] == var else None

    if op_text == "+=" and (kind := shuffle_of(right)):
        return Op.ADD, v, kind
    if op_text == "=" and right.type == "call_expression" and text(right.child_by_field_name("function")) in _COMBINE_CALLS:
        args = right.child_by_field_name("arguments").named_children
        if len(args) == 2:
            for own, other in ((args[0], args[1]), (args[1], args[0])):
                if text(own) == v and (kind := shuffle_of(other)):
                    return _COMBINE_CALLS[text(right.child_by_field_name("function"))], v, kind
    return None


def lane_conditions_removed(conds: tuple[Cond, ...]) -> tuple[Cond, ...]:
    """Drop `threadIdx.x == 0` style lane selections: the reduced value is the same in the lanes that store it."""
    return tuple(c for c in conds if not (c.index and c.index[0] in (Op.EQ, Op.LT) and c.index[1] == TID))

