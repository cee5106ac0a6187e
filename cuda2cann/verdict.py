"""Whether a kernel found by the CUDA frontend ports to AscendC: lifted, then planned for the SoC, or the finding that stops it.

`translate` and `scan` share this one decision, so the inventory never promises a port that `translate` refuses.
"""
from __future__ import annotations

from dataclasses import dataclass

from cuda2cann.backends.ascendc.isel import Approximation, LowerError
from cuda2cann.backends.ascendc.planner import plan_operator
from cuda2cann.frontend.cuda.translation_unit import INTERNAL_ERRORS, KernelOutcome
from cuda2cann.validate.soc import SocProfile


@dataclass(frozen=True)
class KernelVerdict:
    """`plan` is set when the kernel translates; otherwise `code`/`message` say why not (C2C1xx lifting, C2C2xx lowering)."""

    plan: object | None
    op_class: str | None
    code: str | None = None
    message: str = ""

    @property
    def translates(self) -> bool:
        return self.plan is not None

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(self.plan.notes) if self.plan is not None else ()

    @property
    def approximations(self) -> tuple[str, ...]:
        """The notes that state a numerical approximation (erf by a polynomial, fp64 in fp32)."""
        return tuple(n for n in self.notes if isinstance(n, Approximation))


def judge_kernel(kernel: KernelOutcome, soc: SocProfile) -> KernelVerdict:
    if kernel.lifted is None:
        return KernelVerdict(None, None, kernel.code, kernel.message)
    op_class = kernel.lifted.operator.op_class
    try:
        return KernelVerdict(plan_operator(kernel.lifted, soc), op_class)
    except LowerError as exc:
        return KernelVerdict(None, op_class, exc.code, exc.message)
    except INTERNAL_ERRORS as exc:  # a bug of ours: a finding for this kernel, the others go on
        return KernelVerdict(None, op_class, "C2C199", f"internal error while lowering ({type(exc).__name__}: {exc}); "
                             "please report it")
