"""The CSV report: one row per finding, a header row first (RFC 4180 quoting, `\n` line ends)."""
from __future__ import annotations

import csv
import io

COLUMNS = ("path", "line", "column", "end_line", "end_column", "code", "severity", "category", "api", "library", "status",
           "message", "hint", "suppressed", "snippet")


def render(report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for f in report.findings:
        row = f.as_dict()
        writer.writerow(["true" if row[c] is True else "false" if row[c] is False else row[c] for c in COLUMNS])
    return out.getvalue()
