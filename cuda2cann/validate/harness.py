"""The validation harness: run the CUDA and the AscendC version of an operator on the same cases.

For each case (fixed edge cases first, then hypothesis-drawn ones) the CUDA reference runs on
cuda-cpu, the AscendC version on cann-cpu, and every output is compared under the dtype's policy.
A real GPU / NPU joins when detected. The first mismatch is shrunk by hypothesis to a small case
and reported with the command that reproduces it.
"""
from __future__ import annotations

import contextlib
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, Verbosity, assume, given, settings
from hypothesis import seed as hypothesis_seed

from cuda2cann.validate.compare import compare_arrays, policy_for
from cuda2cann.validate.cuda_cpu_source import CudaSourceError
from cuda2cann.validate.executors import CannCpuExecutor, CudaCpuExecutor, Executor, GpuExecutor, NpuExecutor
from cuda2cann.validate.inputs import Case, admissible, case_strategy, edge_cases, materialize
from cuda2cann.validate.results import ValidationResult
from cuda2cann.validate.sandbox import Limits
from cuda2cann.validate.soc import DEFAULT_SOC, soc_profile
from cuda2cann.validate.spec import OperatorSpec, SpecError
from cuda2cann.validate.toolchain import BuildError


@dataclass(frozen=True)
class ValidateOptions:
    """How hard to look: random cases beyond the edge cases, seed, target SoC, limits."""

    cases: int | None = None
    seed: int | None = None
    soc: str = DEFAULT_SOC
    timeout_s: float | None = None
    memory_bytes: int = 8 << 30
    shrink: bool = True
    devices: bool = True


@dataclass
class CaseVerdict:
    ok: bool
    message: str = ""
    max_abs_err: float = 0.0
    max_rel_err: float = 0.0
    reference_failed: bool = False
    counters: dict | None = None


@dataclass
class _Tally:
    cases: int = 0
    max_abs_err: float = 0.0
    max_rel_err: float = 0.0
    failures: list[tuple[Case, CaseVerdict]] = field(default_factory=list)
    counters: dict | None = None
    counter_case_size: int = -1


class _Mismatch(AssertionError):
    pass


def validate_spec(spec: OperatorSpec, options: ValidateOptions = ValidateOptions()) -> ValidationResult:
    """Validate one operator; never raises for problems of the operator itself."""
    result = ValidationResult(str(spec.path), spec.cuda.kernel, "skipped")
    if spec.ascendc is None:
        result.status, result.message = "unported", "the spec has no [ascendc] section: no AscendC version to compare"
        return result
    try:
        fixed_cases = edge_cases(spec)
    except SpecError as exc:
        result.status, result.message = "error", str(exc)
        return result
    soc = soc_profile(options.soc)
    limits = Limits(options.timeout_s or spec.timeout_s, options.memory_bytes)
    reference, port = CudaCpuExecutor(spec, soc, limits), CannCpuExecutor(spec, soc, limits)
    devices = [GpuExecutor(spec, soc, limits), NpuExecutor(spec, soc, limits)] if options.devices else []
    active = [reference, port]
    for dev in devices:
        reason = dev.unavailable()
        result.executors[dev.name] = reason or "ran"
        if reason is None:
            active.append(dev)
    try:
        for ex in active:
            ex.build()
    except (BuildError, CudaSourceError, OSError) as exc:
        result.status, result.message = "error", f"build of {ex.name} failed: {exc}"
        result.executors[ex.name] = "build failed"
        return result
    result.executors.update({reference.name: "ran", port.name: "ran"})
    seed = options.seed if options.seed is not None else secrets.randbits(32)
    n_random = options.cases if options.cases is not None else spec.cases
    tally = _Tally()
    check = _checker(spec, reference, active[1:], tally)
    for case in fixed_cases:
        if not check(case).ok:
            break
    else:
        _run_random(spec, check, n_random, seed, options.shrink)
    return _finish(result, spec, tally, seed, n_random)


def _checker(spec: OperatorSpec, reference: Executor, others: list[Executor], tally: _Tally) -> Callable[[Case], CaseVerdict]:
    def check(case: Case) -> CaseVerdict:
        data = materialize(spec, case)
        tally.cases += 1
        verdict = _compare_case(spec, data, reference, others)
        tally.max_abs_err = max(tally.max_abs_err, verdict.max_abs_err)
        tally.max_rel_err = max(tally.max_rel_err, verdict.max_rel_err)
        size = sum(math.prod(s) for s in data.shapes.values())
        if verdict.counters is not None and size > tally.counter_case_size:
            tally.counters, tally.counter_case_size = verdict.counters, size
        if not verdict.ok:
            tally.failures.append((case, verdict))
        return verdict
    return check


def _compare_case(spec: OperatorSpec, data, reference: Executor, others: list[Executor]) -> CaseVerdict:
    expected = reference.run(data)
    if expected.error:
        return CaseVerdict(False, f"the CUDA reference failed: {expected.error}", reference_failed=True)
    verdict = CaseVerdict(True)
    for ex in others:
        got = ex.run(data)
        if ex.name == "cann-cpu" and got.counters is not None:
            verdict.counters = got.counters.get("total", got.counters)
        if got.error:
            return CaseVerdict(False, got.error, counters=verdict.counters)
        for t in spec.outputs:
            cmp = compare_arrays(expected.outputs[t.name], got.outputs[t.name], t.dtype,
                                 policy_for(t.dtype, spec.tolerances.get(t.name)))
            verdict.max_abs_err = max(verdict.max_abs_err, cmp.max_abs_err)
            verdict.max_rel_err = max(verdict.max_rel_err, cmp.max_rel_err)
            if not cmp.ok:
                verdict.ok = False
                verdict.message = f"{ex.name} output '{t.name}': {cmp.message}"
                return verdict
    return verdict


def _run_random(spec: OperatorSpec, check: Callable[[Case], CaseVerdict], n: int, seed: int, shrink: bool) -> None:
    if n <= 0:
        return

    @settings(max_examples=n, database=None, deadline=None, verbosity=Verbosity.quiet, print_blob=False,
              suppress_health_check=list(HealthCheck), report_multiple_bugs=False,
              phases=[Phase.generate, Phase.shrink] if shrink else [Phase.generate])
    @given(case_strategy(spec))
    def prop(case: Case) -> None:
        assume(admissible(spec, case))
        verdict = check(case)
        if not verdict.ok:
            raise _Mismatch(verdict.message)

    with contextlib.suppress(_Mismatch):  # recorded by the checker; the last failure is the shrunk one
        hypothesis_seed(seed)(prop)()


def _finish(result: ValidationResult, spec: OperatorSpec, tally: _Tally, seed: int, n_random: int) -> ValidationResult:
    result.cases, result.seed, result.counters = tally.cases, seed, tally.counters
    result.max_abs_err, result.max_rel_err = tally.max_abs_err, tally.max_rel_err
    if not tally.failures:
        result.status = "equivalent"
        return result
    case, verdict = tally.failures[-1]
    result.status = "error" if verdict.reference_failed else "mismatch"
    result.reproduce = f"cuda2cann validate {spec.path} --seed {seed} --cases {n_random}"
    result.message = f"{verdict.message} [case {case.describe()}]"
    return result
