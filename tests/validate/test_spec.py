from pathlib import Path

import pytest

from cuda2cann.validate.spec import SpecError, find_specs, load_spec

CORPUS = Path(__file__).resolve().parents[2] / "op_corpus"

GOOD = """
name = "saxpy"
[symbols]
n = { min = 1, max = 1000 }
[tensors]
x = { dtype = "float32", shape = ["n"], role = "input" }
y = { dtype = "float32", shape = ["n"], role = "inout" }
[scalars]
alpha = { dtype = "float32", min = -2.0, max = 2.0 }
[cuda]
source = "k.cu"
kernel = "saxpy"
args = ["n", "alpha", "x", "y"]
grid = ["ceil_div(n, 256)"]
block = [256]
[ascendc]
source = "k.cpp"
kernel = "saxpy"
args = ["x", "y", "alpha", "tiling"]
block_dim = "min(cores, 8)"
[ascendc.tiling]
total = ["uint32_t", "n"]
"""


def write_spec(tmp_path: Path, text: str) -> Path:
    (tmp_path / "k.cu").write_text("// cuda\n")
    (tmp_path / "k.cpp").write_text("// ascendc\n")
    path = tmp_path / "op.c2c.toml"
    path.write_text(text)
    return path


def test_loads_a_complete_spec(tmp_path):
    spec = load_spec(write_spec(tmp_path, GOOD))
    assert spec.name == "saxpy"
    assert [t.name for t in spec.outputs] == ["y"]
    assert spec.ascendc.tiling[0].ctype == "uint32_t"
    assert spec.cuda.block[0].evaluate({}) == 256


@pytest.mark.parametrize(("edit", "fragment"), [
    (('role = "inout"', 'role = "out"'), "tensors.y.role: expected one of input, output, inout"),
    (('dtype = "float32", shape = ["n"], role = "input"', 'dtype = "float33", shape = ["n"], role = "input"'),
     "tensors.x.dtype: unknown dtype 'float33'"),
    (('grid = ["ceil_div(n, 256)"]', 'grid = ["ceil_div(m, 256)"]'), "cuda: 'ceil_div(m, 256)' uses undefined name(s) m"),
    (('source = "k.cu"', 'source = "missing.cu"'), "cuda.source: file not found"),
    (('args = ["n", "alpha", "x", "y"]', 'args = ["n", "alpha", "x", "q"]'), "cuda.args[3]"),
    (('max = 1000', 'max = 0'), "symbols.n: need 0 <= min <= max"),
    (('total = ["uint32_t", "n"]', 'total = ["size_t", "n"]'), "ascendc.tiling.total: expected [ctype, expression]"),
    (('name = "saxpy"', 'name = "saxpy"\nbogus = 1'), "bogus: unknown key"),
    (('role = "inout"', 'role = "input"'), "no tensor has role output or inout"),
    (('block = [256]', 'block = [1, 2, 3, 4]'), "cuda.block: expected 1 to 3 dimensions"),
    (('name = "saxpy"', 'name = "saxpy"\nedge = [{ symbols = { m = 3 } }]'), "edge[0].symbols: expected a non-negative integer"),
    (('name = "saxpy"', 'name = "saxpy"\nedge = [{ symbols = { n = 3 }, profile = "odd" }]'), "edge[0].profile: unknown"),
    (('name = "saxpy"', 'name = "saxpy"\nedge = [3]'), "edge[0]: expected a table"),
])
def test_errors_name_file_and_key(tmp_path, edit, fragment):
    path = write_spec(tmp_path, GOOD.replace(*edit))
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert str(path) in str(info.value)
    assert fragment in str(info.value)


def test_invalid_toml_reports_line(tmp_path):
    path = write_spec(tmp_path, GOOD + "\n[broken\n")
    with pytest.raises(SpecError, match=r"invalid TOML: .*line"):
        load_spec(path)


def test_every_corpus_spec_loads():
    specs = find_specs(CORPUS)
    assert len(specs) >= 10
    for path in specs:
        spec = load_spec(path)
        assert spec.ascendc is not None, f"{path}: the corpus holds pairs"


def test_named_edge_cases_load_with_their_labels(tmp_path):
    text = GOOD.replace('name = "saxpy"', 'name = "saxpy"\nedge = [{ label = "long", symbols = { n = 70001 } }]')
    spec = load_spec(write_spec(tmp_path, text))
    assert [(e.label, dict(e.symbols), e.profile) for e in spec.edges] == [("long", {"n": 70001}, "normal")]


def test_ranges_may_be_expressions_over_the_symbols(tmp_path):
    text = GOOD.replace('x = { dtype = "float32", shape = ["n"], role = "input" }',
                        'x = { dtype = "float32", shape = ["n"], role = "input", range = [0, "n - 1"] }')
    spec = load_spec(write_spec(tmp_path, text))
    assert spec.tensor("x").bounds({"n": 5}) == (0.0, 4.0)
    bad = GOOD.replace('x = { dtype = "float32", shape = ["n"], role = "input" }',
                       'x = { dtype = "float32", shape = ["n"], role = "input", range = [0, "m - 1"] }')
    with pytest.raises(SpecError, match=r"tensors\.x\.range: 'm - 1' uses undefined name"):
        load_spec(write_spec(tmp_path, bad))
