"""Row-reduction lowering, validated against the corpus CUDA originals (the lifted IR is built by hand here
until the reduction lifter exists)."""
from __future__ import annotations

from pathlib import Path

import pytest

from cuda2cann.backends.ascendc.render import render_operator
from cuda2cann.backends.ascendc.row_reduce import plan_row_reduce
from cuda2cann.backends.ascendc.syntax_check import cann_root, syntax_check
from cuda2cann.frontend.cuda.domain import LiftedKernel
from cuda2cann.ir import symbolic as sx
from cuda2cann.ir.dtypes import dtype
from cuda2cann.ir.nodes import Axis, Binary, Load, Operator, Reduce, ScalarParam, Store, TensorParam
from cuda2cann.ir.ops import Op
from cuda2cann.validate.harness import ValidateOptions, validate_spec
from cuda2cann.validate.soc import soc_profile
from cuda2cann.validate.spec import load_spec

CORPUS = Path(__file__).resolve().parents[2] / "op_corpus"
F32, I32 = dtype("float32"), dtype("int32")
ROW, K = sx.sym("i0", 0, None), sx.sym("k", 0, None)
ROWS, COLS = sx.sym("rows", None, None), sx.sym("cols", None, None)


def row_op(op: Op, body_of, name="row_sum") -> LiftedKernel:
    x = Load("x", sx.add(sx.mul(ROW, COLS), K), F32)
    value = Reduce(op, "k", COLS, body_of(x), F32)
    o = Operator(name, (TensorParam("x", F32, "input"), TensorParam("out", F32, "output"), ScalarParam("rows", I32),
                        ScalarParam("cols", I32)), (Axis("i0", ROWS),), (Store("out", ROW, value),), "row")
    return LiftedKernel(o, {"i0": "blockIdx.x"})


def write_port(tmp_path: Path, lifted: LiftedKernel, spec_from: str) -> Path:
    plan = plan_row_reduce(lifted, soc_profile("Ascend910B2"))
    files = render_operator(plan)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    spec = (CORPUS / spec_from / f"{spec_from}.c2c.toml").read_text()
    spec = spec.replace(f'source = "{spec_from}.cu"', f'source = "{CORPUS / spec_from / (spec_from + ".cu")}"')
    ascendc = spec.index("[ascendc]")
    spec = spec[:ascendc] + (f'[ascendc]\nsource = "{plan.name}.cpp"\nkernel = "{plan.name}"\nargs = ["x", "out", "tiling"]\n'
                             'block_dim = "max(1, min(cores, rows))"\n[ascendc.tiling]\nc2cRows = ["uint32_t", "rows"]\n'
                             'c2cCols = ["uint32_t", "cols"]\nrows = ["int32_t", "rows"]\ncols = ["int32_t", "cols"]\n')
    path = tmp_path / "port.c2c.toml"
    path.write_text(spec)
    return path


def test_row_sum_one_pass_and_chunked_is_equivalent_to_the_cuda_tree_reduction(tmp_path):
    """cols up to 8192 in the corpus spec: rows both within one chunk and over several chunks."""
    spec = write_port(tmp_path, row_op(Op.ADD, lambda x: x), "row_sum")
    result = validate_spec(load_spec(spec), ValidateOptions(cases=4, seed=2, devices=False))
    assert result.status == "equivalent", result.message


def test_row_max_of_a_pointwise_expression(tmp_path):
    """max over c of x: the warp-shuffle corpus kernel row_max_warp computes the same."""
    lifted = row_op(Op.MAX, lambda x: x, "row_max")
    plan = plan_row_reduce(lifted, soc_profile("Ascend910B2"))
    assert plan.reduce_api == "ReduceMax" and not plan.negate


def test_min_is_the_negated_max_of_the_negation():
    plan = plan_row_reduce(row_op(Op.MIN, lambda x: Binary(Op.MUL, x, x)), soc_profile("Ascend910B2"))
    assert plan.negate and plan.reduce_api == "ReduceMax" and "(-reduced)" in plan.finish


