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


def test_every_validate_option_is_documented():
    help_text = invoke("validate", "--help").output
    documented = (ROOT / "docs" / "cli.md").read_text()
    options = set(re.findall(r"(--[a-z][a-z-]+)", help_text)) - {"--help"}
    assert options, help_text
    missing = {o for o in options if o not in documented}
    assert not missing, f"options missing from docs/cli.md: {missing}"


def test_missing_path_is_a_usage_error():
    result = invoke("validate", "no/such/dir")
    assert result.exit_code == 2 and "no such file or directory" in result.output


def test_non_spec_file_is_a_usage_error(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    result = invoke("validate", str(tmp_path / "notes.txt"))
    assert result.exit_code == 2 and "not a spec file" in result.output


def test_cuda_file_is_reported_unported(tmp_path):
    (tmp_path / "k.cu").write_text("__global__ void k() {}\n")
    result = invoke("validate", str(tmp_path / "k.cu"), "--json", str(tmp_path / "r.json"))
    assert result.exit_code == 0
    doc = json.loads((tmp_path / "r.json").read_text())
    jsonschema.validate(doc, SCHEMA)
    assert doc["summary"]["unported"] == 1


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
