"""One CUDA file through the frontend: preprocess, parse, find kernels, lift each one."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cuda2cann.frontend.cuda.cooperative import CooperativeLifter, lane_conditions_removed
from cuda2cann.frontend.cuda.domain import LiftedKernel, build_operator
from cuda2cann.frontend.cuda.kernels import FunctionDef, LaunchSite, function_defs, launch_sites, type_aliases
from cuda2cann.frontend.cuda.lift import Lifter, LiftError
from cuda2cann.frontend.cuda.parser import parse, walk
from cuda2cann.frontend.cuda.preprocess import Preprocessed, preprocess


@dataclass
class KernelOutcome:
    """A kernel found in the file: lifted, or the finding that stopped it."""

    name: str
    line: int
    lifted: LiftedKernel | None = None
    code: str | None = None
    message: str = ""
    #: template arguments the kernel was instantiated with for lifting
    template_args: dict[str, str] = field(default_factory=dict)


@dataclass
class TranslationUnit:
    path: Path
    pre: Preprocessed
    kernels: list[KernelOutcome]
    launches: list[LaunchSite]


def analyse_file(path: Path, include_dirs: tuple[Path, ...] = (), defines: dict[str, str] | None = None,
                 template_dtypes: tuple[str, ...] = ("float",)) -> TranslationUnit:
    """Lift every `__global__` kernel of `path`; templated kernels are instantiated per launch or `template_dtypes`."""
    pre = preprocess(path, include_dirs, defines)
    tree = parse(pre.text.encode())
    fns = function_defs(tree.root_node)
    device = {f.name: f for f in fns if not f.is_kernel}
    launches = launch_sites(tree.root_node)
    aliases = type_aliases(tree.root_node)
    outcomes = []
    for k in (f for f in fns if f.is_kernel):
        for targs in _instantiations(k, launches, template_dtypes):
            outcome = _lift_one(k, device, pre, targs, str(path), aliases)
            if outcome.lifted is not None:
                outcome.lifted.launch_block = _launch_block(k, launches, targs)
            outcomes.append(outcome)
    return TranslationUnit(path, pre, outcomes, launches)


def _launch_block(k: FunctionDef, launches: list[LaunchSite], targs: dict[str, str]) -> tuple[int, ...] | None:
    """The literal block shape shared by every launch of this instantiation in the file (None if unknown or mixed)."""
    shapes = {ls.block_dims() for ls in launches if ls.kernel == k.name and ls.template_args == tuple(targs.values())}
    return shapes.pop() if len(shapes) == 1 else None


def _instantiations(k: FunctionDef, launches: list[LaunchSite], defaults: tuple[str, ...]) -> list[dict[str, str]]:
    if not k.template_params:
        return [{}]
    seen = [ls.template_args for ls in launches if ls.kernel == k.name and len(ls.template_args) == len(k.template_params)]
    if not seen:
        seen = [(d,) * len(k.template_params) for d in defaults]
    unique = list(dict.fromkeys(seen))
    return [dict(zip(k.template_params, args, strict=True)) for args in unique]


INTERNAL_ERRORS = (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError, NameError)


def _internal(k: FunctionDef, line: int, targs: dict[str, str], exc: Exception) -> KernelOutcome:
    return KernelOutcome(k.name, line, code="C2C199", template_args=targs,
                         message=f"internal error while lifting ({type(exc).__name__}: {exc}); please report it")


def _lift_one(k: FunctionDef, device: dict[str, FunctionDef], pre: Preprocessed, targs: dict[str, str], file: str,
              aliases: dict[str, str]) -> KernelOutcome:
    line = pre.origin(k.node.start_point[0] + 1)[1]
    name = k.name + ("_" + "_".join(targs.values()) if targs else "")
    broken = next((n for n in walk(k.node) if n.type == "ERROR" or n.is_missing), None)
    if broken is not None:
        return KernelOutcome(k.name, pre.origin(broken.start_point[0] + 1)[1], code="C2C002", template_args=targs,
                             message="the kernel does not parse cleanly here (unexpanded macro or syntax the parser does not know)")
    line_map = lambda ln: (pre.origin(ln)[0], pre.origin(ln)[1], pre.origin(ln)[1])  # noqa: E731

    def attempt(cls: type[Lifter]) -> KernelOutcome:
        lifter = cls(k, device, file, {**aliases, **targs})
        lifter.run()
        if isinstance(lifter, CooperativeLifter):
            lifter.check_lane_results()
            for st in lifter.stores:
                st.conds = lane_conditions_removed(st.conds, st.index)
        lifted = build_operator(lifter, name, file, line_map)
        lifted.uses_dynamic_shared = getattr(lifter, "uses_dynamic_shared", False)
        lifted.reformulated = frozenset(lifter.reformulated)
        return KernelOutcome(k.name, line, lifted, template_args=targs)

    try:
        try:
            return attempt(Lifter)
        except LiftError as exc:
            if exc.code not in ("C2C101", "C2C102"):
                raise
            first = exc
        try:  # threads cooperate: try the reduction idioms; report whichever finding is more specific
            return attempt(CooperativeLifter)
        except LiftError as exc:
            raise (exc if (exc.line, exc.message) != (first.line, first.message) else first) from None
    except LiftError as exc:
        return KernelOutcome(k.name, pre.origin(exc.line)[1], code=exc.code, message=exc.message, template_args=targs)
    except INTERNAL_ERRORS as exc:  # a bug of ours: still a finding
        return _internal(k, line, targs, exc)