def test_a_mutated_row_reduction_is_a_mismatch(tmp_path):
    spec = write_port(tmp_path, row_op(Op.ADD, lambda x: x), "row_sum")
    kernel = tmp_path / "row_sum.cpp"
    kernel.write_text(kernel.read_text().replace("AscendC::Add(acc, acc,", "AscendC::Max(acc, acc,"))
    result = validate_spec(load_spec(spec), ValidateOptions(cases=1, seed=2, devices=False, shrink=False))
    assert result.status == "mismatch"


@pytest.mark.skipif(cann_root() is None, reason="set CUDA2CANN_CANN_ROOT to a CANN toolkit to check against the real headers")
def test_row_reduce_kernel_compiles_with_the_real_headers(tmp_path):
    write_port(tmp_path, row_op(Op.MIN, lambda x: Binary(Op.MUL, x, x)), "row_sum")
    assert syntax_check(tmp_path / "row_sum.cpp", cann_root()) == []


def test_accumulator_not_at_identity_is_combined_on_the_scalar_unit():
    """`amax = 0; amax = fmaxf(amax, |x|)` → max(0, reduce_max |x|): the max with the start value runs after the reduce."""
    from cuda2cann.ir.nodes import Const, Unary
    lifted = row_op(Op.MAX, lambda x: Unary(Op.ABS, x), "absmax")
    (store,) = lifted.operator.stores
    value = Binary(Op.DIV, Binary(Op.MAX, Const(0.0, F32), store.value), Const(127.0, F32))
    op = lifted.operator
    lifted = LiftedKernel(Operator(op.name, op.params, op.axes, (Store("out", ROW, value),), "reduction"), {"i0": "gid.r"})
    plan = plan_row_reduce(lifted, soc_profile("Ascend910B2"))
    zero, d = "0.0f", "127.0f"
    assert plan.finish == f"(({zero} > reduced ? {zero} : reduced) / {d})"


def test_an_infinite_start_value_is_a_cpp_constant():
    """`m = INFINITY; m = fmaxf(m, x)` → max(inf, reduce_max x): the finishing expression spells inf as C++ can."""
    from cuda2cann.ir.nodes import Const
    lifted = row_op(Op.MAX, lambda x: x, "max_from_inf")
    (store,) = lifted.operator.stores
    op = lifted.operator
    value = Binary(Op.MAX, Const(float("inf"), F32), store.value)
    lifted = LiftedKernel(Operator(op.name, op.params, op.axes, (Store("out", ROW, value),), "reduction"), {"i0": "gid.r"})
    plan = plan_row_reduce(lifted, soc_profile("Ascend910B2"))
    inf = "static_cast<float>(__builtin_inff())"
    assert plan.finish == f"({inf} > reduced ? {inf} : reduced)"


def test_generated_spec_launches_like_the_files_own_launch_site(tmp_path):
    """A static sh[128] launched <<<rows, 128>>>: validating with 256 threads would overrun the shared array."""
    from cuda2cann.translate import translate_tree
    src = tmp_path / "src"
    src.mkdir()
    (src / "k.cu").write_text("""
__global__ void rowsum128(const float* x, float* out, int rows, int cols) {
  __shared__ float sh[128];
  int row = blockIdx.x;
  if (row >= rows) return;
  float acc = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) acc += x[row * cols + c];
  sh[threadIdx.x] = acc;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) { if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s]; __syncthreads(); }
  if (threadIdx.x == 0) out[row] = sh[0];
}
void launch(const float* x, float* out, int rows, int cols) { rowsum128<<<rows, 128>>>(x, out, rows, cols); }
""")
    (record,) = translate_tree(src, tmp_path / "out", validate=True, options=ValidateOptions(cases=2, seed=1, devices=False))
    assert 'block = ["128"]' in (Path(record.output) / "rowsum128.c2c.toml").read_text()
    assert record.validation == "equivalent", record.validation_message
