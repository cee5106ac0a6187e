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

from dataclasses import replace
from typing import ClassVar

from tree_sitter import Node as TSNode

from cuda2cann.frontend.cuda.accumulation import (
    IDENTITY,
    accumulations,
    as_minmax,
    constant,
    online_placeholder,
    replace_node,
    welford_updates,
)
from cuda2cann.frontend.cuda.cooperative_pairs import ArgPairs
from cuda2cann.frontend.cuda.cooperative_unrolled import UnrolledTrees
from cuda2cann.frontend.cuda.cooperative_values import (
    ALL,
    COOPERATIVE,
    GRID_START,
    GRID_WIDE,
    LANE,
    LANE0,
    MAY_WRITE,
    THREAD0,
    TID,
    WARP,
    WARP0,
    WARP_INDEX,
    BlockShare,
    Partial,
    Shared,
    WarpReduced,
    WarpSlots,
    WarpSums,
)
from cuda2cann.frontend.cuda.cooperative_welford import WelfordTriples
from cuda2cann.frontend.cuda.domain import BLOCK_DIM_X, GRID_DIM_X, identity_of
from cuda2cann.frontend.cuda.domain import _rename as rename_axes
from cuda2cann.frontend.cuda.library_collectives import Group, LibraryCollectives
from cuda2cann.frontend.cuda.lift import (
    ATOMIC_OPS,
    Lifter,
    LiftError,
    RawStore,
    ThreadState,
    _constant_truth,
    _is_bare_return,
    counter_step,
)
from cuda2cann.frontend.cuda.parser import text
from cuda2cann.frontend.cuda.values import Cond, Idx, Val, Value, as_node, common_type, conjuncts, negate, type_of
from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.dtypes import dtype
from cuda2cann.ir.nodes import Binary, Cast, Const, Gather, IndexValue, Load, Param, Reduce, Select, substitute_indices, walk
from cuda2cann.ir.ops import Op
from cuda2cann.ir.printer import format_node

F32 = dtype("float32")
SHUFFLES = {"__shfl_down_sync": "down", "__shfl_xor_sync": "xor"}
TILE_SHUFFLES = {"shfl_down": "down", "shfl_xor": "xor"}
BLOCK_ROW = sx.sym("gid.b", 0, None)  # blockIdx.x


