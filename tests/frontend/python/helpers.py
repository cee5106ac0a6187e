"""Run one codemod on dedented source, LibCST-style: before/after pairs plus the codes it logged."""
from __future__ import annotations

from textwrap import dedent

import libcst as cst
from libcst.codemod import CodemodContext

from cuda2cann.frontend.python.base import CHANGES, FINDINGS
from cuda2cann.frontend.python.model import Change, Finding


def run(transform: type, before: str, scratch: dict | None = None, **kwargs: object) -> tuple[str, list[Change], list[Finding]]:
    context = CodemodContext(filename="t.py", scratch=dict(scratch or {}))
    code = transform(context, **kwargs).transform_module(cst.parse_module(dedent(before))).code
    return code, context.scratch.get(CHANGES, []), context.scratch.get(FINDINGS, [])


def assert_codemod(transform: type, before: str, after: str, *, changes: list[tuple[int, str]] | None = None,
                   findings: list[tuple[int, str]] | None = None, **kwargs: object) -> None:
    """`before` becomes `after`; `changes`/`findings` list the (line, code) pairs logged (in any order), when given."""
    code, logged_changes, logged_findings = run(transform, before, **kwargs)
    assert code == dedent(after)
    if changes is not None:
        assert sorted((c.line, c.code) for c in logged_changes) == sorted(changes)
    if findings is not None:
        assert sorted((f.line, f.code) for f in logged_findings) == sorted(findings)
