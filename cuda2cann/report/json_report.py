"""The JSON report, schema `cuda2cann.scan/1` (docs/schemas/scan.schema.json)."""
from __future__ import annotations

import json

from cuda2cann import __version__
from cuda2cann.scan.summary import summarize

SCHEMA = "cuda2cann.scan/1"


def document(report) -> dict:
    return {"schema": SCHEMA, "tool": {"name": "cuda2cann", "version": __version__},
            "findings": [f.as_dict() for f in report.findings], "summary": summarize(report)}


def render(report) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
