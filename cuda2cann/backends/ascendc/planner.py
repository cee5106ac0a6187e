"""Choose the lowering of a lifted operator by its class."""
from __future__ import annotations

from cuda2cann.backends.ascendc.column_reduce import ColumnReducePlan, is_column_reduction, plan_column_reduce
from cuda2cann.backends.ascendc.full_reduce import FullReducePlan, plan_full_reduce
from cuda2cann.backends.ascendc.isel import Approximation, LowerError
from cuda2cann.backends.ascendc.pointwise import PointwisePlan, plan_pointwise
from cuda2cann.backends.ascendc.row_program import RowProgramPlan, plan_row_program
from cuda2cann.backends.ascendc.row_reduce import RowReducePlan, plan_row_reduce
from cuda2cann.frontend.cuda.domain import LiftedKernel
from cuda2cann.ir.nodes import Reduce, walk
from cuda2cann.validate.soc import SocProfile

PLANNERS = {"pointwise": plan_pointwise, "reduction": plan_row_reduce, "row": plan_row_program}


Plan = PointwisePlan | RowReducePlan | RowProgramPlan | FullReducePlan | ColumnReducePlan


def plan_operator(lifted: LiftedKernel, soc: SocProfile) -> Plan:
    plan = _plan(lifted, soc)
    if "welford" in lifted.reformulated:
        plan.notes.append(Approximation("Welford's running mean and m2 are computed as sum / n and the sum of squared "
                                        "deviations: equal in real arithmetic, rounded differently in fp32"))
    return plan


def _plan(lifted: LiftedKernel, soc: SocProfile) -> Plan:
    if lifted.operator.op_class == "reduction" and not lifted.operator.axes:
        return plan_full_reduce(lifted, soc)
    if lifted.operator.op_class == "reduction" and is_column_reduction(lifted):
        return plan_column_reduce(lifted, soc)
    if lifted.operator.op_class == "reduction" and _reductions_per_row(lifted) > 1:
        return plan_row_program(lifted, soc)  # one value per row from dependent reductions (logsumexp): passes per row
    planner = PLANNERS.get(lifted.operator.op_class)
    if planner is None:
        raise LowerError("C2C213", f"no AscendC lowering for the {lifted.operator.op_class} class yet")
    return planner(lifted, soc)


def _reductions_per_row(lifted: LiftedKernel) -> int:
    return len({n for st in lifted.operator.stores for n in walk(st.value) if isinstance(n, Reduce)})