class CooperativeLifter(ArgPairs, WelfordTriples, UnrolledTrees, LibraryCollectives, Lifter):
    """The Lifter with shared memory, barriers and shuffles understood as parts of a row reduction."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.axis_counter = 0
        self.cub_types = {}
        self.uses_dynamic_shared = False
        #: id(node) -> (node, holders) for reduced values complete in some threads only (after __shfl_down_sync,
        #: or a shuffle inside warp 0): storing them needs conditions that select only such threads
        self.holders: dict[int, tuple[object, str]] = {}
        #: during a tree step: (shared array, index) -> marker value of that lane's slot
        self.tree_reads: dict = {}
        #: row-element axis per extent: loops over the same row share it
        self.row_axes: dict = {}
        #: set once a row guard `if (row < rows) {...}` has closed: later stores would escape the guard
        self.after_row_guard = False
        #: during a pair-combine step: variable -> marker of the partner lane's value, and the shuffle kinds seen
        self.shuffle_reads: dict[str, Val] = {}
        self.shuffle_kinds: set[str] = set()
        #: during a tuple tree step: shared array -> the variable holding its own lane's current element
        self.pair_arrays: dict[str, str] = {}
        #: max partials by the variable they were accumulated in: online-softmax sums name their maximum
        self.online_maxima: dict[str, Partial] = {}
        #: Welford groups: group -> role -> partial
        self.welford_groups: dict[str, dict[str, Partial]] = {}

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
            state.env[text(inner)] = Shared(text(inner), scalar=decl.type != "array_declarator")
            self.uses_dynamic_shared |= any(text(c) == "extern" for c in node.children)
        return None

    def e_subscript(self, node: TSNode, state: ThreadState) -> Value:
        base = node.child_by_field_name("argument")
        shared = state.env.get(text(base)) if base.type == "identifier" else None
        if not isinstance(shared, Shared):
            return super().e_subscript(node, state)
        index = self.expr(node.child_by_field_name("indices").named_children[0], state)
        if shared.name in self.pair_arrays and isinstance(index, Idx) and index.e == TID:
            return state.env[self.pair_arrays[shared.name]]
        if self.tree_reads and isinstance(index, Idx) and (shared.name, index.e) in self.tree_reads:
            return self.tree_reads[(shared.name, index.e)]
        if shared.reduced is not None and isinstance(index, Idx) and index.e == sx.const(0):
            self.check_visible(shared, state, node)
            return shared.reduced
        if shared.per_warp is not None and isinstance(index, Idx) and index.e in (TID, LANE):
            if not shared.synced:
                raise self.fail("C2C101", f"the per-warp results in {shared.name} are read before a barrier "
                                "(`__syncthreads()` after lane 0 of each warp stores them)", node)
            if _restriction(state.conds, self.block_requirements) not in (WARP0, THREAD0):
                # lanes of several warps read the slots: thread t's slot is also read by lane t of the other warps
                # (within warp 0 alone each lane reads its own thread's slot: no other reader to wait for)
                state.env[shared.name] = replace(shared, read_by_others=True)
            return WarpSlots(shared.per_warp)
        raise self.fail("C2C101", f"read of shared memory {text(node)!r} outside a recognised reduction", node)

    def e_identifier(self, node: TSNode, state: ThreadState) -> Value:
        v = super().e_identifier(node, state)
        if isinstance(v, Shared) and v.scalar:
            if v.reduced is None:
                raise self.fail("C2C101", f"read of the shared variable {v.name!r} before a reduced value was published in it",
                                node)
            self.check_visible(v, state, node)
            return v.reduced
        return v

    def expr(self, node: TSNode, state: ThreadState) -> Value:
        """Shuffled block partials stay per-warp where they flow into a variable, an argument or `sh[warp]`; any
        other use takes them as the whole row's reduction (the block is one warp)."""
        v = super().expr(node, state)
        if isinstance(v, WarpReduced) and not self.passes_through(node):
            return self.whole_warp(v, node)
        if isinstance(v, BlockShare) and not self.passes_through(node):
            raise self.fail("C2C101", "a block's share of a grid-wide reduction used as a value: only its store as "
                            "`partial[blockIdx.x] = share` or its atomicAdd, by one thread per block, is translated", node)
        if isinstance(v, WarpSlots) and _parent(node).type != "conditional_expression":
            raise self.fail("C2C101", "per-warp slots read by every lane: lanes at or beyond the number of warps read slots no "
                            "warp wrote (guard the read: `lane < warps ? sh[lane] : identity`)", node)
        return v

    def passes_through(self, node: TSNode) -> bool:
        parent = _parent(node)
        while node.parent.type == "parenthesized_expression":
            node = node.parent
        if parent.type in ("init_declarator", "return_statement", "expression_statement"):
            return True
        if parent.type == "assignment_expression":
            right = parent.child_by_field_name("right")
            return parent.child_by_field_name("operator").type == "=" and (right.start_byte, right.end_byte) == (node.start_byte,
                                                                                                                    node.end_byte)
        if parent.type == "argument_list":
            fn = parent.parent.child_by_field_name("function")
            return fn is not None and (text(fn) in self.functions or text(fn) in ATOMIC_OPS)
        return False

    def check_visible(self, shared: Shared, state: ThreadState, node: TSNode) -> None:
        """A value written to shared memory by one thread is visible to the others only after a barrier; once they
        read it, overwriting it needs a barrier too (recorded for check_overwrite)."""
        if _restriction(state.conds, self.block_requirements) == THREAD0:
            return
        if not shared.synced:
            raise self.fail("C2C101", f"{shared.name} is read by other threads than its writer before a barrier "
                            "(`__syncthreads()` after the store)", node)
        if state.env.get(shared.name) is shared:
            state.env[shared.name] = replace(shared, read_by_others=True)

    def check_overwrite(self, shared: Shared, node: TSNode) -> None:
        if shared.read_by_others:
            raise self.fail("C2C101", f"{shared.name} is overwritten while other threads may still be reading what it held "
                            "(`__syncthreads()` between the last read and the new store)", node)

    def whole_warp(self, v: WarpReduced, node: TSNode) -> Val:
        """A warp's combination used as the row's result: the block must be exactly one warp."""
        if self.block_requirements.get("x", WARP) != WARP:
            raise self.fail("C2C101", f"a warp shuffle result used as the row's reduction in a block of "
                            f"{self.block_requirements['x']} threads (combine the warps through shared memory)", node)
        if v.partial.lanes in GRID_WIDE:
            raise self.fail("C2C101", "a warp's share of a grid-wide reduction used as a value: only its atomicAdd by lane 0 "
                            "of each warp is translated", node)
        self.block_requirements["x"] = WARP
        result = self.component_total(v.partial, node)
        if v.kind == "down":
            self.hold(result, THREAD0)
        return result

    def hold(self, v: Val, holders: str) -> None:
        if holders != ALL:
            self.holders[id(v.node)] = (v.node, holders)

    def e_conditional(self, node: TSNode, state: ThreadState) -> Value:
        """`lane < warps ? sh[lane] : identity`: the second level of a two-level reduction reads the per-warp slots."""
        cond = self.condition(node.child_by_field_name("condition"), state)
        a, b = self.expr(node.child_by_field_name("consequence"), state), self.expr(node.child_by_field_name("alternative"), state)
        if not isinstance(a, WarpSlots) and not isinstance(b, WarpSlots):
            return self.select(cond, a, b)
        slots, other, cond = (a, b, cond) if isinstance(a, WarpSlots) else (b, a, negate(cond))
        identity = IDENTITY.get(slots.partial.op)
        # max and min may also fill with the accumulators' start value: every partial has folded it in already
        neutral = {identity, *((constant(slots.partial.init),) if slots.partial.op in (Op.MAX, Op.MIN) else ())}
        filler = constant(as_node(other)) if isinstance(other, (Val, Idx)) else None
        if slots.partial.op in (Op.ARGMAX, Op.ARGMIN) and filler is not None and filler >= 0:
            neutral = {filler}  # the position next to an identity value: never preferred to a lane's own (first) position
        if filler not in neutral - {None}:
            raise self.fail("C2C101", "lanes without a warp's slot must take the reduction's identity (0 for a sum, "
                            "-INFINITY for max, INFINITY for min) or, for max and min, the accumulators' start value", node)
        if cond.index is None or cond.index[0] is not Op.LT or cond.index[1] not in (TID, LANE) \
                or not self.is_warp_count(cond.index[2]):
            raise self.fail("C2C101", "per-warp slots must be read under `lane < warps` or `threadIdx.x < warps` with "
                            "warps = blockDim.x / 32", node)
        return WarpSums(slots.partial, "tid" if cond.index[1] == TID else "lane")

    def select(self, cond: Cond, a: Value, b: Value) -> Value:
        t = common_type(type_of(a), type_of(b))
        return Val(Select(cond.node, as_node(a, t), as_node(b, t)))

    def is_warp_count(self, e: sx.Expr) -> bool:
        bd = sx.sym("blockDim.x", 1, None)
        if e in (sx.floordiv(bd, WARP), sx.floordiv(sx.add(bd, WARP - 1), WARP)):
            return True
        block = self.block_requirements.get("x")
        return block is not None and block % WARP == 0 and e == sx.const(block // WARP)

    def assign(self, left: TSNode, value: Value, state: ThreadState, node: TSNode) -> None:
        if left.type == "subscript_expression":
            base = left.child_by_field_name("argument")
            shared = state.env.get(text(base)) if base.type == "identifier" else None
            if isinstance(shared, Shared):
                index = self.expr(left.child_by_field_name("indices").named_children[0], state)
                if shared.name not in self.pair_arrays:
                    self.check_overwrite(shared, node)
                if shared.name in self.pair_arrays and isinstance(index, Idx) and index.e == TID:
                    state.env[self.pair_arrays[shared.name]] = value  # a (value, position) tree step writes its own lane
                    return
                if isinstance(value, Partial) and isinstance(index, Idx) and index.e == TID:
                    state.env[shared.name] = Shared(shared.name, partial=value, synced=False)
                    return
                if isinstance(value, WarpReduced) and isinstance(index, Idx) and index.e == WARP_INDEX:
                    return self.store_per_warp(shared, value, state, node)
                if isinstance(value, WarpReduced):
                    value = self.whole_warp(value, node)
                if isinstance(value, (Val, Idx)) and isinstance(index, Idx) and index.e == sx.const(0):
                    state.env[shared.name] = replace(shared, reduced=self.publish(value, state, node), synced=False)
                    return
                if isinstance(value, Val) and isinstance(index, Idx) and index.e == TID:  # one element per thread
                    state.env[shared.name] = Shared(shared.name, lane_value=value, lane_store=node, synced=False)
                    return
                raise self.fail("C2C101", f"store {text(left)!r} to shared memory is not a lane's partial, a warp's "
                                "combination or a reduced value", node)
        if isinstance(value, WarpReduced) and left.type != "identifier":  # a store to global memory: the whole row
            value = self.whole_warp(value, node)
        if isinstance(value, BlockShare) and left.type == "subscript_expression":
            ptr, index = self.pointer_and_index(left, state)
            return self.store_block_partial(ptr, index, value, state, node)
        if isinstance(value, BlockShare) and left.type != "identifier":
            raise self.fail("C2C101", f"a block's share of a grid-wide reduction stored through {text(left)!r}: only "
                            "`partial[blockIdx.x] = share` or its atomicAdd by one thread per block is translated", node)
        if left.type == "identifier":
            old = state.env.get(text(left))
            if isinstance(old, Shared) and old.scalar:  # `if (threadIdx.x == 0) s_total = total;`
                self.check_overwrite(old, node)
                if isinstance(value, WarpReduced):
                    value = self.whole_warp(value, node)
                if not isinstance(value, (Val, Idx)):
                    raise self.fail("C2C101", f"store to the shared variable {old.name!r} is not a reduced value", node)
                state.env[old.name] = replace(old, reduced=self.publish(value, state, node), synced=False)
                return
            if isinstance(value, (Partial, WarpReduced, WarpSums, BlockShare)):
                state.env[text(left)] = value
                return
        super().assign(left, value, state, node)

    def accumulate(self, ptr, op: Op, value: Value, state: ThreadState, node: TSNode) -> None:
        """`atomicAdd(out, v)` of a share of a grid-wide reduction, by exactly one thread per share: the whole reduction.

        Every thread adds its grid-strided partial; lane 0 of each warp its warp's shuffled share; thread 0 of each block
        its block's share (after a tree or two levels of shuffles).
        """
        need = {Partial: ALL, WarpReduced: LANE0, BlockShare: THREAD0}.get(type(value))
        if need is None:
            if isinstance(value, COOPERATIVE):
                raise self.fail("C2C101", f"atomic accumulation of a {type(value).__name__} value", node)
            return super().accumulate(ptr, op, value, state, node)
        partial = value if isinstance(value, Partial) else value.partial
        if partial.lanes not in GRID_WIDE:
            raise self.fail("C2C101", "atomic accumulation of a block- or warp-strided partial (each block would add its row)",
                            node)
        if partial.op is not op:
            raise self.fail("C2C101", f"an atomic {op.value} of partial results accumulated with {partial.op.value}", node)
        writers = _restriction(state.conds, self.block_requirements)
        if writers != need:
            raise self.fail("C2C101", f"each share of the reduction must be added once, by {need}, but it is added by {writers}", node)
        total = self.total(partial, node)
        # the launch covers grid-strided partials with any grid, one element per thread with one thread per element
        self.grid_axes.append((partial.axis, partial.extent, "it" if partial.lanes == "grid" else "gid.x"))
        self.stores.append(RawStore(ptr.tensor, ptr.offset, Val(as_node(total, ptr.elem)), state.conds, self.line(node), op))

    def store_block_partial(self, ptr, index: sx.Expr, share: BlockShare, state: ThreadState, node: TSNode) -> None:
        """`if (threadIdx.x == 0) partial[blockIdx.x] = share`: the first kernel of a grid-level two-pass reduction.

        Block b's share of a grid-strided loop covers the elements k < n whose segment k / blockDim.x is b modulo
        gridDim.x. The values depend on the launch the host chose, so the port takes the CUDA launch's gridDim.x and
        blockDim.x as parameters and reduces over exactly those elements."""
        partial = share.partial
        if index != BLOCK_ROW:
            raise self.fail("C2C101", f"a block's share of a grid-wide reduction stored at [{index}]: only one value per "
                            "block at [blockIdx.x] is translated", node)
        writers = _restriction(state.conds, self.block_requirements)
        if writers != THREAD0:
            raise self.fail("C2C101", f"a block's share must be stored once per block, by {THREAD0}, but it is stored by "
                            f"{writers}", node)
        if partial.online_max:
            raise self.fail("C2C101", "per-block shares of an online-softmax sum (rescaled pairs across blocks) are not lifted",
                            node)
        i64 = dtype("int64")
        segment = Binary(Op.DIV, IndexValue(sx.sym(partial.axis, 0, None), i64), Param(BLOCK_DIM_X, i64))
        if partial.lanes == "grid":  # a grid-strided loop wraps around the grid
            segment = Binary(Op.MOD, segment, Param(GRID_DIM_X, i64))
        member = Binary(Op.EQ, segment, IndexValue(BLOCK_ROW, i64))
        identity = Const(identity_of(partial.op, partial.body.dtype), partial.body.dtype)
        total = self.total(replace(partial, body=Select(member, partial.body, identity)), node)
        self.stores.append(RawStore(ptr.tensor, index, Val(as_node(total, ptr.elem)), state.conds, self.line(node)))

    def store_per_warp(self, shared: Shared, value: WarpReduced, state: ThreadState, node: TSNode) -> None:
        """`if (lane == 0) sh[warp] = v` after a shuffle: one combination per warp, the first level of two."""
        writers = _restriction(state.conds, self.block_requirements)
        if writers not in ({LANE0} if value.kind == "down" else {LANE0, ALL}):
            raise self.fail("C2C101", f"per-warp results stored to {shared.name}[warp] by {writers} (lane 0 of each warp must "
                            f"store{' after __shfl_down_sync' if value.kind == 'down' else ''})", node)
        state.env[shared.name] = Shared(shared.name, per_warp=value.partial, synced=False)

    def publish(self, value: Value, state: ThreadState, node: TSNode) -> Val:
        """A value written to shared memory for every thread to read after the barrier: the writers must hold it whole."""
        v = value if isinstance(value, Val) else Val(as_node(value))
        self.check_holders(v, _restriction(state.conds, self.block_requirements), self.line(node))
        published = Val(replace(v.node))  # a copy: what the readers see after the barrier is complete in every thread
        self.holders[id(published.node)] = (published.node, ALL)
        return published

    STATEMENTS: ClassVar[dict[str, str]] = {**Lifter.STATEMENTS, "type_definition": "s_typedef", "alias_declaration": "s_typedef"}

    def s_expression(self, node: TSNode, state: ThreadState) -> None:
        if self.tile_declaration(node, state) or (node.named_children and self.unrolled_step(node.named_children[0], state)):
            return
        super().s_expression(node, state)

    def passes_by_reference(self, value: Value) -> bool:
        return isinstance(value, Shared)  # a shared array passed to a helper: its steps change the caller's array

    def convert_decl(self, value: Value, ctype, node: TSNode) -> Value:
        return value if isinstance(value, Group) else super().convert_decl(value, ctype, node)

    def e_call(self, node: TSNode, state: ThreadState) -> Value:
        library = self.library_call(node, state)
        if library is not None:
            return library
        fn = node.child_by_field_name("function")
        if self.shuffle_reads and text(fn) in SHUFFLES:  # one step of a pair combine: the partner lane's value
            args = [text(a).replace(" ", "") for a in node.child_by_field_name("arguments").named_children]
            if len(args) >= 3 and args[1] in self.shuffle_reads and isinstance(state.env.get(args[2]), Idx):
                self.shuffle_kinds.add(SHUFFLES[text(fn)])
                return self.shuffle_reads[args[1]]
        if fn.type == "identifier" and text(fn) in ("__syncthreads", "__syncwarp"):
            self.barrier(state)
            return Idx(sx.const(0))  # ordering only: the collectives around it are recognised as wholes
        return super().e_call(node, state)

    # ------------------------------------------------------------ row guards
    def s_if(self, node: TSNode, state: ThreadState) -> None:
        """`if (row < rows) { ...the whole row's work... }`: a guard of the row, like an early return."""
        cond_node, other = node.child_by_field_name("condition"), node.child_by_field_name("alternative")
        truth = _constant_truth(self.condition(cond_node, ThreadState(dict(state.env), state.conds)))
        if truth is not None:  # `if (kBlock >= 256)` on a template constant: only one branch exists
            branch = node.child_by_field_name("consequence") if truth else other
            if branch is not None:
                self.statement(branch.named_children[0] if branch.type == "else_clause" else branch, state)
            return None
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
        declarator = init.child_by_field_name("declarator") if init is not None and init.type == "declaration" else None
        if cond is None or update is None or declarator is None or declarator.type != "init_declarator":
            return super().s_for(node, state)
        var = text(declarator.child_by_field_name("declarator"))
        sub = ThreadState(dict(state.env), state.conds)
        self.s_declaration(init, sub)
        start = sub.env[var]
        update_text = text(update).replace(" ", "")
        if isinstance(start, Idx) and start.e == GRID_START and self.loop_step(update, var, sub) == sx.sym("nthreads.x", 1, None):
            return self.strided(var, cond, node.child_by_field_name("body"), sub, state, "grid")
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
        stop = _halving_stop(text(cond).replace(" ", ""), var)
        if update_text in (f"{var}>>=1", f"{var}/=2", f"{var}={var}>>1", f"{var}={var}/2") and stop is not None:
            return self.halving(var, start, node.child_by_field_name("body"), sub, state, node, stop)
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
        # an integer accumulator starts as an index value (`int acc = 0`) and becomes data in the loop
        changed = [n for n, v in sub.env.items() if n != var and real.env.get(n) != v and
                   (isinstance(v, Val) or (isinstance(v, Idx) and isinstance(real.env.get(n), Val)))]
        markers = {n: Val(Param(f"__acc_{n}", type_of(sub.env[n]))) for n in changed}
        # an integer stepped by a constant each iteration is a counter (`n++` of Welford's update)
        counters = {n: c for n, v in sub.env.items() if n != var and (c := counter_step(v, real.env.get(n))) is not None}
        counting = {n: Idx(sx.sym(f"__count_{n}", 0, None), sub.env[n].type) for n in counters}
        probe = ThreadState({**sub.env, **markers, **counting}, (*sub.conds, guard))
        self.statement(body, probe)
        probe_stores = self.stores[mark:]
        del self.stores[mark:]
        marker_nodes = {m.node for m in markers.values()}
        if any(any(n in marker_nodes for n in walk(st.value.node)) for st in probe_stores):
            raise self.fail("C2C101", "a store of a running accumulation depends on the order the lanes visit the row", body)
        self.stores.extend(real_stores)
        found = accumulations(changed, probe.env, markers)
        if counters:
            welford = welford_updates([n for n in changed if n not in found], probe.env, markers,
                                      {probe.env[n]: n for n in counters if isinstance(probe.env.get(n), Idx)})
            if {a.count for a in welford.values()} != set(counters):
                raise self.fail("C2C101", f"a counter ({', '.join(sorted(counters))}) in a strided loop that is not the count "
                                "of a Welford update", body)
            self.welford_partials(welford, counters, axis, extent, sub, state, lanes, body)
            counters |= dict.fromkeys(welford, 0)  # lifted with their counter: not plain accumulations
            changed = [n for n in changed if n not in welford]
        for name in sorted(changed, key=lambda n: n in found and bool(found[n].arg_of)):  # positions after their values
            if name not in found:
                raise self.fail("C2C101", f"{name} is updated in the strided loop in a way that is not an associative accumulation",
                                body)
            acc = found[name]
            self.axis_counter += 1
            k = sx.sym(f"k{self.axis_counter}", 0, None)
            if acc.arg_of:
                state.env[name] = self.arg_partial(name, acc, axis, k, extent, sub, state, lanes, body)
                continue
            state.env[name] = Partial(acc.op, k.name, extent, rename_axes(acc.body, {axis: k}, 0),
                                      as_node(sub.env[name], acc.body.dtype), lanes, acc.online_max)
            if acc.op is Op.MAX:  # a possible running maximum of an online-softmax sum, found by name later
                self.online_maxima[name] = state.env[name]
        state.env.update({n: v for n, v in real.env.items() if n in state.env and n not in changed and n != var
                          and n not in counters})

    def halving(self, var: str, start: Value, body: TSNode, sub: ThreadState, state: ThreadState, node: TSNode,
                stop: int = 0) -> None:
        """A loop whose variable halves down to 1: a shared-memory tree or a shuffle butterfly. A tree may stop early
        (`s > 32`): lanes [0, 2 * stop) then hold combinations, for unrolled steps to finish (cooperative_unrolled)."""
        first = start.e if isinstance(start, Idx) else None
        block_half = sx.floordiv(sx.sym("blockDim.x", 1, None), 2)
        if "x" in self.block_requirements and self.block_requirements["x"] > WARP and first == sx.const(self.block_requirements["x"] // 2):
            first = block_half  # `s = BLOCK / 2` with blockDim.x == BLOCK
        if first not in (block_half, sx.const(WARP // 2)):
            raise self.fail("C2C101", f"a halving loop starting at {first} (expected blockDim.x / 2 or warpSize / 2)", node)
        stmt = body.named_children[0] if body.type == "compound_statement" else body
        if stmt.type == "if_statement":
            if not _barrier_follows(body, stmt, first == block_half):
                raise self.fail("C2C101", "a tree step is not followed by a barrier in the loop (`__syncthreads()`, or "
                                "`__syncwarp()` within a warp): the next step would read lanes still being written", body)
            return self.shared_tree(var, stmt, sub, state, first == block_half, stop)
        if stop:
            raise self.fail("C2C101", f"a shuffle loop that stops at {stop} (only shared-memory trees may stop early)", node)
        if body.type == "compound_statement" and len(body.named_children) > 1:
            return self.pair_shuffle(var, body, sub, state, node)
        return self.shuffle(var, stmt, sub, state, node)

    def pair_shuffle(self, var: str, body: TSNode, sub: ThreadState, state: ThreadState, node: TSNode) -> None:
        """A halving loop of several statements: the shuffle merge of a tuple (cooperative_pairs.tuple_shuffle)."""
        if not self.tuple_shuffle(var, body, sub, state):
            raise self.fail("C2C101", "a halving loop of several statements that is not the merge of a tuple (an argmax "
                            "pair, a Welford triple or an online-softmax pair)", body)

    def shared_tree(self, var: str, stmt: TSNode, sub: ThreadState, state: ThreadState, whole_block: bool, stop: int = 0) -> None:
        s = sx.sym("__s", 1, None)
        sub.env[var] = Idx(s)
        update = stmt.child_by_field_name("consequence")
        unsynced = [v.name for v in state.env.values()
                    if isinstance(v, Shared) and (v.partial is not None or v.lane_value is not None) and not v.synced]
        if unsynced:
            raise self.fail("C2C101", f"the tree reads the lanes' partials in {unsynced[0]} before a barrier "
                            "(`__syncthreads()` after storing them)", stmt)
        guard, also = _split_and(stmt.child_by_field_name("condition"))
        if stop and (also is not None or (update.type == "compound_statement" and len(update.named_children) > 1)):
            raise self.fail("C2C101", "a tree of tuples that stops early (only single-value trees may end in unrolled steps)",
                            stmt)
        if also is not None:  # `if (tid < s && better(partner)) { take the partner's pair }`
            if self.condition(guard, sub).index != (Op.LT, TID, s):
                raise self.fail("C2C101", "a shared-memory tree step must be guarded by `threadIdx.x < s`", stmt)
            return self.pair_tree(s, lambda probe: self.conditional_step(also, update, probe, stmt), stmt, sub, state,
                                  whole_block)
        cond = self.condition(stmt.child_by_field_name("condition"), sub)
        if cond.index != (Op.LT, TID, s):
            raise self.fail("C2C101", "a shared-memory tree step must be guarded by `threadIdx.x < s`", stmt)
        if (update.type == "compound_statement" and len(update.named_children) > 1) or update.type == "if_statement":
            return self.pair_tree(s, lambda probe: self.statement(update, probe), update, sub, state, whole_block)
        update = update.named_children[0] if update.type == "compound_statement" else update
        update = update.named_children[0] if update.type == "expression_statement" else update
        op, target = self.tree_update(update, s, sub)
        shared = state.env.get(target)
        if op is not None and isinstance(shared, Shared) and shared.lane_value is not None:
            shared = Shared(target, partial=self.lane_elements(shared.lane_value, op, shared.lane_store))
        if op is None or not isinstance(shared, Shared) or shared.partial is None:
            raise self.fail("C2C101", "the tree step is not `sh[tid] op= sh[tid + s]` over the lanes' partials", update)
        if shared.partial.op is not op or (shared.partial.lanes in ("block", *GRID_WIDE)) != whole_block:
            raise self.fail("C2C101", "the tree combines with another op or over other lanes than the partials", update)
        if stop:  # the loop ends at s = 2 * stop: the last steps follow, written out
            if not whole_block:
                raise self.fail("C2C101", "a warp's halving tree that stops early", update)
            state.env[target] = Shared(target, partial=shared.partial, remaining=sx.const(2 * stop))
            return
        state.env[target] = Shared(target, reduced=self.finish(shared.partial, update))

    def lane_elements(self, value: Val, op: Op, node: TSNode) -> Partial:
        """`sh[tid] = i < n ? f(i) : identity` with i = blockIdx.x * blockDim.x + threadIdx.x, then a tree: every thread
        of the grid contributes the one element k = i (k < n) and block b combines the k with k / blockDim.x == b."""
        self.axis_counter += 1
        k = sx.sym(f"k{self.axis_counter}", 0, None)
        body = substitute_indices(value.node, {TID: sx.sub(k, sx.mul(BLOCK_ROW, sx.sym("blockDim.x", 1, None)))})
        identity = identity_of(op, body.dtype)
        guard = body.cond if isinstance(body, Select) else None
        bound = _index_bound(guard, k) if isinstance(guard, Binary) else None
        if bound is None:
            raise self.fail("C2C101", "one element per thread must be read under a bounds guard, `sh[tid] = i < n ? f(i) : "
                            "identity` with i = blockIdx.x * blockDim.x + threadIdx.x", node)
        if constant(body.b) != identity:
            raise self.fail("C2C101", f"threads past the bound must contribute the {op.value} reduction's identity "
                            f"({identity}), not {format_node(body.b)}", node)
        element = body.a
        stray = {s.name for n in walk(element) for e in _indices(n) for s in sx.free_symbols(e)} & {
            "gid.b", "threadIdx.x", "blockDim.x", "gridDim.x"}
        if stray or k in sx.free_symbols(bound):
            raise self.fail("C2C101", "a thread's element depends on the thread other than through i = blockIdx.x * "
                            "blockDim.x + threadIdx.x", node)
        return Partial(op, k.name, bound, element, Const(identity, element.dtype), "grid-once")

    def conditional_step(self, cond_node: TSNode, body: TSNode, state: ThreadState, node: TSNode) -> None:
        """`if (cond) body` evaluated in `state` (both outcomes merged), for a condition split off a tree guard."""
        cond = self.condition(cond_node, state)
        taken = ThreadState(dict(state.env), (*state.conds, cond))
        self.statement(body, taken)
        state.env = self.merge(cond, taken.env, dict(state.env), node)

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
            value = right if op_text == "=" else self.binary({"+=": Op.ADD, "*=": Op.MUL}.get(op_text, Op.SUB), own, right, update)
        finally:
            self.tree_reads = {}
        if not (isinstance(index, Idx) and index.e == TID and isinstance(value, Val)):
            return None, ""
        combined = as_minmax(value.node)
        if not isinstance(combined, Binary):
            return None, ""
        if combined.op in (Op.ADD, Op.MUL, Op.MAX, Op.MIN) and {combined.a, combined.b} == {own.node, partner.node}:
            return combined.op, name
        return None, ""

    def shuffle(self, var: str, stmt: TSNode, sub: ThreadState, state: ThreadState, node: TSNode) -> None:
        stmt = stmt.named_children[0] if stmt.type == "expression_statement" else stmt
        found = _shuffle_update(stmt, var)
        if found is None:
            raise self.fail("C2C101", "the halving loop is not `v op= __shfl_{down,xor}_sync(mask, v, offset)`", stmt)
        op, name, kind = found
        value = state.env.get(name)
        partial = value.partial if isinstance(value, WarpSums) else value
        if not isinstance(partial, Partial) or partial.op is not op:
            raise self.fail("C2C101", f"{name} is shuffled but is not a partial of the same reduction", stmt)
        if isinstance(value, WarpSums) and partial.lanes == "grid":  # the block's share; thread 0 adds it atomically
            state.env[name] = BlockShare(partial)
        elif isinstance(value, WarpSums):  # the second level: warp sums (one per lane) combined into the row's result
            state.env[name] = result = self.total(partial, stmt)
            self.hold(result, self.second_level_holders(value, kind, state))
        elif partial.lanes in ("block", "grid") and self.block_requirements.get("x") != WARP:
            state.env[name] = WarpReduced(partial, kind)  # one warp of the block, or the whole row: decided by its use
        else:
            self.block_requirements["x"] = WARP  # one warp holds the whole row: the lanes are blockDim.x == 32
            state.env[name] = result = self.finish(partial, stmt)
            # a butterfly (xor) leaves the result in every lane, a shift-down in lane 0 only
            self.hold(result, THREAD0 if kind == "down" else ALL)

    def second_level_holders(self, sums: WarpSums, kind: str, state: ThreadState) -> str:
        """Who holds the total after shuffling the per-warp sums: lane 0 (down) or all lanes (xor) of the warps that
        read every slot, i.e. warp 0 alone under a `threadIdx.x < warps` guard or inside `if (warp == 0)`."""
        only_warp0 = sums.guard == "tid" or _restriction(state.conds, self.block_requirements) in (WARP0, THREAD0)
        if kind == "down":
            return THREAD0 if only_warp0 else LANE0
        return WARP0 if only_warp0 else ALL

    def check_holders(self, v: Val, writers: str, line: int) -> None:
        stack = [v.node]
        while stack:
            n = stack.pop()
            held = self.holders.get(id(n))
            if held is not None and held[0] is n and held[1] == ALL:  # published through shared memory: whole everywhere
                continue
            stack.extend(n.children)
            if held is not None and held[0] is n and writers not in MAY_WRITE[held[1]]:
                raise LiftError("C2C101", f"a shuffled reduction is complete in {held[1]} only, but it is stored by {writers} "
                                "(guard the store with threadIdx.x == 0, or use __shfl_xor_sync)", line)

    def check_lane_results(self) -> None:
        """A store of a value complete in some threads only, by other threads too, would write partial values: refuse it."""
        for st in self.stores:
            self.check_holders(st.value, _restriction(st.conds, self.block_requirements), st.line)

    def merge(self, cond: Cond, a: dict[str, Value], b: dict[str, Value], node: TSNode) -> dict[str, Value]:
        """Under a lane selection (`if (lane == 0)`, `if (warp == 0)`), collective values are seen as thread 0 sees them:
        shared memory written by the selected lanes, and reductions completed there (their holders are tracked)."""
        taken = _thread0_takes(cond)
        if taken is None:
            return super().merge(cond, a, b, node)
        pick = a if taken else b
        out = {}
        for name in a.keys() & b.keys():
            collective = any(isinstance(v, COOPERATIVE) or (isinstance(v, Val) and id(v.node) in self.holders)
                             for v in (a[name], b[name]))
            out[name] = pick[name] if collective or a[name] == b[name] else super().merge(cond, {name: a[name]}, {name: b[name]},
                                                                                          node)[name]
        return out

    def finish(self, p: Partial, node: TSNode) -> Val | BlockShare:
        """All lanes' partials combined: reduce over the whole axis, then with the initial value. Partials strided over
        the whole grid combine within the block only: a block's share."""
        return BlockShare(p) if p.lanes in GRID_WIDE else self.total(p, node)

    def total(self, p: Partial, node: TSNode, max_total: Val | None = None) -> Val:
        if p.online_max:
            if max_total is None:
                raise self.fail("C2C101", f"an online-softmax sum is combined without its running maximum {p.online_max} "
                                "(the partial sums must be rescaled to the common maximum as they are combined)", node)
            p = replace(p, body=replace_node(p.body, online_placeholder(p.online_max), max_total.node))
            if constant(p.init) != 0:
                raise self.fail("C2C101", "an online-softmax sum that does not start at 0", node)
        red = Reduce(p.op, p.axis, p.extent, as_node(Val(p.body), F32) if p.body.dtype.name != "float32" and p.body.dtype.is_float
                     else p.body, F32 if p.body.dtype.is_float else p.body.dtype)
        init = p.init
        if constant(init) == IDENTITY.get(p.op):
            return Val(red)
        if p.op in (Op.ADD, Op.MUL):  # every thread would fold its start value in once more
            raise self.fail("C2C101", f"a {'sum' if p.op is Op.ADD else 'product'} whose per-thread accumulator does not "
                            f"start at {'0' if p.op is Op.ADD else '1'}", node)
        return Val(Binary(p.op, as_node(Val(init), red.dtype), red))


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
        if n.type != "call_expression":
            return None
        fn = n.child_by_field_name("function")
        args = [text(a).replace(" ", "") for a in n.child_by_field_name("arguments").named_children]
        if fn.type == "field_expression":  # a cooperative-groups tile: tile.shfl_down(v, offset)
            kind = TILE_SHUFFLES.get(text(fn.child_by_field_name("field")))
            return kind if kind and len(args) == 2 and args[0] == v and args[1] == var else None
        return SHUFFLES[text(fn)] if text(fn) in SHUFFLES and len(args) >= 3 and args[1] == v and args[2] == var else None

    if op_text in ("+=", "*=") and (kind := shuffle_of(right)):
        return (Op.ADD if op_text == "+=" else Op.MUL), v, kind
    if op_text == "=" and right.type == "call_expression" and text(right.child_by_field_name("function")) in _COMBINE_CALLS:
        args = right.child_by_field_name("arguments").named_children
        if len(args) == 2:
            for own, other in ((args[0], args[1]), (args[1], args[0])):
                if text(own) == v and (kind := shuffle_of(other)):
                    return _COMBINE_CALLS[text(right.child_by_field_name("function"))], v, kind
    return None


def _barrier_follows(body: TSNode, step: TSNode, whole_block: bool) -> bool:
    """Whether the loop body calls a barrier after the tree step (`__syncthreads()`; `__syncwarp()` will do within a warp)."""
    barriers = ("__syncthreads",) if whole_block else ("__syncthreads", "__syncwarp")
    later = [c for c in body.named_children if c.start_byte >= step.end_byte] if body.type == "compound_statement" else []
    stack = list(later)
    while stack:
        n = stack.pop()
        fn = n.child_by_field_name("function") if n.type == "call_expression" else None
        if fn is not None and (text(fn) in barriers or (fn.type == "field_expression" and
                                                         text(fn.child_by_field_name("field")) == "sync")):
            return True  # __syncthreads(), or a cooperative group's sync()
        stack.extend(n.named_children)
    return False


def _halving_stop(cond: str, var: str) -> int | None:
    """C of a halving loop's condition `var > C` (0, or a power of two), else None."""
    if not cond.startswith(f"{var}>") or cond.startswith(f"{var}>="):
        return None
    bound = cond[len(var) + 1:]
    if bound.isdigit() and (int(bound) == 0 or int(bound) & (int(bound) - 1) == 0):
        return int(bound)
    return None


def _split_and(cond: TSNode) -> tuple[TSNode, TSNode | None]:
    """`(a && b)` → (a, b); anything else → (cond, None)."""
    inner = cond
    while inner.type in ("parenthesized_expression", "condition_clause") and inner.named_children:
        inner = inner.named_children[0]
    if inner.type == "binary_expression" and inner.child_by_field_name("operator").type == "&&":
        return inner.child_by_field_name("left"), inner.child_by_field_name("right")
    return cond, None


def _index_of(node) -> sx.Expr | None:
    """The index expression of an integer index value, through integer casts."""
    while isinstance(node, Cast) and not node.dtype.is_float:
        node = node.x
    return node.index if isinstance(node, IndexValue) else None


def _index_bound(cond: Binary, k: sx.Sym) -> sx.Expr | None:
    """n of a guard `k < n`."""
    if cond.op is Op.LT and _index_of(cond.a) == k:
        return _index_of(cond.b)
    return None


def _indices(node) -> tuple[sx.Expr, ...]:
    if isinstance(node, (Load, IndexValue)):
        return (node.index,)
    return (node.base,) if isinstance(node, Gather) else ()


def _parent(node: TSNode) -> TSNode:
    """The syntactic parent, looking through parentheses."""
    parent = node.parent
    while parent.type == "parenthesized_expression":
        parent = parent.parent
    return parent


def _lane_selection(c: Cond) -> bool:
    """A condition on the thread's position in the block only (`threadIdx.x == 0`, `lane == 0`, `warp == 0`)."""
    return c.index is not None and TID in sx.free_symbols(c.index[1]) and \
        {s.name for s in sx.free_symbols(c.index[1]) | sx.free_symbols(c.index[2])} <= {"threadIdx.x", "blockDim.x"}


def _thread0_takes(cond: Cond) -> bool | None:
    """Whether thread 0 satisfies a lane selection (for any block of 32 .. 1024 threads), None if not one or unknown."""
    parts = [_thread0_satisfies(c) for c in conjuncts(cond)]
    return None if None in parts else all(parts)


def _thread0_satisfies(c: Cond) -> bool | None:
    if not _lane_selection(c):
        return None
    op, a, b = c.index
    truths = set()
    for block in (32, 1024):
        env = {"threadIdx.x": 0, "blockDim.x": block}
        x, y = sx.evaluate(a, env), sx.evaluate(b, env)
        truths.add({Op.EQ: x == y, Op.NE: x != y, Op.LT: x < y, Op.LE: x <= y, Op.GT: x > y, Op.GE: x >= y}[op])
    return truths.pop() if len(truths) == 1 else None


def _restriction(conds: tuple[Cond, ...], block_requirements: dict[str, int]) -> str:
    """Which threads of the block pass the lane selections among `conds` (THREAD0, WARP0, LANE0 or ALL)."""
    thread0 = warp0 = lane0 = False
    for c in (part for cond in conds for part in conjuncts(cond)):
        if not _lane_selection(c):
            continue
        op, a, b = c.index
        if op is Op.EQ and b == sx.const(0):
            thread0 |= a == TID
            lane0 |= a == LANE
            warp0 |= a == WARP_INDEX
        elif op is Op.LT and a == TID and isinstance(b, sx.Const):
            thread0 |= b.value == 1
            warp0 |= b.value <= WARP
    if block_requirements.get("x") == WARP:  # a block of one warp: its lane 0 is thread 0
        thread0 |= lane0
    if thread0 or (lane0 and warp0):
        return THREAD0
    return WARP0 if warp0 else LANE0 if lane0 else ALL


def lane_conditions_removed(conds: tuple[Cond, ...], index: sx.Expr) -> tuple[Cond, ...]:
    """Drop lane selections of a store that every selected lane makes alike (its index does not depend on the lane):
    the value is the same in the lanes that store it (checked by CooperativeLifter.check_lane_results)."""
    if TID in sx.free_symbols(index):
        return conds
    return tuple(x for c in conds for x in conjuncts(c) if not _lane_selection(x))

