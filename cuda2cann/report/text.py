"""The text report: one line per finding (`path:line:col: CODE status message`), then the summary tables."""
from __future__ import annotations

from cuda2cann.scan.summary import summarize

WORST_FILES = 10


def finding_line(f) -> str:
    return f"{f.path}:{f.line}:{f.column}: {f.code} {f.status}{' (suppressed)' if f.suppressed else ''}: {f.message}"


def render(report) -> str:
    summary = summarize(report)
    t = summary["totals"]
    out = [finding_line(f) for f in report.findings]
    out += ["", f"{t['files_scanned']} files scanned, {t['files_with_findings']} with findings; {t['findings']} findings: "
                f"{t['ported']} ported, {t['approximate']} approximate, {t['unported']} unported, {t['suppressed']} suppressed; "
                f"estimated effort {t['effort_hours']:g} h"]
    rows = [(c, s) for c, s in summary["categories"].items() if sum(s.values())]
    if rows:
        out += ["", f"{'category':<10} {'ported':>8} {'approx.':>8} {'unported':>8}"]
        out += [f"{c:<10} {s['ported']:>8} {s['approximate']:>8} {s['unported']:>8}" for c, s in rows]  # in CATEGORIES order
    worst = sorted(summary["files"], key=lambda f: (-f["effort_hours"], f["path"]))[:WORST_FILES]
    if worst:
        out += ["", "files with the most work:"]
        out += [f"  {f['effort_hours']:>7g} h  {f['unported']:>4} unported  {f['path']}" for f in worst]
    return "\n".join(out) + "\n"
