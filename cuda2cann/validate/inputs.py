"""Test cases for the harness: shape symbols, scalar values and tensor contents.

Shapes come from hypothesis strategies biased towards the sizes that break ports: 1, primes,
tails that are not a multiple of 32 bytes, sizes beyond the Unified Buffer, more blocks than cores.
Tensor contents are drawn from a numpy generator seeded by the case, so a case is a handful of
numbers that reproduce it exactly. A few fixed edge cases always run before the random ones.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from hypothesis import strategies as st

from cuda2cann.ir.dtypes import DType, from_float64
from cuda2cann.validate.expr import ExprError
from cuda2cann.validate.soc import DEFAULT_SOC, soc_profile
from cuda2cann.validate.spec import OperatorSpec, Scalar, SpecError, Symbol, Tensor

#: usable UB of the default SoC (910B: 192 KiB - 256 B - 8 KiB): what a case must exceed to test tiling
UB_USABLE_BYTES = soc_profile(DEFAULT_SOC).ub_usable
MAX_CASE_ELEMENTS = 1 << 23
SPECIAL_SIZES = (1, 2, 3, 5, 7, 8, 13, 16, 31, 32, 33, 63, 64, 127, 128, 255, 256, 257, 1000, 1021, 1024, 2047, 4099,
                 8191, 16384, 49157, 65537, 131071)


@dataclass(frozen=True)
class Case:
    """One input case: everything needed to regenerate its tensors."""

    symbols: dict[str, int]
    scalars: dict[str, float]
    profile: str
    data_seed: int
    label: str = "random"

    def describe(self) -> str:
        sym = ", ".join(f"{k}={v}" for k, v in self.symbols.items())
        sca = ", ".join(f"{k}={v:.6g}" for k, v in self.scalars.items())
        return f"{self.label}: {sym}{'; ' + sca if sca else ''}; values={self.profile}; data_seed={self.data_seed}"


@dataclass
class Materialized:
    """A case turned into concrete arrays (raw storage dtypes) and launch values."""

    case: Case
    env: dict[str, float]
    shapes: dict[str, tuple[int, ...]]
    arrays: dict[str, np.ndarray] = field(default_factory=dict)


def _fit(value: int, sym: Symbol) -> int:
    value = max(sym.min, min(sym.max, value))
    value -= value % sym.multiple_of
    return value if value >= sym.min else value + sym.multiple_of


def symbol_strategy(sym: Symbol) -> st.SearchStrategy[int]:
    specials = sorted({_fit(v, sym) for v in (*SPECIAL_SIZES, sym.min, sym.max) if sym.min <= _fit(v, sym) <= sym.max})
    log_uniform = st.integers(0, max(0, math.ceil(math.log2(max(sym.max, 1))))).flatmap(
        lambda k: st.integers(max(sym.min, 2 ** k // 2), max(sym.min, min(sym.max, 2 ** k))))
    return st.one_of(st.sampled_from(specials), log_uniform.map(lambda v: _fit(v, sym)))


def scalar_strategy(sc: Scalar) -> st.SearchStrategy[float]:
    if sc.dtype.is_float:  # bounds rounded inwards to float32 values, which hypothesis requires for width=32
        lo, hi = _f32_inward(sc.min, up=True), _f32_inward(sc.max, up=False)
        return st.floats(lo, max(lo, hi), allow_nan=False, allow_infinity=False, width=32)
    return st.integers(math.ceil(sc.min), math.floor(sc.max)).map(float)


def _f32_inward(x: float, up: bool) -> float:
    f = float(np.float32(x))
    if (f < x and up) or (f > x and not up):
        f = float(np.nextafter(np.float32(f), np.float32(np.inf if up else -np.inf)))
    return f


def case_strategy(spec: OperatorSpec) -> st.SearchStrategy[Case]:
    symbols = st.fixed_dictionaries({s.name: symbol_strategy(s) for s in spec.symbols})
    scalars = st.fixed_dictionaries({s.name: scalar_strategy(s) for s in spec.scalars})
    return st.builds(Case, symbols, scalars, st.sampled_from(spec.profiles), st.integers(0, 2 ** 32 - 1))


def admissible(spec: OperatorSpec, case: Case) -> bool:
    """The case satisfies the spec's `where` constraints and the harness's size cap."""
    env = {**case.symbols, **case.scalars}
    try:
        if not all(w.evaluate(env) for w in spec.where):
            return False
    except (ExprError, ZeroDivisionError, ValueError):
        return False
    return sum(math.prod(shape) for shape in tensor_shapes(spec, env).values()) <= MAX_CASE_ELEMENTS


def tensor_shapes(spec: OperatorSpec, env: dict[str, float]) -> dict[str, tuple[int, ...]]:
    return {t.name: tuple(int(d.evaluate(env)) for d in t.shape) for t in spec.tensors}


def edge_cases(spec: OperatorSpec) -> list[Case]:
    """Fixed cases that always run: smallest sizes, prime tails, and sizes beyond the UB."""
    mid = {s.name: (s.min + s.max) / 2 if s.dtype.is_float else float(round((s.min + s.max) / 2)) for s in spec.scalars}
    smallest = {s.name: _fit(max(s.min, 1), s) for s in spec.symbols}
    ragged = {s.name: _fit(_prime_at_most(min(s.max, 97)), s) for s in spec.symbols}
    cases = [Case(smallest, mid, "normal", 1, "smallest"), Case(ragged, mid, "uniform", 2, "ragged")]
    large = _beyond_ub(spec, ragged)
    if large is not None:
        cases.append(Case(large, mid, "normal", 3, "beyond-ub"))
    cases = [c for c in cases if admissible(spec, c)]
    for i, e in enumerate(spec.edges):  # asked for by name: never dropped silently
        case = Case(dict(e.symbols), mid, e.profile, 4 + i, e.label)
        if not admissible(spec, case):
            raise SpecError(spec.path, f"edge[{i}]", f"case {e.label!r} violates `where` or exceeds {MAX_CASE_ELEMENTS} elements")
        cases.append(case)
    return cases


def _beyond_ub(spec: OperatorSpec, start: dict[str, int]) -> dict[str, int] | None:
    """Grow symbols (keeping odd tails) until the largest tensor exceeds 4x the usable UB."""
    sizes = dict(start)
    for _ in range(64):
        shapes = tensor_shapes(spec, sizes)
        biggest = max((math.prod(shapes[t.name]) * t.dtype.itemsize for t in spec.tensors), default=0)
        if biggest > 4 * UB_USABLE_BYTES:
            return sizes
        growable = [s for s in spec.symbols if sizes[s.name] * 2 <= s.max]
        if not growable:
            return sizes if biggest > UB_USABLE_BYTES else None
        sym = max(growable, key=lambda s: s.max / max(sizes[s.name], 1))
        sizes[sym.name] = _fit(sizes[sym.name] * 2 + 1, sym)
    return None


def _prime_at_most(n: int) -> int:
    return next((p for p in range(max(n, 2), 1, -1) if all(p % d for d in range(2, int(p ** 0.5) + 1))), 1)


def materialize(spec: OperatorSpec, case: Case) -> Materialized:
    """Generate every input tensor of the case (outputs are filled per executor by the harness)."""
    env: dict[str, float] = {**case.symbols, **case.scalars}
    result = Materialized(case, env, tensor_shapes(spec, env))
    rng = np.random.default_rng(case.data_seed)
    for t in spec.tensors:
        if t.is_input:
            result.arrays[t.name] = tensor_values(t, result.shapes[t.name], case.profile, rng, env)
    return result


def tensor_values(t: Tensor, shape: tuple[int, ...], profile: str, rng: np.random.Generator,
                  env: dict[str, float] | None = None) -> np.ndarray:
    n = math.prod(shape)
    bounds = t.bounds(env or {})
    values = _float_profile(profile, n, rng, t.dtype) if t.dtype.is_float else _int_values(t, n, profile, rng, bounds)
    if bounds is not None:
        low, high = bounds
        if low >= 0:
            values = np.abs(values)
        values = np.clip(values, low, max(low, high))
    return from_float64(values, t.dtype).reshape(shape)


def _float_profile(profile: str, n: int, rng: np.random.Generator, dt: DType) -> np.ndarray:
    large = 1e3 if dt.name in ("float16",) else 1e4
    match profile:
        case "normal":
            return rng.standard_normal(n)
        case "uniform":
            return rng.uniform(-1.0, 1.0, n)
        case "tiny":
            return rng.uniform(-1e-3, 1e-3, n)
        case "large":
            return rng.uniform(-large, large, n)
        case "near_one":
            return 1.0 + rng.uniform(-1e-3, 1e-3, n)
        case "sparse":
            return rng.standard_normal(n) * (rng.random(n) < 0.1)
        case "special":
            v = rng.standard_normal(n)
            picks = rng.random(n)
            v[picks < 0.05] = np.nan
            v[(picks >= 0.05) & (picks < 0.1)] = np.inf
            v[(picks >= 0.1) & (picks < 0.15)] = -np.inf
            v[(picks >= 0.15) & (picks < 0.2)] = 0.0
            return v
    raise ValueError(f"unknown value profile {profile!r}")


def _int_values(t: Tensor, n: int, profile: str, rng: np.random.Generator, bounds: tuple[float, float] | None) -> np.ndarray:
    if t.dtype.name == "bool":
        return (rng.random(n) < (0.1 if profile == "sparse" else 0.5)).astype(np.float64)
    info = np.iinfo(t.dtype.storage)
    lo, hi = bounds if bounds is not None else (max(info.min, -100), min(info.max, 100))
    hi = max(lo, hi)
    values = rng.integers(int(lo), int(hi), n, endpoint=True).astype(np.float64)
    return values * (rng.random(n) < 0.1) if profile == "sparse" else values
