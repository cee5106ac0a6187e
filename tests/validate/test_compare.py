import numpy as np
import pytest

from cuda2cann.ir.dtypes import dtype, float32_to_bf16
from cuda2cann.validate.compare import Policy, compare_arrays, policy_for
from cuda2cann.validate.spec import Tolerance

F32, F16, BF16, I32 = dtype("float32"), dtype("float16"), dtype("bfloat16"), dtype("int32")


def test_identical_arrays_pass_with_zero_error():
    x = np.linspace(-3, 3, 101, dtype=np.float32)
    c = compare_arrays(x, x.copy(), F32, policy_for(F32))
    assert c.ok and c.max_abs_err == 0 and c.bad == 0


def test_fp32_double_ten_thousandths_rule():
    e = np.ones(10_000, dtype=np.float32)
    a = e.copy()
    a[0] = 1.001  # one bad element out of 10_000 is allowed (fraction 1e-4)
    assert compare_arrays(e, a, F32, policy_for(F32)).ok
    a[1] = 1.001
    c = compare_arrays(e, a, F32, policy_for(F32))
    assert not c.ok and c.bad == 2 and "flat index 0" in c.message


def test_small_absolute_error_passes_even_if_relative_error_is_large():
    e = np.array([1e-7], dtype=np.float32)
    a = np.array([2e-7], dtype=np.float32)  # rel 0.5 but abs 1e-7 < atol
    assert compare_arrays(e, a, F32, policy_for(F32)).ok


def test_fp16_double_thousandths_rule():
    e = np.full(100, 1.0, dtype=np.float16)
    one_ulp = np.full(100, 1.0009765625, dtype=np.float16)  # error 9.8e-4: within 1e-3
    two_ulp = np.full(100, 1.001953125, dtype=np.float16)  # error 2e-3 abs and rel: bad everywhere
    assert compare_arrays(e, one_ulp, F16, policy_for(F16)).ok
    assert not compare_arrays(e, two_ulp, F16, policy_for(F16)).ok
    assert not compare_arrays(e.astype(np.float32), one_ulp.astype(np.float32), F32, policy_for(F32)).ok


def test_integers_must_be_exact():
    e = np.arange(10, dtype=np.int32)
    a = e.copy()
    a[3] += 1
    assert not compare_arrays(e, a, I32, policy_for(I32)).ok
    assert compare_arrays(e, e.copy(), I32, policy_for(I32)).ok


@pytest.mark.parametrize("special", [np.nan, np.inf, -np.inf])
def test_special_values_must_match_positions(special):
    e = np.zeros(8, dtype=np.float32)
    a = e.copy()
    a[5] = special
    c = compare_arrays(e, a, F32, Policy(1e9, 1e9, 1.0))  # even an absurd tolerance cannot hide it
    assert not c.ok and "index 5" in c.message
    assert compare_arrays(a, a.copy(), F32, policy_for(F32)).ok


def test_inf_sign_matters():
    e = np.array([np.inf], dtype=np.float32)
    assert not compare_arrays(e, -e, F32, policy_for(F32)).ok


def test_bf16_compared_through_float32():
    e = float32_to_bf16(np.array([1.0, 2.0, 3.0], dtype=np.float32))
    a = float32_to_bf16(np.array([1.0, 2.0, 3.5], dtype=np.float32))
    assert not compare_arrays(e, a, BF16, policy_for(BF16)).ok
    assert compare_arrays(e, e.copy(), BF16, policy_for(BF16)).ok


def test_override_replaces_only_given_fields():
    p = policy_for(F32, Tolerance(rtol=1e-2))
    assert p.rtol == 1e-2 and p.atol == policy_for(F32).atol


def test_shape_mismatch_is_reported():
    c = compare_arrays(np.zeros(3, np.float32), np.zeros(4, np.float32), F32, policy_for(F32))
    assert not c.ok and "shape" in c.message
