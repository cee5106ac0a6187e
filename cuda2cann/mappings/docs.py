"""Render docs/api_support.md from the mapping tables, so the published support matrix cannot drift.

    python -m cuda2cann.mappings.docs            # rewrite docs/api_support.md
    python -m cuda2cann.mappings.docs --check    # exit 1 when the file is stale
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cuda2cann.mappings.tables import KINDS, STATUSES, ApiMapping, Library, MappingTables, default_tables

_KIND_TITLES = {"function": "Functions", "type": "Types", "enum": "Enumerators and constants", "header": "Headers"}
_STATUS_MEANING = {
    "exact": "same meaning on CANN; the call is rewritten mechanically, with the argument changes the note gives",
    "approximate": "a close CANN equivalent that differs in a stated way, or whose signature the reference does not record",
    "unsupported": "no CANN counterpart; the use stays unported and gets a finding",
}


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _counts_line(lib: Library) -> str:
    counts, total = lib.counts(), len(lib.entries)
    parts = ", ".join(f"{counts[s]} {s} ({_percent(counts[s], total)})" for s in STATUSES)
    return f"`cuda2cann/mappings/{lib.name}.toml`: {total} entries: {parts}."


def _row(e: ApiMapping) -> str:
    target = f"`{e.target}`" if e.target else "—"
    return f"| `{_cell(e.name)}` | {target} | {e.status} | {_cell(e.note)} |"


def render_api_support(tables: MappingTables | None = None) -> str:
    """The Markdown of docs/api_support.md: a summary, then one table per library and kind."""
    tables = tables or default_tables()
    out = [
        "# CUDA API support",
        "",
        "<!-- Generated from cuda2cann/mappings/*.toml by `python -m cuda2cann.mappings.docs`: edit the tables, not this file. -->",
        "",
        "What each CUDA runtime, cuBLAS, cuDNN, NCCL, cuRAND and cuFFT name becomes on CANN (ACL, aclnn, HCCL).",
        "The same tables drive the scanner: a CUDA name found in a source file is reported with the status below;",
        "a name that belongs to one of these libraries but is missing here is reported as `unknown`.",
        "",
        "Status:",
        "",
        *(f"- **{s}**: {_STATUS_MEANING[s]}." for s in STATUSES),
        "",
        "## Summary",
        "",
        "| Library | Entries | " + " | ".join(STATUSES) + " |",
        "|---|---:|" + "---:|" * len(STATUSES),
    ]
    totals = dict.fromkeys(STATUSES, 0)
    for lib in tables.libraries:
        counts = lib.counts()
        for s in STATUSES:
            totals[s] += counts[s]
        out.append(f"| [{lib.title}](#{_anchor(lib.title)}) | {len(lib.entries)} | "
                   + " | ".join(f"{counts[s]} ({_percent(counts[s], len(lib.entries))})" for s in STATUSES) + " |")
    grand = sum(totals.values())
    out.append(f"| **Total** | {grand} | " + " | ".join(f"{totals[s]} ({_percent(totals[s], grand)})" for s in STATUSES) + " |")
    for lib in tables.libraries:
        out += ["", f"## {lib.title}", "", _counts_line(lib)]
        for kind in KINDS:
            entries = [e for e in lib.entries if e.kind == kind]
            if not entries:
                continue
            out += ["", f"### {lib.title}: {_KIND_TITLES[kind].lower()}", "",
                    "| CUDA | CANN target | Status | Note |", "|---|---|---|---|", *(_row(e) for e in entries)]
    return "\n".join(out) + "\n"


def _anchor(title: str) -> str:
    """GitHub's heading anchor: lower case, spaces to hyphens, punctuation dropped."""
    return "".join(c for c in title.lower().replace(" ", "-") if c.isalnum() or c in "-_")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cuda2cann.mappings.docs", description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="docs/api_support.md", type=Path)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs from the tables")
    args = parser.parse_args(argv)
    rendered = render_api_support()
    if args.check:
        current = args.path.read_text(encoding="utf-8") if args.path.exists() else None
        if current != rendered:
            print(f"{args.path} is stale: run python -m cuda2cann.mappings.docs", file=sys.stderr)
            return 1
        return 0
    args.path.write_text(rendered, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
