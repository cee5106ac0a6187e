"""Unrolled shared-memory trees: `sh[tid] op= sh[tid + S]` steps with constant offsets, outside a halving loop.

The CUDA samples' later reductions unroll the tree: a halving loop that stops early (`for (s = blockDim.x / 2; s > 32;
s >>= 1)`), then the last warp's steps written out (`sh[tid] += sh[tid + 32]; ... sh[tid] += sh[tid + 1];`, often in a
`volatile` helper), or every step written out for a template block size (`if (tid < 128) sh[tid] += sh[tid + 128];`).
The array's state is the number of lanes that still hold combinations (`Shared.remaining`): each step must halve it,
run in every lane below its offset, and follow a barrier (`__syncthreads` or `__syncwarp`) since the previous write.
The classic warp-synchronous last warp without `__syncwarp` relies on lockstep execution of a warp, which Volta and
later GPUs do not guarantee (independent thread scheduling): it is refused with that reason rather than translated.
"""
from __future__ import annotations

from dataclasses import replace

from tree_sitter import Node as TSNode

from cuda2cann.frontend.cuda.cooperative_values import TID, Shared
from cuda2cann.frontend.cuda.lift import ThreadState
from cuda2cann.frontend.cuda.parser import text
from cuda2cann.frontend.cuda.values import Idx, conjuncts
from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.ops import Op

BLOCK_DIM = sx.sym("blockDim.x", 1, None)


class UnrolledTrees:
    """Mixin of the CooperativeLifter: tree steps written out one by one."""

    def unrolled_step(self, node: TSNode, state: ThreadState) -> bool:
        """`sh[tid] op= sh[tid + S]` on an array of lane partials: one step of an unrolled tree; False if not one."""
        if node.type != "assignment_expression" or node.child_by_field_name("left").type != "subscript_expression":
            return False
        base = node.child_by_field_name("left").child_by_field_name("argument")
        shared = state.env.get(text(base)) if base.type == "identifier" else None
        if not isinstance(shared, Shared) or (shared.partial is None and shared.lane_value is None):
            return False
        offset = self.partner_offset(node, shared.name, state)
        if offset is None:
            return False
        op, target = self.tree_update(node, sx.const(offset), state)
        if op is None or target != shared.name:
            raise self.fail("C2C101", f"the unrolled tree step is not `{shared.name}[tid] op= {shared.name}[tid + {offset}]`",
                            node)
        partial = shared.partial or self.lane_elements(shared.lane_value, op, shared.lane_store)
        if partial.op is not op:
            raise self.fail("C2C101", f"an unrolled tree step combines with {op.value}, the partials with {partial.op.value}",
                            node)
        if not shared.synced:
            raise self.fail("C2C101", "an unrolled tree step reads lanes written since the last barrier: warp-synchronous "
                            "code relies on a warp running in lockstep, which Volta and later GPUs do not guarantee "
                            "(put __syncwarp() between the steps, or __syncthreads() for steps across warps)", node)
        self.halve(shared, offset, node)
        lanes = self.lane_bound(state)
        if lanes is not None and lanes < offset:
            raise self.fail("C2C101", f"an unrolled tree step by {offset} taken by lanes below {lanes} only", node)
        if offset == 1:  # written by lane 0 after the last step: other lanes see it after a barrier
            state.env[shared.name] = Shared(shared.name, reduced=self.finish(partial, node), synced=False)
        else:
            state.env[shared.name] = Shared(shared.name, partial=partial, remaining=sx.const(offset), synced=False)
        return True

    def halve(self, shared: Shared, offset: int, node: TSNode) -> None:
        """Check that a step by `offset` halves the lanes that still hold combinations (blockDim.x at first)."""
        remaining = shared.remaining if shared.remaining is not None else BLOCK_DIM
        if remaining == BLOCK_DIM:
            block = self.block_requirements.get("x")
            if block is not None and block != 2 * offset:
                raise self.fail("C2C101", f"the first unrolled tree step by {offset} in a block of {block} threads", node)
            self.block_requirements["x"] = 2 * offset  # the written-out steps fix the block size
        elif remaining != sx.const(2 * offset):
            raise self.fail("C2C101", f"an unrolled tree step by {offset} where {remaining} lanes hold partial combinations "
                            "(each step must halve them)", node)

    def partner_offset(self, node: TSNode, name: str, state: ThreadState) -> int | None:
        """S of the `name[tid + S]` the right-hand side reads (a positive constant), else None."""
        stack = [node.child_by_field_name("right")]
        while stack:
            n = stack.pop()
            if n.type == "subscript_expression" and text(n.child_by_field_name("argument")) == name:
                index = self.expr(n.child_by_field_name("indices").named_children[0], state)
                step = sx.sub(index.e, TID) if isinstance(index, Idx) else None
                if isinstance(step, sx.Const) and step.value > 0:
                    return step.value
            stack.extend(n.named_children)
        return None

    @staticmethod
    def lane_bound(state: ThreadState) -> int | None:
        """K of the tightest `threadIdx.x < K` among the conditions (the lanes that run), None without one."""
        bounds = [c.index[2].value for cond in state.conds for c in conjuncts(cond)
                  if c.index is not None and c.index[0] is Op.LT and c.index[1] == TID and isinstance(c.index[2], sx.Const)]
        return min(bounds) if bounds else None

    @staticmethod
    def barrier(state: ThreadState) -> None:
        """`__syncthreads()` / `__syncwarp()`: writes to shared memory before it are visible to every lane after it."""
        state.env = {n: replace(v, synced=True, read_by_others=False) if isinstance(v, Shared) else v
                     for n, v in state.env.items()}
