"""The command line: exit codes, JSON schema, and docs/cli.md kept in step with --help."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from cuda2cann.cli import main

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "schemas" / "validate.schema.json").read_text())


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("command", ["validate", "translate", "explain"])
def test_every_option_is_documented(command):
    help_text = invoke(command, "--help").output
    documented = (ROOT / "docs" / "cli.md").read_text()
    section = documented[documented.index(f"## `cuda2cann {command}"):]
    options = set(re.findall(r"(--[a-z][a-z-]+)", help_text)) - {"--help"}
    assert options, help_text
    missing = {o for o in options if o not in section}
    assert not missing, f"options of {command} missing from docs/cli.md: {missing}"


def test_missing_path_is_a_usage_error():
    result = invoke("validate", "no/such/dir")
    assert result.exit_code == 2 and "no such file or directory" in result.output


def test_non_spec_file_is_a_usage_error(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    result = invoke("validate", str(tmp_path / "notes.txt"))
    assert result.exit_code == 2 and "not a spec file" in result.output


def test_cuda_file_is_translated_then_validated(tmp_path):
    (tmp_path / "k.cu").write_text("__global__ void scale(const float* x, float* y, int n) {\n"
                                   "  int i = blockIdx.x * blockDim.x + threadIdx.x;\n  if (i < n) y[i] = 2.0f * x[i];\n}\n"
                                   "__global__ void reduce(float* y) { __shared__ float s[32]; __syncthreads(); y[0] = s[0]; }\n")
    result = invoke("validate", str(tmp_path / "k.cu"), "--cases", "1", "--json", str(tmp_path / "r.json"))
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "r.json").read_text())
    jsonschema.validate(doc, SCHEMA)
    assert doc["summary"]["equivalent"] == 1 and doc["summary"]["unported"] == 1
    unported = next(r for r in doc["results"] if r["status"] == "unported")
    assert "reduce: C2C101" in unported["message"]
    assert list(tmp_path.iterdir()) == [tmp_path / "k.cu", tmp_path / "r.json"]  # nothing written next to the source


def test_invalid_spec_is_an_error_result_with_exit_1(tmp_path):
    (tmp_path / "bad.c2c.toml").write_text("name = 3\n")
    result = invoke("validate", str(tmp_path), "--json", str(tmp_path / "r.json"))
    assert result.exit_code == 1
    doc = json.loads((tmp_path / "r.json").read_text())
    jsonschema.validate(doc, SCHEMA)
    assert doc["results"][0]["status"] == "error"
    assert doc["results"][0]["message"].endswith("bad.c2c.toml: missing required key 'tensors'")


def test_equivalent_pair_exits_0_and_json_matches_schema(tmp_path):
    out = tmp_path / "report.json"
    result = invoke("validate", str(ROOT / "op_corpus" / "vector_add"), "--cases", "1", "--seed", "5",
                    "--json", str(out))
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    jsonschema.validate(doc, SCHEMA)
    assert doc["summary"]["equivalent"] == 1 and doc["results"][0]["seed"] == 5


def test_mismatch_exits_1(tmp_path):
    pair = tmp_path / "vector_add"
    shutil.copytree(ROOT / "op_corpus" / "vector_add", pair)
    src = pair / "vector_add_ascendc.cpp"
    src.write_text(src.read_text().replace("AscendC::Add(zLocal", "AscendC::Mul(zLocal"))
    result = invoke("validate", str(pair), "--cases", "0", "--no-shrink")
    assert result.exit_code == 1
    assert "mismatch" in result.output and "reproduce: cuda2cann validate" in result.output


@pytest.mark.parametrize("args", [("validate",), ("validate", ".", "--cases", "-1"), ("validate", ".", "--soc", "X")])
def test_bad_options_exit_2(args):
    assert CliRunner().invoke(main, list(args)).exit_code == 2


def test_translate_writes_operators_and_a_schema_valid_report(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "op_corpus" / "saxpy", src / "saxpy")
    shutil.copytree(ROOT / "op_corpus" / "rmsnorm", src / "rmsnorm")
    (src / "nearmiss").mkdir()
    shutil.copy(ROOT / "op_corpus" / "reductions" / "nearmiss_unguarded_warp_slots.cu", src / "nearmiss")
    before = sorted(p.relative_to(src) for p in src.rglob("*"))
    report = tmp_path / "t.json"
    result = invoke("translate", str(src), "-o", str(tmp_path / "out"), "--json", str(report), "--validate", "--cases", "1",
                    "--seed", "2")
    assert result.exit_code == 0, result.output
    doc = json.loads(report.read_text())
    assert doc["schema"] == "cuda2cann.translate/1"
    by_kernel = {k["kernel"]: k for k in doc["kernels"]}
    assert by_kernel["saxpy"]["status"] == "translated" and by_kernel["saxpy"]["validation"] == "equivalent"
    assert by_kernel["rmsnorm"]["status"] == "translated" and by_kernel["rmsnorm"]["validation"] == "equivalent"
    nearmiss = by_kernel["row_sum_unguarded_slots"]
    assert nearmiss["status"] == "unported" and nearmiss["findings"][0]["code"] == "C2C101"
    out = tmp_path / "out" / "saxpy" / "saxpy" / "saxpy"
    assert {p.name for p in out.iterdir()} == {"saxpy.cpp", "saxpy_tiling.h", "saxpy_host.cpp", "CMakeLists.txt", "saxpy.c2c.toml"}
    assert sorted(p.relative_to(src) for p in src.rglob("*")) == before  # nothing written into SRC


def test_translate_refuses_an_output_inside_the_source(tmp_path):
    (tmp_path / "k.cu").write_text("__global__ void k() {}\n")
    result = invoke("translate", str(tmp_path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "never writes into SRC" in result.output
    assert not (tmp_path / "out").exists()


def test_explain_shows_ir_plan_and_kernel_or_the_finding():
    ok = invoke("explain", str(ROOT / "op_corpus" / "gelu_tanh" / "gelu_tanh.cu"))
    assert ok.exit_code == 0
    assert "--- lifted IR" in ok.output and "--- plan" in ok.output and "AscendC::Exp(" in ok.output
    bad = invoke("explain", str(ROOT / "op_corpus" / "reductions" / "nearmiss_unguarded_warp_slots.cu"))
    assert bad.exit_code == 1 and "unported: C2C1" in bad.output


def test_translate_migrates_python_files_next_to_the_cuda(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "train.py").write_text("import torch\nmodel = torch.nn.Linear(2, 2).cuda()\nprint(torch.cuda.is_available())\n")
    (src / "util.py").write_text("def f(x):\n    return x + 1\n")
    report = tmp_path / "r.json"
    result = invoke("translate", str(src), "-o", str(tmp_path / "out"), "--json", str(report))
    assert result.exit_code == 0, result.output
    migrated = (tmp_path / "out" / "train.py").read_text()
    assert ".npu()" in migrated and "torch.npu.is_available()" in migrated and "import torch_npu" in migrated
    assert not (tmp_path / "out" / "util.py").exists()  # unchanged files are not written
    doc = json.loads(report.read_text())
    assert doc["summary"]["python_files_changed"] == 1 and {p["file"] for p in doc["python"]} == {str(src / "train.py"),
                                                                                                 str(src / "util.py")}
    assert "torch.cuda" in (src / "train.py").read_text()  # the source is untouched


def test_an_internal_error_in_one_kernel_is_a_finding_and_the_others_translate(tmp_path, monkeypatch):
    # a planted bug in the lowering of one layout: that kernel is reported C2C199, the tree goes on, no traceback
    import cuda2cann.backends.ascendc.planner as planner

    real = planner.plan_pointwise

    def broken(lifted, soc):
        if lifted.operator.name == "saxpy":
            raise KeyError("planted")
        return real(lifted, soc)

    monkeypatch.setitem(planner.PLANNERS, "pointwise", broken)
    src = tmp_path / "src"
    shutil.copytree(ROOT / "op_corpus" / "saxpy", src / "saxpy")
    shutil.copytree(ROOT / "op_corpus" / "vector_add", src / "vector_add")
    report = tmp_path / "t.json"
    result = invoke("translate", str(src), "-o", str(tmp_path / "out"), "--json", str(report))
    assert "Traceback" not in result.output and result.exit_code == 1
    by_kernel = {k["kernel"]: k for k in json.loads(report.read_text())["kernels"]}
    assert by_kernel["saxpy"]["findings"][0]["code"] == "C2C199" and "planted" in by_kernel["saxpy"]["findings"][0]["message"]
    assert by_kernel["vector_add"]["status"] == "translated"


def test_explain_shows_every_layout_of_the_reduction_corpus():
    layouts = set()
    for path in sorted((ROOT / "op_corpus" / "reductions").glob("*.cu")):
        result = invoke("explain", str(path))
        assert result.exit_code in (0, 1) and "Traceback" not in result.output, path
        layouts |= {line.split("(")[1].split(" layout")[0] for line in result.output.splitlines() if " layout) on " in line}
    assert layouts == {"row_reduce", "row_program", "full_reduce", "column_reduce"}
