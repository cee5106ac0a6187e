"""The quasi-affine index algebra: rule by rule, then properties over random expression trees."""
import re
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cuda2cann.ir.symbolic import (
    Const,
    FloorDiv,
    Max,
    Min,
    Mod,
    Prod,
    Sum,
    Sym,
    as_expr,
    bounds,
    coefficient,
    const,
    evaluate,
    floordiv,
    free_symbols,
    is_nonnegative,
    linear_parts,
    mod,
    proves_le,
    proves_lt,
    proves_nonnegative,
    smax,
    smin,
    substitute,
    sym,
    to_c,
)

x, y, n = sym("x"), sym("y"), sym("n")
i, C, row = sym("i", 0, None), sym("C", 1, None), sym("row", 0, None)
bx, tx = sym("bx", 0, 47), sym("tx", 0, 255)
q3, k8 = sym("q", 0, 3), sym("k", 8, 11)

# ** each simplification rule: the expression as built, and its canonical form printed **

RULES = {
    "fold +*": (lambda: const(3) * 4 + 2, "14"),
    "fold //": (lambda: const(17) // 5, "3"),
    "fold % ": (lambda: const(17) % 5, "2"),
    "fold floor //": (lambda: const(-7) // 2, "-4"),
    "fold floor %": (lambda: const(-7) % 2, "1"),
    "fold min": (lambda: smin(3, 7, 5), "3"),
    "fold max": (lambda: smax(3, 7, 5), "7"),
    "like terms": (lambda: x + x * 2 - y + y, "x*3"),
    "like monomials": (lambda: x * y + y * x, "x*y*2"),
    "cancel": (lambda: (x + 1) - (1 + x), "0"),
    "x*1": (lambda: x * 1, "x"),
    "x*0": (lambda: x * 0, "0"),
    "x+0": (lambda: x + 0, "x"),
    "x//1": (lambda: x // 1, "x"),
    "x%1": (lambda: x % 1, "0"),
    "split //": (lambda: (x * 8 + y) // 4, "x*2 + y // 4"),
    "split % ": (lambda: (x * 8 + y) % 4, "y % 4"),
    "split // in range": (lambda: (x * 8 + q3) // 4, "x*2"),
    "split % in range": (lambda: (x * 8 + q3) % 4, "q"),
    "split constant //": (lambda: (x + 5) // 4, "(x + 1) // 4 + 1"),
    "split constant %": (lambda: (x + 5) % 4, "(x + 1) % 4"),
    "row-major //": (lambda: (row * 64 + sym("c", 0, 63)) // 64, "row"),
    "row-major %": (lambda: (row * 64 + sym("c", 0, 63)) % 64, "c"),
    "gid // block": (lambda: (bx * 256 + tx) // 256, "bx"),
    "gid % block": (lambda: (bx * 256 + tx) % 256, "tx"),
    "range // 0": (lambda: tx // 256, "0"),
    "range % x": (lambda: tx % 256, "tx"),
    "range // q": (lambda: k8 // 4, "2"),
    "range % shift": (lambda: k8 % 4, "k - 8"),
    "nested //": (lambda: (x // 4) // 8, "x // 32"),
    "nested % divisible": (lambda: (x % 32) % 8, "x % 8"),
    "nested % by range": (lambda: (x % 8) % 32, "x % 8"),
    "nested % kept": (lambda: (x % 12) % 8, "(x % 12) % 8"),
    "mod of floordiv": (lambda: (i // 32) % 4, "(i // 32) % 4"),
    "common factor //": (lambda: (x * 4 + 2) // 2, "x*2 + 1"),
    "common factor // rest": (lambda: (x * 4 + y * 2) // 8, "(x*2 + y) // 4"),
    "common factor %": (lambda: (x * 2) % 4, "(x % 2)*2"),
    "x - (x//c)*c": (lambda: x - (x // 4) * 4, "x % 4"),
    "-(x//c)*c + x": (lambda: -(x // 4) * 4 + x, "x % 4"),
    "(x//c)*(-c) + x": (lambda: (x // 4) * (-4) + x, "x % 4"),
    "sum - (sum//c)*c": (lambda: (x + y) - ((x + y) // 4) * 4, "(x + y) % 4"),
    "scaled x - (x//c)*c": (lambda: x * 3 - (x // 4) * 12, "(x % 4)*3"),
    "x - x%c": (lambda: x - x % 4, "(x // 4)*4"),
    "c*(x//c) + x%c": (lambda: 4 * (x // 4) + x % 4, "x"),
    "x%c + c*(x//c)": (lambda: x % 4 + (x // 4) * 4 + y, "x + y"),
    "nested delinearisation": (lambda: i % 4 + 4 * ((i // 4) % 8) + 32 * (i // 32), "i"),
    "x//a - (x//ab)*b": (lambda: x // 4 - (x // 8) * 2, "(x // 4) % 2"),
    "min kept": (lambda: smin(n, 1024), "min(n, 1024)"),
    "min by range": (lambda: smin(sym("n", 0, 100), 1024), "n"),
    "max by range": (lambda: smax(i, 0), "i"),
    "min by offset": (lambda: smin(x, x + 1), "x"),
    "max by offset": (lambda: smax(x, x + 1), "x + 1"),
    "min flatten": (lambda: smin(smin(x, 5), y, 3), "min(x, y, 3)"),
    "min dedup": (lambda: smin(x, x), "x"),
    "min over its max": (lambda: smin(smax(x, y), y, n), "min(n, y)"),
    "max over its min": (lambda: smax(smin(x, y), x), "x"),
    "dividend kept non-negative": (lambda: (tx - 1) // 4, "(tx + 3) // 4 - 1"),
    "dividend raised to non-negative": (lambda: (tx - 1) % 4, "(tx + 3) % 4"),
    "distribute": (lambda: (row + 1) * C, "C*row + C"),
    "monomial order": (lambda: x * y * x, "x*x*y"),
}


@pytest.mark.parametrize("name", RULES)
def test_rule(name):
    build, printed = RULES[name]
    assert str(build()) == printed


@pytest.mark.parametrize(("e", "printed"), [
    (bx * 256 + tx, "bx*256 + tx"),
    (tx + bx * 256, "bx*256 + tx"),
    (-x + 3, "-x + 3"),
    (y - x * 2, "-x*2 + y"),
    (-(x // 4) + y, "-(x // 4) + y"),
    (x - 7, "x - 7"),
    (smax(x, y) * 2, "max(x, y)*2"),
    ((x + 1) // 4 * 3, "((x + 1) // 4)*3"),
])
def test_print(e, printed):
    assert str(e) == printed


def test_node_kinds_and_structural_equality():
    assert x + 1 == 1 + x and hash(x + 1) == hash(1 + x) and len({x * 2 + y, y + x * 2}) == 1
    assert smin(x, y) == smin(y, x) and smax(x, 1) == smax(1, x)
    kinds = [const(3), x, x + y, x * y, x // 4, x % 4, smin(x, y), smax(x, y)]
    assert [type(e) for e in kinds] == [Const, Sym, Sum, Prod, FloorDiv, Mod, Min, Max]
    with pytest.raises(AttributeError):
        x.name = "z"


# ** bounds of each node kind **

@pytest.mark.parametrize(("e", "expected"), [
    (const(5), (5, 5)),
    (x, (None, None)),
    (sym("a", -3, None), (-3, None)),
    (bx * 256 + tx, (0, 47 * 256 + 255)),
    (10 - tx, (-245, 10)),
    (sym("a", -2, 3) * sym("b", 4, 5), (-10, 15)),
    (i * sym("b", 1, 2), (0, None)),
    (sym("a", 0, 0) * x + 1, (1, 1)),
    (sym("a", -7, 9) // 4, (-2, 2)),
    (sym("a", -7, None) // 4, (-2, None)),
    (sym("a", 0, 10) % 4, (0, 3)),
    (sym("a", -5, 2) % 4, (0, 3)),
    (x % 7, (0, 6)),
    (k8 % 4, (0, 3)),
    (smin(sym("a", 0, 10), sym("b", 5, 20)), (0, 10)),
    (smax(sym("a", 0, 10), sym("b", 5, 20)), (5, 20)),
    (smin(x, 5), (None, 5)),
])
def test_bounds(e, expected):
    assert bounds(e) == expected


def test_proofs():
    gid = bx * 256 + tx
    assert proves_lt(gid, 48 * 256) and not proves_lt(gid, 48 * 256 - 1)
    assert proves_le(gid, 48 * 256 - 1) and not proves_le(gid, n)
    assert proves_nonnegative(gid) and not proves_nonnegative(tx - 1) and is_nonnegative(i % 3)
    assert proves_lt(x % 4, 4) and proves_le(x // 4 * 4, x)


# ** errors **

@pytest.mark.parametrize(("build", "message"), [
    (lambda: x // 0, "cannot divide by 0"),
    (lambda: x % -3, "cannot divide by -3"),
    (lambda: x // y, "cannot divide by y"),
    (lambda: mod(x, y + 1), "must be a constant"),
    (lambda: 5 // x, "cannot divide by x"),
    (lambda: sym("a", 3, 1), "empty range"),
    (lambda: sym("1a"), "C identifier"),
    (lambda: evaluate(x + y, {"x": 1}), "no value for symbol y"),
    (lambda: evaluate(tx, {"tx": 256}), "outside its range"),
    (lambda: to_c(x // 4), r"cannot render x // 4 as C"),
    (lambda: to_c(smin(i, 5) + (tx - y) % 8), r"\(tx - y\) % 8"),
])
def test_errors(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_type_errors():
    with pytest.raises(TypeError):
        x + 1.5
    with pytest.raises(TypeError):
        as_expr(True)
    assert 5 // const(2) == const(2) and floordiv(7, const(2)) == const(3) and 7 % const(4) == const(3)


# ** utilities **

def test_free_symbols_and_substitute():
    assert free_symbols(tx // 256 + n * x) == {n, x}
    assert substitute(i % 4, {"i": sym("j", 0, None) * 4 + 1}) == const(1)
    assert substitute(bx * 256 + tx, {bx: 2, "tx": sym("t", 0, 255)}) == sym("t", 0, 255) + 512
    assert substitute(x * y, {x: y}) == y * y and substitute(x, {}) == x


def test_linear_parts_and_coefficient():
    assert linear_parts(bx * 256 + tx + 3) == ({bx: 256, tx: 1}, 3)
    assert linear_parts(const(4)) == ({}, 4) and linear_parts(x // 2) == ({x // 2: 1}, 0)
    assert coefficient(bx * 256 + tx, "bx") == 256 and coefficient(bx * 256 + tx, tx) == 1
    assert coefficient(bx * 256, "tx") == 0
    assert coefficient(tx % 4 + tx, tx) is None and coefficient(x * y, "x") is None


def test_evaluate():
    assert evaluate((i // 32) % 4, {"i": 100}) == 3 and evaluate(smin(x, -2) * 3, {"x": 5}) == -6
    assert evaluate(7, {}) == 7


@pytest.mark.parametrize(("e", "c"), [
    ((i // 32) % 4, "(i / 32) % 4"),
    (bx * 256 + tx, "bx * 256 + tx"),
    (smin(n, 1024), "(n < 1024 ? n : 1024)"),
    (smax(x, y, 0) - 1, "((x > y ? x : y) > 0 ? (x > y ? x : y) : 0) - 1"),
    (-(tx // 4) + i * 3_000_000_000, "i * 3000000000LL - tx / 4"),
    ((tx - 1) // 4, "(tx + 3) / 4 - 1"),
    ((tx - 1 + 256) % 256, "(tx + 255) % 256"),
    ((bx - tx + 1000) % 17, "(bx - tx + 269) % 17"),
])
def test_to_c(e, c):
    assert to_c(e) == c


# ** a tiny C expression evaluator: truncating / and %, ternaries, comparisons **

_TOKEN = re.compile(r"\s*(?:(\d+)(?:LL)?|([A-Za-z_][\w.]*)|(\S))")


def c_eval(text, env):
    tokens = [m.group(1) or m.group(2) or m.group(3) for m in _TOKEN.finditer(text) if m.group(0).strip()]
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def take(expected=None):
        nonlocal pos
        tok = tokens[pos]
        assert expected is None or tok == expected, (text, pos, tok)
        pos += 1
        return tok

    def ternary():
        cond = relation()
        if peek() != "?":
            return cond
        take("?")
        a = ternary()
        take(":")
        b = ternary()
        return a if cond else b

    def relation():
        a = additive()
        while peek() in ("<", ">"):
            op, b = take(), additive()
            a = int(a < b) if op == "<" else int(a > b)
        return a

    def additive():
        a = term()
        while peek() in ("+", "-"):
            op, b = take(), term()
            a = a + b if op == "+" else a - b
        return a

    def term():
        a = unary()
        while peek() in ("*", "/", "%"):
            op, b = take(), unary()
            if op == "*":
                a *= b
                continue
            quotient = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)
            a = quotient if op == "/" else a - b * quotient
        return a

    def unary():
        if peek() == "-":
            take()
            return -unary()
        tok = take()
        if tok == "(":
            v = ternary()
            take(")")
            return v
        return int(tok) if tok.isdigit() else env[tok]

    value = ternary()
    assert pos == len(tokens), text
    return value


def test_c_evaluator_truncates():
    assert c_eval("-7 / 2", {}) == -3 and c_eval("-7 % 2", {}) == -1 and c_eval("1 + 2 * 3 < 8 ? 1 : 0", {}) == 1


@pytest.mark.skipif(shutil.which("g++") is None, reason="skipped: no g++")
def test_to_c_compiles_and_agrees_with_gxx(tmp_path):
    a, b = sym("a", 0, 1000), sym("b", 0, 1000)
    exprs = [(a * 37 + b) // 8 % 5, smin(a, b * 3) - smax(a // 3, 7), (a - b + 1000) % 17 * (a // 7),
             a * b // 64 - (a + 5) % 4, smax(a % 12, b % 9) + 3_000_000_000 * (a // 999)]
    points = [(0, 0), (1, 999), (999, 1), (1000, 1000), (517, 263)]
    body = "".join(f"  a = {pa}; b = {pb};\n" + "".join(f'  printf("%lld\\n", (long long)({to_c(e)}));\n' for e in exprs)
                   for pa, pb in points)
    (tmp_path / "t.cpp").write_text(f"#include <cstdio>\nint main() {{\n  long long a, b;\n{body}  return 0;\n}}\n")
    subprocess.run(["g++", "-O0", "-o", str(tmp_path / "t"), str(tmp_path / "t.cpp")], check=True)
    out = subprocess.run([str(tmp_path / "t")], capture_output=True, text=True, check=True).stdout.split()
    assert [int(v) for v in out] == [evaluate(e, {"a": pa, "b": pb}) for pa, pb in points for e in exprs]


# ** properties over random expression trees **

NAMES = ("x", "y", "z")
OPS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
       "min": min, "max": max, "//": lambda a, b: a // b, "%": lambda a, b: a % b}
SYMBOLIC = {**OPS, "min": smin, "max": smax}

leaves = st.one_of(st.tuples(st.just("c"), st.integers(-20, 20)), st.tuples(st.just("s"), st.sampled_from(NAMES)))
trees = st.recursive(leaves, lambda kids: st.one_of(
    st.tuples(st.sampled_from(["+", "-", "*", "min", "max"]), kids, kids),
    st.tuples(st.sampled_from(["//", "%"]), kids, st.integers(1, 12).map(lambda c: ("c", c))),
    st.tuples(st.just("neg"), kids),
), max_leaves=8)


def build(tree, syms):
    """The tree through the canonicalising constructors."""
    if tree[0] == "c":
        return const(tree[1])
    if tree[0] == "s":
        return syms[tree[1]]
    if tree[0] == "neg":
        return -build(tree[1], syms)
    return SYMBOLIC[tree[0]](build(tree[1], syms), build(tree[2], syms))


def naive(tree, env):
    """The tree evaluated directly with Python integers."""
    if tree[0] == "c":
        return tree[1]
    if tree[0] == "s":
        return env[tree[1]]
    if tree[0] == "neg":
        return -naive(tree[1], env)
    return OPS[tree[0]](naive(tree[1], env), naive(tree[2], env))


@st.composite
def symbol_ranges(draw, nonnegative=False):
    syms = {}
    for name in NAMES:
        lo = draw(st.integers(0, 20)) if nonnegative else draw(st.none() | st.integers(-20, 20))
        hi = draw(st.none() | st.integers(0, 30).map(lambda w, lo=lo: (-10 if lo is None else lo) + w))
        syms[name] = sym(name, lo, hi)
    return syms


def window(s):
    lo = s.lo if s.lo is not None else (s.hi if s.hi is not None else 0) - 40
    return lo, s.hi if s.hi is not None else lo + 40


def points(data, syms, count=6):
    return [{name: data.draw(st.integers(*window(s))) for name, s in syms.items()} for _ in range(count)]


PROPERTY = settings(max_examples=150, deadline=None)


@PROPERTY
@given(st.data())
def test_canonical_form_evaluates_like_the_tree(data):
    syms, tree = data.draw(symbol_ranges()), data.draw(trees)
    e = build(tree, syms)
    for env in points(data, syms):
        assert evaluate(e, env) == naive(tree, env), (tree, str(e), env)


@PROPERTY
@given(st.data())
def test_bounds_contain_every_value(data):
    syms, tree = data.draw(symbol_ranges()), data.draw(trees)
    e = build(tree, syms)
    lo, hi = bounds(e)
    for env in points(data, syms):
        v = evaluate(e, env)
        assert (lo is None or lo <= v) and (hi is None or v <= hi), (str(e), lo, hi, env, v)


@PROPERTY
@given(st.data())
def test_substitute_then_evaluate(data):
    syms, tree = data.draw(symbol_ranges()), data.draw(trees)
    e = build(tree, syms)
    s = syms[data.draw(st.sampled_from(NAMES))]
    # a replacement that stays inside s's range: s.lo + w, s.hi - w, or w + k when s is unbounded
    span = None if s.lo is None or s.hi is None else s.hi - s.lo
    w = sym("w", 0 if s.lo is not None or s.hi is not None else None, span)
    offset = data.draw(st.integers(-5, 5))
    replacement = w + s.lo if s.lo is not None else (s.hi - w if s.hi is not None else w + offset)
    substituted = substitute(e, {data.draw(st.sampled_from([s, s.name])): replacement})
    assert s not in free_symbols(substituted)
    for env in points(data, {**syms, "w": w}):
        assert evaluate(substituted, env) == evaluate(e, {**env, s.name: evaluate(replacement, env)})


@PROPERTY
@given(st.data())
def test_str_is_deterministic_python_and_canonical(data):
    syms, tree = data.draw(symbol_ranges()), data.draw(trees)
    e = build(tree, syms)
    assert build(tree, dict(syms)) == e and str(build(tree, syms)) == str(e)
    assert substitute(e, {}) == e, (str(e), str(substitute(e, {})))
    for env in points(data, syms, count=3):
        assert eval(str(e), {"min": min, "max": max}, dict(env)) == evaluate(e, env)


@PROPERTY
@given(st.data())
def test_to_c_agrees_for_nonnegative_inputs(data):
    syms, tree = data.draw(symbol_ranges(nonnegative=True)), data.draw(trees)
    e = build(tree, syms)
    try:
        text = to_c(e)
    except ValueError as err:
        assert "is not proven non-negative" in str(err)
        return
    for env in points(data, syms):
        assert c_eval(text, env) == evaluate(e, env), (text, env)
