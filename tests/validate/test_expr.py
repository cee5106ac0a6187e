import pytest
from hypothesis import given
from hypothesis import strategies as st

from cuda2cann.validate.expr import ExprError, parse


@pytest.mark.parametrize(("text", "env", "value"), [
    ("ceil_div(n, 256)", {"n": 257}, 2),
    ("min(cores, ceil_div(n, 4096))", {"n": 10**6, "cores": 48}, 48),
    ("align_up(n, 8) * 4", {"n": 9}, 64),
    ("n % 8 == 0 and n > 0", {"n": 16}, True),
    ("not n", {"n": 0}, True),
    ("-n + 2 ** 3", {"n": 1}, 7),
    (256, {}, 256),
])
def test_evaluates(text, env, value):
    assert parse(text).evaluate(env) == value


@pytest.mark.parametrize(("text", "fragment"), [
    ("__import__('os')", "only these functions"),
    ("x.y", "unsupported syntax"),
    ("'a'", "unsupported syntax"),
    ("n +", "cannot parse"),
    ("n in m", "unsupported syntax"),
])
def test_rejects_unsafe_or_malformed(text, fragment):
    with pytest.raises(ExprError, match=fragment):
        parse(text).evaluate({"n": 1, "m": 2})


def test_unknown_name_lists_known_ones():
    with pytest.raises(ExprError, match=r"unknown name 'rows'.*known: n"):
        parse("rows * 2").evaluate({"n": 1})


def test_integer_true_division_is_rejected():
    with pytest.raises(ExprError, match="use // or ceil_div"):
        parse("n / 2").evaluate({"n": 4})


def test_names_are_free_variables_only():
    assert parse("max(a, ceil_div(b, 2))").names == {"a", "b"}


@given(st.integers(0, 10**9), st.integers(1, 10**6))
def test_ceil_div_matches_definition(a, b):
    q = parse("ceil_div(a, b)").evaluate({"a": a, "b": b})
    assert (q - 1) * b < a <= q * b or (a == 0 and q == 0)
