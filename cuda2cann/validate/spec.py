"""Operator spec files (`*.c2c.toml`): a CUDA kernel and its AscendC port, described once.

A spec names the shape symbols and their ranges, the tensors and scalars with dtypes and roles,
how each side is launched and which arguments it takes. The format is documented in
`docs/spec_format.md`; every error names the file and the offending key.
"""
from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cuda2cann.ir.dtypes import DType, dtype
from cuda2cann.validate.expr import Expr, ExprError, parse

SPEC_SUFFIX = ".c2c.toml"
ROLES = ("input", "output", "inout", "workspace")
VALUE_PROFILES = ("normal", "uniform", "tiny", "large", "near_one", "sparse", "special")
DEFAULT_PROFILES = VALUE_PROFILES[:-1]  # "special" (NaN/Inf/0) only where the operator defines them
TILING_CTYPES = {"int8_t": "b", "uint8_t": "B", "int16_t": "h", "uint16_t": "H", "int32_t": "i", "uint32_t": "I",
                 "int64_t": "q", "uint64_t": "Q", "float": "f", "double": "d"}


class SpecError(ValueError):
    """A spec file is invalid; the message starts with `path: key:`."""

    def __init__(self, path: Path | str, where: str, message: str) -> None:
        super().__init__(f"{path}: {where}: {message}" if where else f"{path}: {message}")
        self.path = Path(path)


@dataclass(frozen=True)
class Symbol:
    """A shape symbol drawn by the harness in [min, max], a multiple of `multiple_of`."""

    name: str
    min: int
    max: int
    multiple_of: int = 1


@dataclass(frozen=True)
class Tensor:
    """A buffer argument: dtype, shape over symbols, role, and the values it may hold."""

    name: str
    dtype: DType
    shape: tuple[Expr, ...]
    role: str
    #: closed range the generated values are clipped into (None: the profile decides); a bound may be an expression
    #: over the symbols (`[0, "cols - 1"]`: valid positions in a row)
    low: float | Expr | None = None
    high: float | Expr | None = None

    def bounds(self, env: dict[str, float]) -> tuple[float, float] | None:
        """The range for one case (expressions evaluated), None when the tensor has none."""
        if self.low is None:
            return None
        return tuple(float(b.evaluate(env)) if isinstance(b, Expr) else float(b) for b in (self.low, self.high))

    @property
    def is_output(self) -> bool:
        return self.role in ("output", "inout")

    @property
    def is_input(self) -> bool:
        return self.role in ("input", "inout")


@dataclass(frozen=True)
class Scalar:
    """A scalar parameter drawn by the harness (e.g. saxpy's alpha)."""

    name: str
    dtype: DType
    min: float
    max: float


@dataclass(frozen=True)
class TilingField:
    ctype: str
    name: str
    value: Expr


@dataclass(frozen=True)
class CudaSide:
    source: Path
    kernel: str
    args: tuple[str, ...]
    grid: tuple[Expr, ...]
    block: tuple[Expr, ...]
    shared_bytes: Expr


@dataclass(frozen=True)
class Launch:
    """A further launch of the AscendC side, after the first, with the same arguments (e.g. the combine phase)."""

    kernel: str
    block_dim: Expr


@dataclass(frozen=True)
class AscendcSide:
    source: Path
    kernel: str
    args: tuple[str, ...]
    block_dim: Expr
    tiling: tuple[TilingField, ...] = ()
    then: tuple[Launch, ...] = ()

    @property
    def launches(self) -> tuple[Launch, ...]:
        """Every launch in order: the kernel itself, then `then`."""
        return (Launch(self.kernel, self.block_dim), *self.then)


@dataclass(frozen=True)
class Tolerance:
    """Overrides of the per-dtype policy for one output (see compare.py)."""

    rtol: float | None = None
    atol: float | None = None
    max_bad_fraction: float | None = None


@dataclass(frozen=True)
class EdgeCase:
    """A case the spec asks for by name: fixed symbol values (e.g. a row longer than the UB), always run."""

    label: str
    symbols: Mapping[str, int]
    profile: str = "normal"


