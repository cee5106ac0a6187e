"""Building specs in tests without files on disk."""
from __future__ import annotations

from pathlib import Path

from cuda2cann.ir.dtypes import dtype
from cuda2cann.validate.expr import parse
from cuda2cann.validate.spec import AscendcSide, CudaSide, OperatorSpec, Symbol, Tensor


def make_spec(where: tuple[str, ...] = (), **symbols: tuple[int, int]) -> OperatorSpec:
    """A pointwise z = f(x) spec over one symbol per keyword (name=(min, max))."""
    n = " * ".join(symbols)
    f32 = dtype("float32")
    return OperatorSpec(
        path=Path("test.c2c.toml"), name="test", description="",
        symbols=tuple(Symbol(k, lo, hi) for k, (lo, hi) in symbols.items()),
        tensors=(Tensor("x", f32, (parse(n),), "input"), Tensor("z", f32, (parse(n),), "output")), scalars=(),
        cuda=CudaSide(Path("k.cu"), "k", ("x", "z", n), (parse(f"ceil_div({n}, 256)"),), (parse(256),), parse(0)),
        ascendc=AscendcSide(Path("k.cpp"), "k", ("x", "z", n), parse("cores")),
        where=tuple(parse(w) for w in where))
