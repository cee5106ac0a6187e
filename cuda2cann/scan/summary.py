"""Summaries of a scan, as HIPIFY's statistics: per file, per category, per library, per API, plus an effort estimate.

Effort model (docs/workflows.md): hours of a CANN engineer per finding, by category and status — porting an
unported kernel by hand and validating it is a day; reviewing a translated one half an hour; a host call the
mapping rewrites mechanically minutes. A file's estimate is the sum over its unsuppressed findings; it ranks
files against each other and sizes a port, it does not schedule one.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from cuda2cann.findings import CATEGORIES, STATUSES, Finding
from cuda2cann.scan.engine import ScanReport

#: category → hours per finding when (ported, approximate, unported)
EFFORT_HOURS: dict[str, tuple[float, float, float]] = {
    "kernel":   (0.5,  1.0,  8.0),   # review + validate a translated operator / port one by hand
    "launch":   (0.1,  0.25, 0.5),   # call the generated launcher
    "function": (0.1,  0.5,  2.0),   # a mechanical rewrite / a stated difference / a redesign of the call site
    "type":     (0.05, 0.25, 1.0),
    "enum":     (0.05, 0.25, 1.0),
    "header":   (0.05, 0.1,  0.5),
    "python":   (0.0,  0.25, 1.0),   # migrated automatically / review / by hand
    "build":    (0.5,  1.0,  2.0),   # build scripts move to CANN's CMake (ascendc_library)
    "input":    (0.0,  0.0,  0.5),   # make the file readable, or exclude it
}
#: upper bounds (hours) of the effort bands shown in reports
EFFORT_BANDS = ((1.0, "trivial"), (8.0, "small"), (40.0, "medium"), (float("inf"), "large"))


def finding_hours(finding: Finding) -> float:
    return 0.0 if finding.suppressed else EFFORT_HOURS[finding.category][STATUSES.index(finding.status)]


def effort_band(hours: float) -> str:
    return next(label for bound, label in EFFORT_BANDS if hours < bound)


@dataclass(frozen=True)
class StatusCounts:
    ported: int = 0
    approximate: int = 0
    unported: int = 0

    @classmethod
    def of(cls, findings: list[Finding]) -> StatusCounts:
        counts = Counter(f.status for f in findings if not f.suppressed)
        return cls(counts["ported"], counts["approximate"], counts["unported"])

    @property
    def total(self) -> int:
        return self.ported + self.approximate + self.unported

    @property
    def coverage(self) -> float | None:
        """Share of dependencies that translate (exactly or approximately); None when there are none."""
        return None if self.total == 0 else round((self.ported + self.approximate) / self.total, 4)

    def as_dict(self) -> dict[str, int]:
        return {"ported": self.ported, "approximate": self.approximate, "unported": self.unported}


def summarize(report: ScanReport) -> dict:
    """The `summary` object of the JSON report (docs/schemas/scan.schema.json)."""
    findings = list(report.findings)
    kinds = {r.file.display: (r.file.kind, r.lines) for r in report.files}
    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    files = [_file_summary(path, group, *kinds.get(path, ("unknown", 0))) for path, group in by_path.items()]
    totals = StatusCounts.of(findings)
    return {
        "totals": {"files_scanned": len(report.files), "files_with_findings": len(files),
                   "lines": sum(r.lines for r in report.files), "binary_skipped": sum(r.binary for r in report.files),
                   "findings": len(findings), **totals.as_dict(), "suppressed": sum(f.suppressed for f in findings),
                   "coverage": totals.coverage, "effort_hours": _hours(findings)},
        "files": files,
        "categories": {c: StatusCounts.of([f for f in findings if f.category == c]).as_dict() for c in CATEGORIES},
        "libraries": {lib: StatusCounts.of([f for f in findings if f.library == lib]).as_dict()
                      for lib in sorted({f.library for f in findings if f.library})},
        "apis": _apis(findings),
    }


def _hours(findings: list[Finding]) -> float:
    return round(sum(finding_hours(f) for f in findings), 2)


def _file_summary(path: str, findings: list[Finding], kind: str, lines: int) -> dict:
    counts = StatusCounts.of(findings)
    hours = _hours(findings)
    return {"path": path, "kind": kind, "lines": lines, **counts.as_dict(), "suppressed": sum(f.suppressed for f in findings),
            "coverage": counts.coverage, "effort_hours": hours, "effort": effort_band(hours)}


def _apis(findings: list[Finding]) -> list[dict]:
    counts = Counter((f.api, f.library, f.category, f.status, f.code) for f in findings if f.api and not f.suppressed)
    rows = [{"api": api, "library": lib, "category": cat, "status": status, "code": code, "count": n}
            for (api, lib, cat, status, code), n in counts.items()]
    return sorted(rows, key=lambda r: (-r["count"], r["api"], r["code"], r["status"]))
