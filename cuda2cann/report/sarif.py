"""The SARIF 2.1.0 report, as GitHub code scanning reads it (github/codeql-action/upload-sarif).

One run; one rule per code found (id = the code, help = what to do); one result per finding with its physical
location relative to `%SRCROOT%` (the folder `scan` ran in, normally the repository's top), a region with the
source line as snippet, a `partialFingerprints` entry that survives line shifts (path, code, API, line text and
occurrence), and `suppressions: [{kind: inSource}]` for findings under a `cuda2cann: ignore` comment.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from cuda2cann import __version__
from cuda2cann.codes import code_info

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: finding severity → SARIF level (they share names on purpose)
LEVELS = {"error": "error", "warning": "warning", "note": "note"}
FINGERPRINT = "cuda2cann/v1"


def fingerprints(findings) -> list[str]:
    """One stable hash per finding: the same debt keeps its identity when lines above it move."""
    seen: Counter[tuple[str, str, str, str]] = Counter()
    out = []
    for f in findings:
        key = (f.path, f.code, f.api, f.snippet)
        seen[key] += 1
        out.append(hashlib.sha256("\0".join((*key, str(seen[key]))).encode()).hexdigest()[:32])
    return out


def _rule(code: str, level: str, categories: set[str]) -> dict:
    info = code_info(code)
    return {"id": code, "name": code, "shortDescription": {"text": info.title}, "fullDescription": {"text": info.title},
            "help": {"text": info.hint or info.title, "markdown": f"**{code}**: {info.title}.\n\nWhat to do: {info.hint or '-'}."},
            "defaultConfiguration": {"level": level}, "properties": {"tags": ["cuda2cann", *sorted(categories)]}}


def _location(f) -> dict:
    region = {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line, "endColumn": f.end_column}
    if f.snippet:
        region["snippet"] = {"text": f.snippet}
    # a file outside the folder scan ran in has no base to be relative to
    absolute = PurePosixPath(f.path).is_absolute()
    artifact = {"uri": Path(f.path).as_uri()} if absolute else {"uri": quote(f.path), "uriBaseId": "%SRCROOT%"}
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def document(report, root: Path | None = None) -> dict:
    findings = report.findings
    codes = sorted({f.code for f in findings})
    index = {code: i for i, code in enumerate(codes)}
    worst = {code: min((f.severity for f in findings if f.code == code), key=("error", "warning", "note").index) for code in codes}
    rules = [_rule(c, LEVELS[worst[c]], {f.category for f in findings if f.code == c}) for c in codes]
    results = []
    for f, fingerprint in zip(findings, fingerprints(findings), strict=True):
        result = {"ruleId": f.code, "ruleIndex": index[f.code], "level": LEVELS[f.severity],
                  "message": {"text": f.message + (f" — {f.hint}" if f.hint else "")}, "locations": [_location(f)],
                  "partialFingerprints": {FINGERPRINT: fingerprint},
                  "properties": {"status": f.status, "category": f.category, "api": f.api, "library": f.library}}
        if f.suppressed:
            result["suppressions"] = [{"kind": "inSource"}]
        results.append(result)
    root_uri = (root or Path.cwd()).resolve().as_uri().rstrip("/") + "/"
    run = {"tool": {"driver": {"name": "cuda2cann", "version": __version__, "semanticVersion": __version__, "rules": rules}},
           "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}}, "columnKind": "unicodeCodePoints", "results": results}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
