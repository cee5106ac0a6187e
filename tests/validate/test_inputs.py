import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cuda2cann.ir.dtypes import bf16_to_float32, dtype
from cuda2cann.validate.expr import parse
from cuda2cann.validate.inputs import (
    UB_USABLE_BYTES,
    Case,
    admissible,
    case_strategy,
    edge_cases,
    materialize,
    symbol_strategy,
    tensor_values,
)
from cuda2cann.validate.spec import Symbol, Tensor
from tests.validate.helpers import make_spec


@given(st.data())
@settings(max_examples=200)
def test_symbols_respect_range_and_multiple(data):
    lo = data.draw(st.integers(0, 100))
    hi = data.draw(st.integers(lo + 8, 10**6))
    sym = Symbol("n", lo, hi, data.draw(st.sampled_from([1, 2, 8])))
    v = data.draw(symbol_strategy(sym))
    assert lo <= v <= hi and v % sym.multiple_of == 0


def test_edge_cases_include_one_prime_tail_and_beyond_ub():
    spec = make_spec(n=(1, 300_000))
    cases = {c.label: c for c in edge_cases(spec)}
    assert cases["smallest"].symbols["n"] == 1
    assert cases["ragged"].symbols["n"] == 97  # prime: a tail that is not a multiple of 32 bytes
    assert cases["beyond-ub"].symbols["n"] * 4 > 4 * UB_USABLE_BYTES


def test_where_constraints_filter_cases():
    spec = make_spec(n=(1, 1000), where=("n % 2 == 0",))
    assert all(c.symbols["n"] % 2 == 0 for c in edge_cases(spec))
    assert not admissible(spec, Case({"n": 3}, {}, "normal", 0))


def test_materialize_is_deterministic_per_seed():
    spec = make_spec(n=(1, 100))
    a = materialize(spec, Case({"n": 50}, {}, "normal", 7))
    b = materialize(spec, Case({"n": 50}, {}, "normal", 7))
    c = materialize(spec, Case({"n": 50}, {}, "normal", 8))
    assert np.array_equal(a.arrays["x"], b.arrays["x"]) and not np.array_equal(a.arrays["x"], c.arrays["x"])
    assert "z" not in a.arrays  # outputs are filled by each executor with its own poison


def test_profiles_have_their_documented_ranges():
    rng = np.random.default_rng(0)
    t = Tensor("x", dtype("float32"), (parse("n"),), "input")
    assert np.abs(tensor_values(t, (1000,), "tiny", rng)).max() <= 1e-3
    assert np.abs(tensor_values(t, (1000,), "near_one", rng) - 1).max() <= 1e-3 + 1e-7
    assert (tensor_values(t, (1000,), "sparse", rng) == 0).mean() > 0.8
    special = tensor_values(t, (1000,), "special", rng)
    assert np.isnan(special).any() and np.isinf(special).any()


def test_range_makes_values_positive():
    t = Tensor("x", dtype("float32"), (parse("n"),), "input", 1e-3, 10.0)
    v = tensor_values(t, (1000,), "normal", np.random.default_rng(1))
    assert v.min() >= 1e-3 and v.max() <= 10


def test_bf16_values_are_rounded_bit_patterns():
    t = Tensor("x", dtype("bfloat16"), (parse("n"),), "input")
    v = tensor_values(t, (100,), "normal", np.random.default_rng(2))
    assert v.dtype == np.uint16 and np.isfinite(bf16_to_float32(v)).all()


@given(case=case_strategy(make_spec(n=(1, 5000))))
def test_strategy_cases_are_well_formed(case):
    assert 1 <= case.symbols["n"] <= 5000 and 0 <= case.data_seed < 2**32
    assert math.isfinite(case.data_seed)


@given(st.data())
def test_scalar_bounds_that_are_not_float32_values_still_work(data):
    from cuda2cann.validate.inputs import scalar_strategy
    from cuda2cann.validate.spec import Scalar
    v = data.draw(scalar_strategy(Scalar("alpha", dtype("float32"), 0.0, 0.1)))
    assert 0.0 <= v <= 0.1


def test_named_edge_cases_always_run_and_are_never_dropped():
    import dataclasses

    import pytest

    from cuda2cann.validate.spec import EdgeCase, SpecError
    spec = make_spec(("n % 2 == 1",), n=(1, 100))
    with_edge = dataclasses.replace(spec, edges=(EdgeCase("long", {"n": 70001}),))
    cases = edge_cases(with_edge)
    assert cases[-1].label == "long" and cases[-1].symbols == {"n": 70001}
    bad = dataclasses.replace(spec, edges=(EdgeCase("even", {"n": 70000}),))  # violates `where`
    with pytest.raises(SpecError, match=r"edge\[0\].*'even' violates"):
        edge_cases(bad)
