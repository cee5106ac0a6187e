"""The HTML report: one self-contained page (inline CSS, CSS bar charts, no script, no network) a person reads
instead of the JSON: totals, a chart per category, the files with the most work, per-file coverage, per-API
counts, and every finding grouped by file. Rendered from templates/report/scan.html.j2 with autoescaping."""
from __future__ import annotations

import functools

import jinja2

from cuda2cann import __version__
from cuda2cann.scan.summary import summarize
from cuda2cann.templates_dir import templates_root

WORST_FILES = 10
TOP_APIS = 50


@functools.cache
def _environment() -> jinja2.Environment:
    # the shared environment renders C++ (no escaping); a page needs every value escaped
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_root())), undefined=jinja2.StrictUndefined,
                              autoescape=True, trim_blocks=True, lstrip_blocks=True)


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def render(report) -> str:
    summary = summarize(report)
    by_file: dict[str, list] = {}
    for f in report.findings:
        by_file.setdefault(f.path, []).append(f)
    worst = sorted(summary["files"], key=lambda f: (-f["effort_hours"], -f["unported"], f["path"]))[:WORST_FILES]
    categories = [(name, counts, sum(counts.values())) for name, counts in summary["categories"].items() if sum(counts.values())]
    widest = max((total for _, _, total in categories), default=0)
    return _environment().get_template("report/scan.html.j2").render(
        version=__version__, totals=summary["totals"], files=summary["files"], worst=worst, categories=categories,
        widest=widest, libraries=summary["libraries"], apis=summary["apis"][:TOP_APIS], api_count=len(summary["apis"]),
        by_file=by_file, percent=_percent)