@dataclass(frozen=True)
class OperatorSpec:
    """Everything the harness needs to run both versions of one operator."""

    path: Path
    name: str
    description: str
    symbols: tuple[Symbol, ...]
    tensors: tuple[Tensor, ...]
    scalars: tuple[Scalar, ...]
    cuda: CudaSide
    ascendc: AscendcSide | None
    where: tuple[Expr, ...] = ()
    profiles: tuple[str, ...] = DEFAULT_PROFILES
    tolerances: Mapping[str, Tolerance] = field(default_factory=dict)
    cases: int = 12
    timeout_s: float = 60.0
    edges: tuple[EdgeCase, ...] = ()

    def tensor(self, name: str) -> Tensor | None:
        return next((t for t in self.tensors if t.name == name), None)

    def scalar(self, name: str) -> Scalar | None:
        return next((s for s in self.scalars if s.name == name), None)

    @property
    def outputs(self) -> tuple[Tensor, ...]:
        return tuple(t for t in self.tensors if t.is_output)


# ---------------------------------------------------------------- loading

def load_spec(path: Path | str) -> OperatorSpec:
    """Parse and validate one spec file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SpecError(path, "", f"cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise SpecError(path, "", "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(path, "", f"invalid TOML: {exc}") from None
    return _Loader(path, data).spec()


def find_specs(root: Path) -> list[Path]:
    """Spec files under `root` (or `root` itself), in a stable order."""
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob(f"*{SPEC_SUFFIX}") if p.is_file())


class _Loader:
    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path, self.data = path, data

    def fail(self, where: str, message: str) -> SpecError:
        return SpecError(self.path, where, message)

    def get(self, table: Mapping[str, Any], key: str, where: str, kind: type | tuple[type, ...], default: Any = ...):
        if key not in table:
            if default is ...:
                raise self.fail(where, f"missing required key {key!r}")
            return default
        value = table[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
            raise self.fail(f"{where}.{key}" if where else key, f"expected {_kind_name(kind)}, got {type(value).__name__}")
        return value

    def expr(self, value: Any, where: str) -> Expr:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.fail(where, f"expected a number or an expression string, got {value!r}")
        try:
            return parse(value)
        except ExprError as exc:
            raise self.fail(where, str(exc)) from None

    def dtype(self, name: Any, where: str) -> DType:
        try:
            return dtype(str(name))
        except KeyError as exc:
            raise self.fail(where, exc.args[0]) from None

    def spec(self) -> OperatorSpec:
        d = self.data
        known = {"name", "description", "symbols", "tensors", "scalars", "cuda", "ascendc", "where", "profiles",
                 "compare", "cases", "timeout_s", "edge"}
        for key in d:
            if key not in known:
                raise self.fail(key, f"unknown key (known: {', '.join(sorted(known))})")
        symbols = tuple(self.symbol(n, v) for n, v in self.get(d, "symbols", "", dict, {}).items())
        tensors = tuple(self.tensor(n, v) for n, v in self.get(d, "tensors", "", dict).items())
        scalars = tuple(self.scalar(n, v) for n, v in self.get(d, "scalars", "", dict, {}).items())
        profiles = tuple(self.get(d, "profiles", "", list, list(DEFAULT_PROFILES)))
        for p in profiles:
            if p not in VALUE_PROFILES:
                raise self.fail("profiles", f"unknown value profile {p!r} (known: {', '.join(VALUE_PROFILES)})")
        spec = OperatorSpec(
            path=self.path,
            name=self.get(d, "name", "", str, self.path.name.removesuffix(SPEC_SUFFIX)),
            description=self.get(d, "description", "", str, ""),
            symbols=symbols, tensors=tensors, scalars=scalars,
            cuda=self.cuda(self.get(d, "cuda", "", dict)),
            ascendc=self.ascendc(d["ascendc"]) if "ascendc" in d else None,
            where=tuple(self.expr(w, f"where[{i}]") for i, w in enumerate(self.get(d, "where", "", list, []))),
            profiles=profiles,
            tolerances={k: self.tolerance(k, v) for k, v in self.get(d, "compare", "", dict, {}).items()},
            cases=self.get(d, "cases", "", int, 12),
            timeout_s=float(self.get(d, "timeout_s", "", (int, float), 60.0)),
            edges=tuple(self.edge(i, v, symbols, profiles) for i, v in enumerate(self.get(d, "edge", "", list, []))),
        )
        self.check_names(spec)
        return spec

    def symbol(self, name: str, v: Any) -> Symbol:
        where = f"symbols.{name}"
        if not isinstance(v, dict):
            raise self.fail(where, "expected a table like { min = 1, max = 4096 }")
        lo, hi = self.get(v, "min", where, int), self.get(v, "max", where, int)
        if not 0 <= lo <= hi:
            raise self.fail(where, f"need 0 <= min <= max, got min={lo} max={hi}")
        mult = self.get(v, "multiple_of", where, int, 1)
        if mult < 1:
            raise self.fail(where, "multiple_of must be >= 1")
        return Symbol(name, lo, hi, mult)

    def edge(self, i: int, v: Any, symbols: tuple[Symbol, ...], profiles: tuple[str, ...]) -> EdgeCase:
        where = f"edge[{i}]"
        if not isinstance(v, dict):
            raise self.fail(where, 'expected a table like { label = "long-row", symbols = { rows = 2, cols = 70001 } }')
        values = self.get(v, "symbols", where, dict)
        names = {s.name for s in symbols}
        if set(values) != names or not all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in values.values()):
            raise self.fail(f"{where}.symbols", f"expected a non-negative integer for each symbol ({', '.join(sorted(names))})")
        profile = self.get(v, "profile", where, str, "normal")
        if profile not in VALUE_PROFILES:
            raise self.fail(f"{where}.profile", f"unknown value profile {profile!r} (known: {', '.join(VALUE_PROFILES)})")
        return EdgeCase(self.get(v, "label", where, str, f"edge-{i}"), dict(values), profile)

    def tensor(self, name: str, v: Any) -> Tensor:
        where = f"tensors.{name}"
        if not isinstance(v, dict):
            raise self.fail(where, 'expected a table like { dtype = "float32", shape = ["n"], role = "input" }')
        role = self.get(v, "role", where, str)
        if role not in ROLES:
            raise self.fail(f"{where}.role", f"expected one of {', '.join(ROLES)}, got {role!r}")
        shape = tuple(self.expr(s, f"{where}.shape[{i}]") for i, s in enumerate(self.get(v, "shape", where, list)))
        rng = self.get(v, "range", where, list, None)
        if rng is not None and (len(rng) != 2 or not all(isinstance(x, (int, float, str)) and not isinstance(x, bool) for x in rng)
                                or (all(isinstance(x, (int, float)) for x in rng) and rng[0] > rng[1])):
            raise self.fail(f"{where}.range", "expected [low, high] with low <= high (numbers or expressions over the symbols)")
        low, high = ((self.expr(b, f"{where}.range") if isinstance(b, str) else float(b)) for b in rng) if rng else (None, None)
        return Tensor(name, self.dtype(self.get(v, "dtype", where, str), f"{where}.dtype"), shape, role, low, high)

    def scalar(self, name: str, v: Any) -> Scalar:
        where = f"scalars.{name}"
        if not isinstance(v, dict):
            raise self.fail(where, 'expected a table like { dtype = "float32", min = -2.0, max = 2.0 }')
        lo, hi = self.get(v, "min", where, (int, float)), self.get(v, "max", where, (int, float))
        if lo > hi:
            raise self.fail(where, "min must be <= max")
        return Scalar(name, self.dtype(self.get(v, "dtype", where, str), f"{where}.dtype"), float(lo), float(hi))

    def side_common(self, t: dict[str, Any], where: str) -> tuple[Path, str, tuple[str, ...]]:
        src = self.path.parent / self.get(t, "source", where, str)
        if not src.is_file():
            raise self.fail(f"{where}.source", f"file not found: {src}")
        kernel = self.get(t, "kernel", where, str)
        args = self.get(t, "args", where, list)
        if not all(isinstance(a, str) for a in args):
            raise self.fail(f"{where}.args", "expected a list of strings (tensor, scalar or symbol names, or expressions)")
        return src, kernel, tuple(args)

    def cuda(self, t: dict[str, Any]) -> CudaSide:
        src, kernel, args = self.side_common(t, "cuda")
        dims = []
        for key in ("grid", "block"):
            value = self.get(t, key, "cuda", (list, str, int))
            items = value if isinstance(value, list) else [value]
            if not 1 <= len(items) <= 3:
                raise self.fail(f"cuda.{key}", "expected 1 to 3 dimensions")
            dims.append(tuple(self.expr(x, f"cuda.{key}[{i}]") for i, x in enumerate(items)))
        shared = self.expr(self.get(t, "shared_bytes", "cuda", (int, str), 0), "cuda.shared_bytes")
        return CudaSide(src, kernel, args, dims[0], dims[1], shared)

    def ascendc(self, t: Any) -> AscendcSide:
        if not isinstance(t, dict):
            raise self.fail("ascendc", "expected a table")
        src, kernel, args = self.side_common(t, "ascendc")
        fields = []
        for name, v in self.get(t, "tiling", "ascendc", dict, {}).items():
            if not (isinstance(v, list) and len(v) == 2 and v[0] in TILING_CTYPES):
                raise self.fail(f"ascendc.tiling.{name}", f"expected [ctype, expression] with ctype in {', '.join(TILING_CTYPES)}")
            fields.append(TilingField(v[0], name, self.expr(v[1], f"ascendc.tiling.{name}")))
        then = []
        for i, v in enumerate(self.get(t, "then", "ascendc", list, [])):
            where = f"ascendc.then[{i}]"
            if not isinstance(v, dict):
                raise self.fail(where, 'expected a table like { kernel = "op_combine", block_dim = 1 }')
            then.append(Launch(self.get(v, "kernel", where, str), self.expr(self.get(v, "block_dim", where, (int, str)),
                                                                           f"{where}.block_dim")))
        return AscendcSide(src, kernel, args, self.expr(self.get(t, "block_dim", "ascendc", (int, str)), "ascendc.block_dim"),
                           tuple(fields), tuple(then))

    def tolerance(self, name: str, v: Any) -> Tolerance:
        where = f"compare.{name}"
        if not isinstance(v, dict):
            raise self.fail(where, "expected a table like { rtol = 1e-3, atol = 1e-5 }")
        return Tolerance(*(self.get(v, k, where, (int, float), None) for k in ("rtol", "atol", "max_bad_fraction")))

    def check_names(self, spec: OperatorSpec) -> None:
        """Every name an expression uses must be defined; every arg must resolve."""
        names = [s.name for s in spec.symbols] + [t.name for t in spec.tensors] + [s.name for s in spec.scalars]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise self.fail("", f"names defined twice: {', '.join(sorted(dupes))}")
        scalar_env = {s.name for s in spec.symbols} | {s.name for s in spec.scalars}
        launch_env = scalar_env | {"cores"}
        for t in spec.tensors:
            self.uses(t.shape, {s.name for s in spec.symbols}, f"tensors.{t.name}.shape")
            self.uses(tuple(b for b in (t.low, t.high) if isinstance(b, Expr)), {s.name for s in spec.symbols},
                      f"tensors.{t.name}.range")
        for name in spec.tolerances:
            if spec.tensor(name) is None or not spec.tensor(name).is_output:
                raise self.fail(f"compare.{name}", "not an output tensor")
        self.uses(spec.where, scalar_env, "where")
        self.uses((*spec.cuda.grid, *spec.cuda.block, spec.cuda.shared_bytes), launch_env, "cuda")
        self.args(spec, spec.cuda.args, "cuda.args", allow_tiling=False)
        for i, a in enumerate(spec.cuda.args):
            if spec.tensor(a) is not None and spec.tensor(a).role == "workspace":
                raise self.fail(f"cuda.args[{i}]", f"{a} is an AscendC workspace: the CUDA side has none")
        if spec.ascendc:
            self.uses((spec.ascendc.block_dim,), launch_env, "ascendc.block_dim")
            for i, launch in enumerate(spec.ascendc.then):
                self.uses((launch.block_dim,), launch_env, f"ascendc.then[{i}].block_dim")
            self.uses(tuple(f.value for f in spec.ascendc.tiling), launch_env | {"block_dim"}, "ascendc.tiling")
            self.args(spec, spec.ascendc.args, "ascendc.args", allow_tiling=bool(spec.ascendc.tiling))
        if not spec.outputs:
            raise self.fail("tensors", "no tensor has role output or inout: nothing would be compared")

    def uses(self, exprs: tuple[Expr, ...], env: set[str], where: str) -> None:
        for e in exprs:
            missing = e.names - env
            if missing:
                raise self.fail(where, f"{e.text!r} uses undefined name(s) {', '.join(sorted(missing))}")

    def args(self, spec: OperatorSpec, args: tuple[str, ...], where: str, allow_tiling: bool) -> None:
        env = {s.name for s in spec.symbols} | {s.name for s in spec.scalars} | {"cores"}
        for i, a in enumerate(args):
            if spec.tensor(a) or (a == "tiling" and allow_tiling):
                continue
            if a == "tiling":
                raise self.fail(f"{where}[{i}]", "'tiling' is passed but [ascendc.tiling] defines no fields")
            self.uses((self.expr(a, f"{where}[{i}]"),), env, f"{where}[{i}]")


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {int: "an integer", float: "a number", str: "a string", list: "a list", dict: "a table", bool: "a boolean"}
    return " or ".join(names.get(k, k.__name__) for k in _as_tuple(kind))
