"""Welford across the lanes of a row: per-lane (count, mean, m2) triples merged by warp shuffles (Chan's formula).

Each lane runs Welford's update over its strided elements (`n++; d = v - mean; mean += d / n; m2 += d * (v - mean)`);
a halving loop of shuffles merges the partner's triple:

    n_ab = n + n_b;  delta = mean_b - mean;  mean += delta * n_b / n_ab;  m2 += m2_b + delta * delta * n * n_b / n_ab

The merged triple is the row's count, mean and sum of squared deviations whatever the order, so the lifted values are
n, sum(v) / n and sum((v - mean)^2), computed with other rounding (the "welford" reformulation, stated in the plan).
A merge step is checked by evaluating it once with markers and then on a table of triples, empty ones included (a
merge of two empty lanes must stay empty, not divide 0 by 0).
"""
from __future__ import annotations

import math

from tree_sitter import Node as TSNode

from cuda2cann.frontend.cuda.accumulation import Accumulation, constant
from cuda2cann.frontend.cuda.cooperative_values import Partial
from cuda2cann.frontend.cuda.domain import _rename as rename_axes
from cuda2cann.frontend.cuda.lift import ThreadState, rebind_reduces
from cuda2cann.frontend.cuda.values import Idx, Val, Value, as_node
from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.dtypes import dtype
from cuda2cann.ir.interpreter import Interpreter
from cuda2cann.ir.nodes import Binary, Const, IndexValue, Reduce
from cuda2cann.ir.ops import Op

F32, INT32 = dtype("float32"), dtype("int32")
ROLES = ("count", "mean", "m2")
#: (own count, mean, m2, partner count, mean, m2): consistent statistics of small data sets, empty ones included
TRIPLE_TABLE = ((3, 1.0, 2.0, 5, 2.0, 4.0), (0, 0.0, 0.0, 4, 1.5, 3.0), (4, 1.5, 3.0, 0, 0.0, 0.0),
                (0, 0.0, 0.0, 0, 0.0, 0.0), (1, -2.0, 0.0, 2, 0.5, 0.5), (7, 0.25, 1.75, 1, -3.0, 0.0))


def evaluate(node, scalars: dict[str, float]) -> float:
    """A merge step's result on one row of a verdict table: the marker parameters bound to the row's values."""
    return float(Interpreter(None, {}, scalars).value(node))


def _merged(na: int, ma: float, qa: float, nb: int, mb: float, qb: float) -> tuple[float, float, float]:
    """Chan's merge of two (count, mean, m2) triples; two empty ones stay empty."""
    n = na + nb
    if n == 0:
        return 0.0, 0.0, 0.0
    delta = mb - ma
    return float(n), ma + delta * nb / n, qa + qb + delta * delta * na * nb / n


def merge_verdict(after: dict[str, Value], names: dict[str, str], markers: dict[str, Val]) -> str:
    """'' when the values after one step are Chan's merge of the marker triples, else the reason."""
    nodes = {}
    for role in ROLES:
        value = after.get(names[role])
        if not isinstance(value, (Val, Idx)):
            return f"the step does not leave a {role}"
        nodes[role] = as_node(value)
    params = [markers[f"own_{r}"].node.name for r in ROLES] + [markers[f"other_{r}"].node.name for r in ROLES]
    for row in TRIPLE_TABLE:
        scalars = dict(zip(params, row, strict=True))
        want = _merged(*row)
        for role, expected in zip(ROLES, want, strict=True):
            got = evaluate(nodes[role], scalars)
            if not math.isclose(got, expected, rel_tol=1e-5, abs_tol=1e-6):
                empty = row[0] == 0 and row[3] == 0
                return ("merging two empty lanes does not leave an empty triple (guard the division by n_a + n_b)" if empty
                        else f"the {role} is not Chan's merge of the two triples")
    return ""


class WelfordTriples:
    """Mixin of the CooperativeLifter: per-lane Welford triples and their merge across a warp."""

    def welford_partials(self, found: dict[str, Accumulation], counters: dict[str, int], axis: sx.Sym, extent: sx.Expr,
                         sub: ThreadState, state: ThreadState, lanes: str, body: TSNode) -> None:
        """The mean, m2 and count of a strided loop's Welford update as partials of one group."""
        means = [n for n, a in found.items() if a.kind == "mean"]
        if len(means) != 1:
            raise self.fail("C2C101", "a strided loop with more than one Welford update", body)
        mean = means[0]
        m2 = next(n for n, a in found.items() if a.kind == "m2")
        count = found[mean].count
        if counters.get(count) != 1 or sub.env[count] != Idx(sx.const(0), sub.env[count].type) \
                or constant(as_node(sub.env[mean])) != 0 or constant(as_node(sub.env[m2])) != 0:
            raise self.fail("C2C101", f"a Welford update whose count {count} or running mean / m2 does not start at 0", body)
        self.reformulated.add("welford")
        group = f"w{self.axis_counter + 1}"
        for name, role in ((count, "count"), (mean, "mean"), (m2, "m2")):
            self.axis_counter += 1
            k = sx.sym(f"k{self.axis_counter}", 0, None)
            f = Const(1, INT32) if role == "count" else rename_axes(found[name].body, {axis: k}, 0)
            state.env[name] = Partial(Op.ADD, k.name, extent, f, Const(0, f.dtype), lanes, welford=role, group=group)
            self.welford_groups.setdefault(group, {})[role] = state.env[name]

    def welford_totals(self, partials: dict[str, Partial]) -> dict[str, Value]:
        """count = n, mean = sum(f) / max(n, 1), m2 = sum((f - mean)^2)."""
        count, mean, m2 = (partials[r] for r in ROLES)
        n = sx.smax(count.extent, 0)
        f = mean.body if mean.body.dtype == F32 else as_node(Val(mean.body), F32)
        total_mean = Binary(Op.DIV, Reduce(Op.ADD, mean.axis, mean.extent, f, F32), IndexValue(sx.smax(count.extent, 1), F32))
        g = m2.body if m2.body.dtype == F32 else as_node(Val(m2.body), F32)
        deviation = Binary(Op.SUB, g, rebind_reduces(total_mean, mean.axis, f"{m2.axis}w"))
        total_m2 = Reduce(Op.ADD, m2.axis, m2.extent, Binary(Op.MUL, deviation, deviation), F32)
        return {"count": Val(IndexValue(n, INT32)), "mean": Val(total_mean), "m2": Val(total_m2)}

