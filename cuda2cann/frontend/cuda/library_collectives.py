"""CUB and cooperative-groups collectives, lifted as the same reductions as hand-written trees and shuffles.

- `cub::BlockReduce<T, N>(temp).Sum(v)` / `.Reduce(v, cub::Max())`: the block's partials combined, defined in
  thread 0 only (CUB's contract), for a block of exactly N threads;
- `cub::WarpReduce<T>(temp).Sum(v)`: a shift-down within each warp, defined in lane 0;
- `cg::this_thread_block()`, `cg::tiled_partition<32>(block)`, the groups' `thread_rank()`, `size()`,
  `meta_group_rank()`, `sync()`, tile shuffles in halving loops, and `cg::reduce(tile, v, cg::plus<T>())`
  (a butterfly: every lane of the tile gets the result).
Anything else from these libraries (partial tiles, other operators, user functors, scans) stays unported with
the construct named.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node as TSNode

from cuda2cann.frontend.cuda.cooperative_values import ALL, LANE, THREAD0, TID, WARP, WARP_INDEX, BlockShare, Partial, WarpReduced, WarpSums
from cuda2cann.frontend.cuda.lift import ThreadState
from cuda2cann.frontend.cuda.parser import text
from cuda2cann.frontend.cuda.values import Idx, Value
from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.ops import Op

CUB_TYPE = re.compile(r"^(?:::)?cub::(BlockReduce|WarpReduce)\s*<\s*([^,>]+?)\s*(?:,\s*([^,>]+?)\s*)?(?:,[^>]*)?>$")
CUB_OPS = {"cub::Sum": Op.ADD, "cub::Max": Op.MAX, "cub::Min": Op.MIN}
CG_OPS = {"plus": Op.ADD, "greater": Op.MAX, "less": Op.MIN}
CG_NAMESPACES = ("cg", "cooperative_groups")
CG_CALL = re.compile(r"^(\w+)::(\w+)(?:<([^<>]*)>)?$")  # cg::tiled_partition<32>
TILE_DECLARATION = re.compile(r"^(?:\w+::)*thread_block_tile\s*<\s*(\d+)\s*>\s*(\w+)\s*=")
BLOCK_DIM = sx.sym("blockDim.x", 1, None)


@dataclass(frozen=True)
class Group:
    """A cooperative group: the thread block, or a tile of `size` consecutive threads."""

    kind: str  # block | tile
    size: int = 0


class LibraryCollectives:
    """Mixed into the CooperativeLifter: statement and call handlers for CUB and cooperative groups."""

    #: CUB type aliases of the kernel (`typedef cub::BlockReduce<float, 256> BR;`): alias -> (kind, threads)
    cub_types: dict[str, tuple[str, int]]

    # ------------------------------------------------------------ statements
    def s_typedef(self, node: TSNode, state: ThreadState) -> None:
        """`typedef cub::BlockReduce<float, 256> BR;` / `using BR = cub::WarpReduce<float>;`."""
        if node.type == "alias_declaration":
            alias, spelled = node.child_by_field_name("name"), node.child_by_field_name("type")
        else:
            alias, spelled = node.child_by_field_name("declarator"), node.child_by_field_name("type")
        found = self.cub_type(text(spelled)) if spelled is not None else None
        if alias is None or found is None:
            raise self.fail("C2C102", f"unsupported type definition {text(node)[:60]!r} in a kernel", node)
        self.cub_types[text(alias)] = found
        return None

    def tile_declaration(self, node: TSNode, state: ThreadState) -> bool:
        """`cg::thread_block_tile<32> tile = cg::tiled_partition<32>(block);` (which tree-sitter reads as a comparison)."""
        found = TILE_DECLARATION.match(text(node).strip())
        expr = node.named_children[0] if node.named_children else None
        if found is None or expr is None or expr.type != "binary_expression":
            return False
        assignment = expr.child_by_field_name("right")
        if assignment.type != "assignment_expression":
            return False
        value = self.expr(assignment.child_by_field_name("right"), state)
        if not isinstance(value, Group) or value.size != int(found.group(1)):
            raise self.fail("C2C103", f"unsupported tile declaration {text(node)[:60]!r}", node)
        state.env[found.group(2)] = value
        return True

    def cub_type(self, spelled: str) -> tuple[str, int] | None:
        spelled = self.types.get(spelled, spelled)
        if spelled in self.cub_types:
            return self.cub_types[spelled]
        m = CUB_TYPE.match(spelled.strip())
        if m is None:
            return None
        kind, threads = m.group(1), m.group(3)
        if threads is None:
            return kind, WARP if kind == "WarpReduce" else 0
        threads = self.types.get(threads, threads)
        return kind, int(threads) if threads.isdigit() else 0

    # ------------------------------------------------------------ calls
    def library_call(self, node: TSNode, state: ThreadState) -> Value | None:
        """The value of a CUB / cooperative-groups call, or None when the call is not one."""
        fn, args = node.child_by_field_name("function"), node.child_by_field_name("arguments").named_children
        if fn.type == "field_expression":
            obj, method = fn.child_by_field_name("argument"), text(fn.child_by_field_name("field"))
            if obj.type == "call_expression":
                cub = self.cub_type(text(obj.child_by_field_name("function")))
                if cub is not None:
                    return self.cub_reduce(cub, method, args, node, state)
            if obj.type == "identifier" and isinstance(state.env.get(text(obj)), Group):
                return self.group_method(state.env[text(obj)], method, args, node, state)
            return None
        found = CG_CALL.match(text(fn).replace(" ", ""))
        if found is None or found.group(1) not in CG_NAMESPACES:
            return None
        name, member, targ = text(fn), found.group(2), found.group(3)
        if member == "this_thread_block" and not args:
            return Group("block")
        if member == "tiled_partition" and targ is not None and len(args) == 1:
            size = self.types.get(targ, targ)
            if size != str(WARP):
                raise self.fail("C2C101", f"cooperative-groups tiles of {size} threads (only whole warps are lifted)", node)
            return Group("tile", WARP)
        if member == "sync" and len(args) == 1:
            self.barrier(state)  # cg::sync(group): a barrier
            return Idx(sx.const(0))
        if member == "reduce" and len(args) == 3:
            return self.cg_reduce(args, node, state)
        raise self.fail("C2C101", f"cooperative-groups call {name} is not lifted", node)

    def cub_reduce(self, cub: tuple[str, int], method: str, args: list[TSNode], node: TSNode, state: ThreadState) -> Value:
        kind, threads = cub
        if method == "Sum" and len(args) == 1:
            op = Op.ADD
        elif method == "Reduce" and len(args) == 2 and text(args[1]).replace(" ", "").removesuffix("()") in CUB_OPS:
            op = CUB_OPS[text(args[1]).replace(" ", "").removesuffix("()")]
        else:
            raise self.fail("C2C101", f"cub {kind}::{method} with these arguments (partial tiles, user functors) is not lifted",
                            node)
        value = self.expr(args[0], state)
        partial = value.partial if isinstance(value, WarpSums) else value
        if not isinstance(partial, Partial) or partial.op is not op:
            raise self.fail("C2C101", f"cub {kind}::{method} of a value that is not a partial of the same reduction", node)
        if kind == "WarpReduce":
            return self.warp_collective(value, "down", node, state)
        if threads <= 0 or threads % WARP:
            raise self.fail("C2C101", "a cub::BlockReduce whose thread count is not a known multiple of 32", node)
        if partial.lanes == "warp" or self.block_requirements.get("x", threads) != threads:
            raise self.fail("C2C101", f"cub::BlockReduce for {threads} threads over partials of another lane layout", node)
        self.block_requirements["x"] = threads
        if partial.lanes == "grid":
            return BlockShare(partial)
        result = self.total(partial, node)
        self.hold(result, THREAD0)  # CUB: the aggregate is defined in thread 0 only
        return result

    def cg_reduce(self, args: list[TSNode], node: TSNode, state: ThreadState) -> Value:
        group = self.expr(args[0], state)
        op_text = text(args[2]).replace(" ", "")
        m = re.match(r"^(?:\w+::)*(plus|greater|less)<[^>]*>\(\)$", op_text)
        if not isinstance(group, Group) or group.kind != "tile" or m is None:
            raise self.fail("C2C101", f"cg::reduce over {text(args[0])!r} with {op_text!r} is not lifted "
                            "(warp tiles with cg::plus / cg::greater / cg::less)", node)
        value = self.expr(args[1], state)
        partial = value.partial if isinstance(value, WarpSums) else value
        if not isinstance(partial, Partial) or partial.op is not CG_OPS[m.group(1)]:
            raise self.fail("C2C101", "cg::reduce of a value that is not a partial of the same reduction", node)
        return self.warp_collective(value, "xor", node, state)

    def warp_collective(self, value: Value, kind: str, node: TSNode, state: ThreadState) -> Value:
        """A whole-warp combination: like a shuffle loop of that kind (down: lane 0 holds it; xor: every lane)."""
        if isinstance(value, WarpSums):
            if value.partial.lanes == "grid":
                return BlockShare(value.partial)
            result = self.total(value.partial, node)
            self.hold(result, self.second_level_holders(value, kind, state))
            return result
        if value.lanes in ("block", "grid") and self.block_requirements.get("x") != WARP:
            return WarpReduced(value, kind)
        self.block_requirements["x"] = WARP
        result = self.total(value, node)
        self.hold(result, THREAD0 if kind == "down" else ALL)
        return result

    def group_method(self, group: Group, method: str, args: list[TSNode], node: TSNode, state: ThreadState) -> Value:
        tile = group.kind == "tile"
        if method == "sync" and not args:
            self.barrier(state)  # block.sync() / tile.sync(): shared memory written before it is visible after it
            return Idx(sx.const(0))
        if method == "thread_rank" and not args:
            return Idx(LANE if tile else TID)
        if method in ("size", "num_threads") and not args:
            return Idx(sx.const(group.size) if tile else BLOCK_DIM)
        if tile and method == "meta_group_rank" and not args:
            return Idx(WARP_INDEX)
        if tile and method == "meta_group_size" and not args:
            return Idx(sx.floordiv(sx.add(BLOCK_DIM, WARP - 1), WARP))
        raise self.fail("C2C101", f"{'tile' if tile else 'thread block'} method {method}() is not lifted here "
                        "(tile shuffles are lifted in halving loops)", node)
