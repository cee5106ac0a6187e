"""Scan reports: one `ScanReport` (findings + summary) rendered as text, JSON, SARIF 2.1.0, CSV or HTML.

    from cuda2cann.report import render
    text = render(report, "sarif")        # a str, written atomically by the caller
"""
from __future__ import annotations

import importlib

FORMATS = ("text", "json", "sarif", "csv", "html")
_MODULES = {"text": "text", "json": "json_report", "sarif": "sarif", "csv": "csv_report", "html": "html"}


def render(report, fmt: str) -> str:
    """`report` (a cuda2cann.scan.engine.ScanReport) in format `fmt` (one of FORMATS)."""
    if fmt not in _MODULES:
        raise ValueError(f"unknown report format {fmt!r} (expected {', '.join(FORMATS)})")
    return importlib.import_module(f"{__name__}.{_MODULES[fmt]}").render(report)
