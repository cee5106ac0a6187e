"""The reference interpreter: op semantics, and lifted kernels agreeing with their CUDA originals."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.dtypes import dtype
from cuda2cann.ir.interpreter import run
from cuda2cann.ir.nodes import Axis, Binary, Cast, Const, Load, Operator, ScalarParam, Select, Store, TensorParam, Unary
from cuda2cann.ir.ops import NUMPY, Op

F32, I32, F16 = dtype("float32"), dtype("int32"), dtype("float16")
I0 = sx.sym("i0", 0, None)
N = sx.sym("n", 0, None)


def unary_op(op: Op, x: np.ndarray, dt=F32) -> np.ndarray:
    node = Unary(op, Load("x", I0, dt))
    o = Operator("u", (TensorParam("x", dt, "input"), TensorParam("y", dt, "output"), ScalarParam("n", I32)), (Axis("i0", N),),
                 (Store("y", I0, node),), "pointwise")
    return run(o, {"x": x, "y": np.zeros_like(x)}, {"n": x.size})["y"]


@pytest.mark.parametrize("op", [Op.EXP, Op.LOG, Op.SQRT, Op.TANH, Op.ABS, Op.NEG, Op.FLOOR, Op.RINT, Op.SIGMOID])
def test_unary_ops_match_numpy_in_float32(op):
    x = np.linspace(0.1, 3.0, 17, dtype=np.float32)
    ref = {Op.SIGMOID: lambda v: 1 / (1 + np.exp(-v))}.get(op, NUMPY[op])
    np.testing.assert_allclose(unary_op(op, x), ref(x).astype(np.float32), rtol=1e-6)
    assert unary_op(op, x).dtype == np.float32


def test_integer_division_and_remainder_truncate_like_c():
    a = np.array([7, -7, 7, -7], dtype=np.int32)
    b = np.array([2, 2, -2, -2], dtype=np.int32)
    assert NUMPY[Op.DIV](a, b).tolist() == [3, -3, -3, 3]
    assert NUMPY[Op.MOD](a, b).tolist() == [1, -1, 1, -1]


def test_fmax_ignores_nan_like_fmaxf():
    assert NUMPY[Op.MAX](np.float32(np.nan), np.float32(1.0)) == 1.0


def test_half_arithmetic_rounds_to_half():
    x = np.array([1.0, 2049.0], dtype=np.float16)
    node = Binary(Op.ADD, Load("x", I0, F16), Const(1.0, F16))
    o = Operator("h", (TensorParam("x", F16, "input"), TensorParam("y", F16, "output")), (Axis("i0", N),), (Store("y", I0, node),),
                 "pointwise")
    y = run(o, {"x": x, "y": np.zeros_like(x)}, {"n": 2})["y"]
    # 2049 is not a half: stored as 2048; 2048 + 1 = 2049 is a tie between 2048 and 2050 and rounds to even (2048)
    assert y.dtype == np.float16 and y.tolist() == [2.0, 2048.0]


def test_cast_truncates_toward_zero_and_select_picks_per_element():
    x = np.array([-1.7, 1.7, 0.2], dtype=np.float32)
    node = Select(Binary(Op.GT, Load("x", I0, F32), Const(0.0, F32)), Cast(Load("x", I0, F32), I32), Const(-9, I32))
    o = Operator("c", (TensorParam("x", F32, "input"), TensorParam("y", I32, "output")), (Axis("i0", N),), (Store("y", I0, node),),
                 "pointwise")
    assert run(o, {"x": x, "y": np.zeros(3, np.int32)}, {"n": 3})["y"].tolist() == [-9, 1, 0]


def test_negative_extent_is_an_empty_domain():
    x = np.ones(3, np.float32)
    assert unary_op(Op.ABS, x[:0]).size == 0


CORPUS = Path(__file__).resolve().parents[2] / "op_corpus"
POINTWISE = ["vector_add", "saxpy", "gelu_tanh", "silu_half", "clamp_int32", "leaky_relu", "dequant_int8", "bias_add_2d",
             "row_sum", "row_max_warp", "softmax_rows"]


@pytest.mark.parametrize("name", POINTWISE)
def test_lifted_corpus_kernels_agree_with_their_cuda_originals(name):
    """The IR interpreter on the lifted kernel vs cuda-cpu on the original source, on the spec's edge cases."""
    from cuda2cann.frontend.cuda.translation_unit import analyse_file
    from cuda2cann.validate.compare import compare_arrays, policy_for
    from cuda2cann.validate.executors import CudaCpuExecutor
    from cuda2cann.validate.inputs import edge_cases, materialize
    from cuda2cann.validate.sandbox import Limits
    from cuda2cann.validate.soc import soc_profile
    from cuda2cann.validate.spec import load_spec

    spec = load_spec(CORPUS / name / f"{name}.c2c.toml")
    (k,) = analyse_file(spec.cuda.source).kernels
    op = k.lifted.operator
    cuda = CudaCpuExecutor(spec, soc_profile("Ascend910B2"), Limits())
    cuda.build()
    for case in edge_cases(spec)[:2]:
        data = materialize(spec, case)
        expected = cuda.run(data)
        assert expected.error is None, expected.error
        tensors = {t.name: (data.arrays[t.name].ravel() if t.is_input else np.zeros(int(np.prod(data.shapes[t.name])), t.dtype.storage))
                   for t in spec.tensors}
        scalars = {**case.symbols, **case.scalars}
        got = run(op, tensors, scalars)
        for t in spec.outputs:
            c = compare_arrays(expected.outputs[t.name].ravel(), got[t.name], t.dtype, policy_for(t.dtype))
            assert c.ok, f"{name} {case.describe()}: {c.message}"


def test_row_reduction_node():
    from cuda2cann.ir.nodes import Reduce
    from cuda2cann.ir.printer import format_node
    c = sx.sym("C", 0, None)
    k = sx.sym("k", 0, None)
    body = Binary(Op.MUL, Load("x", I0 * c + k, F32), Load("x", I0 * c + k, F32))
    red = Reduce(Op.ADD, "k", c, body, F32)
    o = Operator("sumsq", (TensorParam("x", F32, "input"), TensorParam("y", F32, "output"), ScalarParam("C", I32)),
                 (Axis("i0", N),), (Store("y", I0, Reduce(Op.MAX, "k", c, Load("x", I0 * c + k, F32), F32)),
                                    Store("y", I0 + N, red)), "row")
    x = np.arange(6, dtype=np.float32)
    y = run(o, {"x": x, "y": np.zeros(4, np.float32)}, {"n": 2, "C": 3})["y"]
    assert y.tolist() == [2.0, 5.0, 0 + 1 + 4, 9 + 16 + 25]
    assert format_node(red) == "reduce_add(k < C: mul(x[C*i0 + k], x[C*i0 + k]))"
    with pytest.raises(Exception, match="not a reduction op"):
        Reduce(Op.SUB, "k", c, body, F32)
