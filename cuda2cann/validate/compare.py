"""The comparison policy: when are two outputs numerically equivalent? (docs/comparison_policy.md)

Floating types follow Ascend's "double threshold" rule: an element is bad when its error exceeds
BOTH the absolute and the relative threshold, rel = |a-e| / (max(|a|,|e|) + tiny); the output passes
when the fraction of bad elements is at most `max_bad_fraction`. Integers and bool must be exact.
NaN positions must match, and infinities must match in position and sign, whatever the tolerance.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cuda2cann.ir.dtypes import DType, to_float64
from cuda2cann.validate.spec import Tolerance


@dataclass(frozen=True)
class Policy:
    rtol: float
    atol: float
    max_bad_fraction: float


#: fp16 "双千分之一", fp32 "双万分之一", bf16 "双千分之四" (reference/hardware_and_tolerances.md §4.2)
DEFAULT_POLICIES: dict[str, Policy] = {
    "float16": Policy(1e-3, 1e-3, 1e-3),
    "bfloat16": Policy(4e-3, 4e-3, 4e-3),
    "float32": Policy(1e-4, 1e-4, 1e-4),
    "float64": Policy(1e-9, 1e-9, 0.0),
}
EXACT = Policy(0.0, 0.0, 0.0)
REL_EPS = 1e-9


def policy_for(dt: DType, override: Tolerance | None = None) -> Policy:
    base = DEFAULT_POLICIES.get(dt.name, EXACT)
    if override is None:
        return base
    return Policy(override.rtol if override.rtol is not None else base.rtol,
                  override.atol if override.atol is not None else base.atol,
                  override.max_bad_fraction if override.max_bad_fraction is not None else base.max_bad_fraction)


@dataclass(frozen=True)
class Comparison:
    """Outcome of comparing one output tensor; `message` explains a failure with an example element."""

    ok: bool
    max_abs_err: float
    max_rel_err: float
    bad: int
    size: int
    message: str = ""


def compare_arrays(expected_raw: np.ndarray, actual_raw: np.ndarray, dt: DType, policy: Policy) -> Comparison:
    """Compare raw element arrays of dtype `dt` (expected = the CUDA reference)."""
    if expected_raw.shape != actual_raw.shape:
        return Comparison(False, np.inf, np.inf, expected_raw.size, expected_raw.size,
                          f"shape {actual_raw.shape} differs from the reference {expected_raw.shape}")
    e, a = to_float64(expected_raw, dt).ravel(), to_float64(actual_raw, dt).ravel()
    n = e.size
    if n == 0:
        return Comparison(True, 0.0, 0.0, 0, 0)
    special = _special_mismatch(e, a)
    finite = np.isfinite(e) & np.isfinite(a)
    with np.errstate(invalid="ignore", over="ignore"):
        abs_err = np.where(finite, np.abs(a - e), 0.0)
        rel_err = abs_err / (np.maximum(np.abs(a), np.abs(e)) + REL_EPS)
    max_abs = float(abs_err.max(initial=0.0))
    max_rel = float(rel_err.max(initial=0.0))
    if special is not None:
        return Comparison(False, max_abs, max_rel, int((~finite).sum()), n, special)
    bad_mask = (abs_err > policy.atol) & (rel_err > policy.rtol)
    bad = int(bad_mask.sum())
    if bad <= policy.max_bad_fraction * n:
        return Comparison(True, max_abs, max_rel, bad, n)
    i = int(np.argmax(np.where(bad_mask, abs_err, -1.0)))
    return Comparison(False, max_abs, max_rel, bad, n,
                      f"{bad} of {n} elements exceed atol={policy.atol:g} and rtol={policy.rtol:g} "
                      f"(allowed {int(policy.max_bad_fraction * n)}); worst at flat index {i}: "
                      f"expected {e[i]:.9g}, got {a[i]:.9g}")


def _special_mismatch(e: np.ndarray, a: np.ndarray) -> str | None:
    nan_e, nan_a = np.isnan(e), np.isnan(a)
    if (nan_e != nan_a).any():
        i = int(np.argmax(nan_e != nan_a))
        return f"NaN positions differ: first at flat index {i} (expected {e[i]:.9g}, got {a[i]:.9g})"
    inf_e, inf_a = np.isinf(e), np.isinf(a)
    diff = (inf_e | inf_a) & ~(nan_e | nan_a) & (e != a)
    if diff.any():
        i = int(np.argmax(diff))
        return f"infinities differ: first at flat index {i} (expected {e[i]:.9g}, got {a[i]:.9g})"
    return None
