"""The values of cooperative lifting: what a thread holds while the threads of a block cooperate.

A partial reduction strided over lanes, shared memory in each state of a reduction, a warp's share after a
shuffle loop, per-warp slots and their guarded read, a block's share of a grid-wide reduction — and which threads
hold a complete value (thread 0, warp 0, lane 0 of each warp, all).
"""
from __future__ import annotations

from dataclasses import dataclass

from cuda2cann.frontend.cuda.values import Value
from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.ops import Op

TID = sx.sym("threadIdx.x", 0, None)
WARP = 32
LANE, WARP_INDEX = sx.mod(TID, WARP), sx.floordiv(TID, WARP)  # `threadIdx.x % 32`, `threadIdx.x / 32`


@dataclass(frozen=True)
class Partial:
    """A thread's share of a reduction: op over k in [0, extent) of body, strided across the lanes."""

    op: Op
    axis: str
    extent: sx.Expr
    body: object  # ir Node
    init: object  # ir Node
    #: "block" (strided by blockDim.x), "warp" (by 32), "grid" (by all threads of the grid) or "grid-once" (one element
    #: per thread of the grid: `sh[tid] = i < n ? f(i) : identity` with i = blockIdx.x * blockDim.x + threadIdx.x)
    lanes: str
    #: an online-softmax sum: the name of the running maximum whose total replaces online_placeholder(name) in body
    online_max: str = ""
    #: an argmax / argmin: the axis of the value partial whose extreme's first position it is
    arg_of: str = ""
    #: a lane's Welford statistic ("count", "mean", "m2") and the group of the three
    welford: str = ""
    group: str = ""


GRID_WIDE = ("grid", "grid-once")  # partials spread over the whole grid: each block combines a share of them


@dataclass(frozen=True)
class Shared:
    """A __shared__ array (or scalar): empty, holding each lane's partial, one combination per warp, or reduced
    (element 0, or the scalar, holds a value every thread may read after the barrier)."""

    name: str
    partial: Partial | None = None
    reduced: Value | None = None
    per_warp: Partial | None = None
    scalar: bool = False
    #: each thread's one element (`sh[tid] = v`), a partial once a tree gives its op
    lane_value: Value | None = None
    lane_store: object = None  # the syntax node of that store, for findings
    #: lanes [0, remaining) hold combinations after some tree steps (None: every lane of the block, no step yet)
    remaining: sx.Expr | None = None
    #: no write since the last barrier (`__syncthreads` / `__syncwarp`): other lanes may read what was written
    synced: bool = True
    #: read by other threads than its writer since the last barrier: overwriting it first needs a barrier
    read_by_others: bool = False


@dataclass(frozen=True)
class WarpReduced:
    """A shuffle loop over block-strided partials: each warp's combination, in its lane 0 (down) or all lanes (xor).

    It is the whole row's result only if the block is one warp; stored to `sh[warp]` it is the first level of a
    two-level reduction. The choice is made where the value is used (see CooperativeLifter.expr).
    """

    partial: Partial
    kind: str  # down | xor


@dataclass(frozen=True)
class WarpSlots:
    """`sh[lane]` of an array holding one combination per warp: meaningful only in lanes below the warp count."""

    partial: Partial


@dataclass(frozen=True)
class WarpSums:
    """A guarded read of the per-warp slots: lane l holds warp l's combination for l < warps, the identity elsewhere.

    guard "tid" (`threadIdx.x < warps`): only warp 0 holds data; "lane" (`lane < warps`): every warp holds all.
    """

    partial: Partial
    guard: str


@dataclass(frozen=True)
class BlockShare:
    """A block's combination of grid-strided partials: the whole reduction only once one thread per block adds it
    atomically into global memory (`if (threadIdx.x == 0) atomicAdd(out, sh[0])`)."""

    partial: Partial


#: which threads hold a complete value, from fewest to most
THREAD0, WARP0, LANE0, ALL = "thread 0", "warp 0", "lane 0 of each warp", "every thread"
#: holders → the thread sets (restrictions of a store's conditions) that may write the value
MAY_WRITE = {THREAD0: {THREAD0}, WARP0: {THREAD0, WARP0}, LANE0: {THREAD0, LANE0}, ALL: {THREAD0, WARP0, LANE0, ALL}}
COOPERATIVE = (Shared, Partial, WarpReduced, WarpSlots, WarpSums, BlockShare)
GRID_START = sx.add(sx.mul(sx.sym("gid.b", 0, None), sx.sym("blockDim.x", 1, None)), TID)  # blockIdx.x * blockDim.x + tid
