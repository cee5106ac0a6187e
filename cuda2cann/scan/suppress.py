"""Inline suppressions: `// cuda2cann: ignore[C2C301]` (C, C++, CUDA), `# cuda2cann: ignore[C2C503, C2C505]` (Python,
CMake, Makefiles); a bare `ignore` covers every code.

A comment suppresses the findings of its own line; a comment alone on its line also suppresses the findings of the
line directly below it. In Python only real comments count (tokenize); in C-like files and build scripts a comment
marker inside a string literal counts too (documented in docs/workflows.md).
"""
from __future__ import annotations

import re

from cuda2cann.findings import Finding
from cuda2cann.frontend.python.suppress import ALL, is_suppressed, suppressions

_MARKERS = {"cuda": r"//|/\*", "cpp": r"//|/\*", "build": r"#"}
_CODES = r"\s*cuda2cann:\s*ignore\b(?:\[([^\]]*)\])?"
_PATTERNS = {kind: re.compile(f"(?:{marker}){_CODES}", re.IGNORECASE) for kind, marker in _MARKERS.items()}
_COMMENT_ONLY = {"cuda": re.compile(r"\s*(?://|/\*)"), "cpp": re.compile(r"\s*(?://|/\*)"), "build": re.compile(r"\s*#"),
                 "python": re.compile(r"\s*#")}

Table = dict[int, frozenset[str] | None]


def suppression_table(text: str, kind: str) -> Table:
    """Line → the codes suppressed there (ALL for a bare ignore), with comment-only lines extended to the next line."""
    own = suppressions(text) if kind == "python" else _line_comments(text, _PATTERNS[kind])
    if not own:
        return {}
    lines = text.splitlines()
    table: Table = dict(own)
    for line, codes in own.items():
        if _COMMENT_ONLY[kind].match(lines[line - 1]):
            table[line + 1] = _union(table.get(line + 1, frozenset()), codes)
    return table


def mark_suppressed(findings: list[Finding], table: Table) -> list[Finding]:
    return [f.with_changes(suppressed=True) if is_suppressed(table, f.line, f.code) else f for f in findings]


def _line_comments(text: str, pattern: re.Pattern[str]) -> Table:
    table: Table = {}
    for number, line in enumerate(text.splitlines(), 1):
        for m in pattern.finditer(line):
            codes = frozenset(c.strip().upper() for c in (m.group(1) or "").split(",") if c.strip())
            table[number] = _union(table.get(number, frozenset()), codes or ALL)
    return table


def _union(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    return ALL if a is ALL or b is ALL else a | b
