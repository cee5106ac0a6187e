"""`cuda2cann scan` and `check` from the command line: exit codes, outputs, baselines (the ratchet), parallel runs."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.scan.helpers import HOST, KERNEL_BAD, KERNEL_OK, PYTHON, invoke, project, write

ROOT = Path(__file__).resolve().parents[2]
BASELINE_SCHEMA = json.loads((ROOT / "docs" / "schemas" / "baseline.schema.json").read_text())
MANAGED = "void f(float* p) {\n  cudaMallocManaged(&p, 1);\n}\n"


@pytest.mark.parametrize("command", ["scan", "check"])
def test_every_option_is_documented(command):
    help_text = invoke(command, "--help").output
    documented = (ROOT / "docs" / "cli.md").read_text()
    section = documented[documented.index(f"## `cuda2cann {command}"):]
    options = set(re.findall(r"(--[a-z][a-z-]+)", help_text)) - {"--help"}
    assert options and not {o for o in options if o not in section}, help_text


def test_scan_writes_each_format_atomically_and_infers_it_from_the_suffix(tmp_path, monkeypatch):
    project(tmp_path / "p")
    monkeypatch.chdir(tmp_path / "p")
    for suffix in ("json", "sarif", "csv", "html", "txt"):
        result = invoke("scan", ".", "-o", str(tmp_path / f"r.{suffix}"))
        assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "r.json").read_text())["schema"] == "cuda2cann.scan/1"
    assert json.loads((tmp_path / "r.sarif").read_text())["version"] == "2.1.0"
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    assert (tmp_path / "r.txt").read_text().startswith("CMakeLists.txt:2:")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p", "r.csv", "r.html", "r.json", "r.sarif", "r.txt"]  # no temp files
    explicit = invoke("scan", ".", "--format", "csv")
    assert explicit.output.startswith("path,line,column")


@pytest.mark.parametrize("args", [("scan",), ("scan", "missing/dir"), ("check", "missing.cu"), ("scan", ".", "--format", "pdf"),
                                  ("scan", ".", "--jobs", "0"), ("check", "--baseline", "nope.json")])
def test_usage_errors_exit_2_and_name_the_problem(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = invoke(*args)
    assert result.exit_code == 2
    if "missing" in " ".join(args):
        assert "C2C601" in result.output and "missing" in result.output
    if "nope.json" in args:
        assert "C2C607" in result.output and "nope.json" in result.output


def test_bad_configuration_exits_2(tmp_path, monkeypatch):
    write(tmp_path, {"pyproject.toml": "[tool.cuda2cann]\nexclude = 'x'\n", "a.cu": KERNEL_OK})
    monkeypatch.chdir(tmp_path)
    result = invoke("check")
    assert result.exit_code == 2 and "tool.cuda2cann.exclude: expected a list" in result.output


def test_an_internal_error_exits_2_without_a_traceback_and_without_a_partial_report(tmp_path, monkeypatch):
    write(tmp_path, {"a.cu": KERNEL_OK})
    monkeypatch.chdir(tmp_path)
    import cuda2cann.report.html as html

    def boom(report):
        raise RuntimeError("template exploded")
    monkeypatch.setattr(html, "render", boom)
    result = invoke("scan", ".", "-o", "r.html")
    assert result.exit_code == 2 and "internal error (RuntimeError: template exploded)" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "r.html").exists()


def test_check_exit_codes_and_listing(tmp_path, monkeypatch):
    write(tmp_path, {"ok.cu": KERNEL_OK, "host.cpp": HOST})
    monkeypatch.chdir(tmp_path)
    clean = invoke("check", "ok.cu")
    assert clean.exit_code == 0 and "no new unported findings" in clean.output
    dirty = invoke("check")
    assert dirty.exit_code == 1
    assert "host.cpp:5:3: C2C301 cudaMallocManaged: no CANN counterpart" in dirty.output
    assert "1 new unported findings" in dirty.output
    assert "cudaMalloc " not in dirty.output and "scale" not in dirty.output  # ported findings and launches do not gate


def test_untranslatable_kernels_and_unreadable_files_fail_the_check(tmp_path, monkeypatch):
    write(tmp_path, {"bad.cu": KERNEL_BAD, "latin1.cu": b"// caf\xe9\n"})
    monkeypatch.chdir(tmp_path)
    result = invoke("check")
    assert result.exit_code == 1 and "bad.cu:3:1: C2C102" in result.output and "latin1.cu:1:7: C2C603" in result.output


def test_baseline_ratchet(tmp_path, monkeypatch):
    write(tmp_path, {"pyproject.toml": "[tool.cuda2cann]\nbaseline = 'ci/baseline.json'\n", "src/a.cpp": MANAGED,
                     "src/b.cpp": MANAGED})
    monkeypatch.chdir(tmp_path)
    assert invoke("check").exit_code == 1
    # accept today's debt
    update = invoke("check", "--update-baseline")
    assert update.exit_code == 0 and "accepts 2 unported findings" in update.output
    doc = json.loads((tmp_path / "ci" / "baseline.json").read_text())
    jsonschema.validate(doc, BASELINE_SCHEMA)
    assert [(e["path"], e["api"], e["count"]) for e in doc["entries"]] == [("../src/a.cpp", "cudaMallocManaged", 1),
                                                                           ("../src/b.cpp", "cudaMallocManaged", 1)]
    assert invoke("check").exit_code == 0
    # lines above move, indentation changes: still the same debt
    (tmp_path / "src" / "a.cpp").write_text("// header\n#include <vector>\n" + MANAGED.replace("  cuda", "      cuda"))
    assert invoke("check").exit_code == 0
    # a second identical call is a regression
    (tmp_path / "src" / "a.cpp").write_text(MANAGED.replace("}", "  cudaMallocManaged(&p, 1);\n}"))
    regressed = invoke("check")
    assert regressed.exit_code == 1 and "src/a.cpp:3:3: C2C301" in regressed.output and "2 accepted by the baseline" in regressed.output
    # paying debt off is reported; --update-baseline locks it in
    (tmp_path / "src" / "a.cpp").write_text("void f() {}\n")
    fixed = invoke("check")
    assert fixed.exit_code == 0 and "1 fixed since the baseline" in fixed.output
    assert invoke("check", "--update-baseline").exit_code == 0
    doc = json.loads((tmp_path / "ci" / "baseline.json").read_text())
    assert [e["path"] for e in doc["entries"]] == ["../src/b.cpp"]
    (tmp_path / "src" / "a.cpp").write_text(MANAGED)
    assert invoke("check").exit_code == 1  # the fixed finding cannot come back


def test_partial_runs_keep_and_do_not_misreport_other_files_entries(tmp_path, monkeypatch):
    write(tmp_path, {"a.cpp": MANAGED, "b.cpp": MANAGED, "gone.cpp": MANAGED})
    monkeypatch.chdir(tmp_path)
    assert invoke("check", "--update-baseline").exit_code == 0
    (tmp_path / "gone.cpp").unlink()
    only_a = invoke("check", "a.cpp")  # pre-commit: one file; b.cpp's entry is not "fixed", the deleted file's is
    assert only_a.exit_code == 0 and "1 accepted by the baseline" in only_a.output and "1 fixed since the baseline" in only_a.output
    (tmp_path / "a.cpp").write_text("void f() {}\n")
    assert invoke("check", "a.cpp", "--update-baseline").exit_code == 0
    doc = json.loads((tmp_path / "cuda2cann-baseline.json").read_text())
    assert [e["path"] for e in doc["entries"]] == ["b.cpp"]  # b kept (not checked), a fixed, gone dropped


@pytest.mark.parametrize("content", ["not json", '{"schema": "other/1", "entries": []}',
                                     '{"schema": "cuda2cann.baseline/1", "entries": [{"path": "a"}]}'])
def test_a_malformed_baseline_is_a_usage_error(tmp_path, monkeypatch, content):
    write(tmp_path, {"cuda2cann-baseline.json": content, "a.cpp": MANAGED})
    monkeypatch.chdir(tmp_path)
    result = invoke("check")
    assert result.exit_code == 2 and "C2C607" in result.output and "cuda2cann-baseline.json" in result.output


def test_exclude_from_the_configuration_and_the_command_line(tmp_path, monkeypatch):
    write(tmp_path, {"pyproject.toml": "[tool.cuda2cann]\nexclude = ['vendor/']\n", "vendor/v.cpp": MANAGED,
                     "gen/g.cpp": MANAGED, "src/ok.cu": KERNEL_OK})
    monkeypatch.chdir(tmp_path)
    assert invoke("check").exit_code == 1
    result = invoke("check", "--exclude", "gen/")
    assert result.exit_code == 0, result.output
    assert invoke("check", "vendor/v.cpp").exit_code == 0  # a named file is excluded too (pre-commit agrees with CI)


def big_tree(root: Path, copies: int) -> Path:
    files = {}
    for i in range(copies):
        files |= {f"d{i}/k.cu": KERNEL_OK + KERNEL_BAD, f"d{i}/host.cpp": HOST, f"d{i}/train.py": PYTHON, f"d{i}/m.cpp": MANAGED}
    return write(root, files)


def test_parallel_and_serial_reports_are_byte_identical(tmp_path, monkeypatch):
    from cuda2cann.report import FORMATS, render
    from cuda2cann.scan.analyse import ScanOptions
    from cuda2cann.scan.engine import PARALLEL_MIN_FILES, scan_tree
    from cuda2cann.source.tree import walk_tree

    big_tree(tmp_path / "t", 10)
    monkeypatch.chdir(tmp_path / "t")
    tree = walk_tree([Path(".")])
    assert len(tree.files) >= PARALLEL_MIN_FILES  # processes are really used
    serial, parallel = scan_tree(tree, ScanOptions(), jobs=1), scan_tree(tree, ScanOptions(), jobs=2)
    for fmt in FORMATS:
        assert render(serial, fmt) == render(parallel, fmt), fmt
    # the command line, in its own process, with stderr piped: the same bytes, and no progress bar
    command = [sys.executable, "-m", "cuda2cann", "scan", ".", "--jobs", "2", "--format", "json", "-o", str(tmp_path / "r.json")]
    result = subprocess.run(command, cwd=tmp_path / "t", capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "Traceback" not in result.stderr and "\r" not in result.stderr, result.stderr
    assert (tmp_path / "r.json").read_text() == render(serial, "json")


def test_translate_skips_excluded_and_gitignored_files(tmp_path, monkeypatch):
    write(tmp_path, {"pyproject.toml": "[tool.cuda2cann]\nexclude = ['/src/vendor/']\n", ".git/HEAD": "", ".gitignore": "gen/\n",
                     "src/a.cu": KERNEL_OK, "src/vendor/v.cu": KERNEL_OK, "src/gen/g.cu": KERNEL_OK, "src/t.py": PYTHON,
                     "src/skip.py": PYTHON})
    monkeypatch.chdir(tmp_path)
    result = invoke("translate", "src", "-o", str(tmp_path / "out"), "--exclude", "skip.py", "--json", str(tmp_path / "r.json"))
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "r.json").read_text())
    assert [k["file"] for k in doc["kernels"]] == ["src/a.cu"] and [p["file"] for p in doc["python"]] == ["src/t.py"]
