"""What every migration codemod shares: the table, suppression, and recording edits and findings.

The codemods of one migration share a `CodemodContext`; its `scratch` holds the suppression table of the
original text and the lists of `Change`s and `Finding`s, so the marker and import passes see what the
rewriting passes did. Rewriting passes keep the line structure of the file, so positions computed on the
tree each pass receives are positions in the original text.
"""
from __future__ import annotations

import re

import libcst as cst
from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand
from libcst.metadata import PositionProvider, QualifiedNameProvider, QualifiedNameSource

from cuda2cann.frontend.python.model import SEVERITY, Change, Finding
from cuda2cann.frontend.python.suppress import is_suppressed, suppressions
from cuda2cann.frontend.python.table import PythonTable, default_python_table

CHANGES, FINDINGS, SUPPRESSIONS = "cuda2cann.changes", "cuda2cann.findings", "cuda2cann.suppressions"


class MigrationCodemod(VisitorBasedCodemodCommand):
    """Base of the torch.cuda → torch_npu codemods: `record` checks suppression and logs a change or a finding."""

    METADATA_DEPENDENCIES = (PositionProvider,)
    #: the pass cannot change a file whose text does not match this (None: it always runs)
    TRIGGER: re.Pattern[str] | None = None

    def __init__(self, context: CodemodContext, table: PythonTable | None = None) -> None:
        super().__init__(context)
        self.table = table or default_python_table()
        self.changes: list[Change] = context.scratch.setdefault(CHANGES, [])
        self.findings: list[Finding] = context.scratch.setdefault(FINDINGS, [])

    def should_run(self, source: str) -> bool:
        """Whether the pass can do anything on the file whose original text is `source` (a cheap pre-check)."""
        return self.TRIGGER is None or self.TRIGGER.search(source) is not None

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self.ensure_suppressions(tree)
        return super().transform_module_impl(tree)

    def ensure_suppressions(self, tree: cst.Module) -> None:
        if SUPPRESSIONS not in self.context.scratch:  # run on its own (tests): read the comments of this tree
            self.context.scratch[SUPPRESSIONS] = suppressions(tree.code)

    # -- positions and suppression --------------------------------------------------------------------------------

    def where(self, node: cst.CSTNode) -> tuple[int, int]:
        """1-based line and column of `node`."""
        start = self.get_metadata(PositionProvider, node).start
        return start.line, start.column + 1

    def suppressed(self, node: cst.CSTNode, code: str) -> bool:
        return is_suppressed(self.context.scratch[SUPPRESSIONS], self.where(node)[0], code)

    # -- recording --------------------------------------------------------------------------------------------------

    def change(self, node: cst.CSTNode, code: str, api: str, message: str, status: str = "exact") -> bool:
        """Log an edit of `node` unless its line suppresses `code`; the caller edits only when this returns True."""
        if self.suppressed(node, code):
            return False
        line, column = self.where(node)
        self.changes.append(Change(self.context.filename or "<string>", line, column, code, api, status, message))
        return True

    def finding(self, node: cst.CSTNode, code: str, api: str, status: str, message: str) -> bool:
        """Log a finding at `node` unless its line suppresses `code`; the marker pass comments the statement."""
        if self.suppressed(node, code):
            return False
        line, column = self.where(node)
        self.findings.append(Finding(self.context.filename or "<string>", line, column, code, api, status, message,
                                     SEVERITY.get(status, "warning")))
        return True

    # -- names ------------------------------------------------------------------------------------------------------

    def qualified_name(self, node: cst.CSTNode) -> str | None:
        """The one imported qualified name of `node` (`tc.synchronize` → `torch.cuda.synchronize`), else None."""
        names = {q.name for q in self.get_metadata(QualifiedNameProvider, node, set()) if q.source == QualifiedNameSource.IMPORT}
        return names.pop() if len(names) == 1 else None


def dotted_parts(node: cst.CSTNode) -> list[str] | None:
    """`a.b.c` → ["a", "b", "c"] for a chain of plain names, else None (a call or subscript breaks the chain)."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return parts[::-1]


def chain_root(node: cst.CSTNode) -> cst.CSTNode:
    while isinstance(node, cst.Attribute):
        node = node.value
    return node


def dotted_expression(name: str) -> cst.Name | cst.Attribute:
    """The expression node spelling the dotted `name`."""
    head, *rest = name.split(".")
    expr: cst.Name | cst.Attribute = cst.Name(head)
    for part in rest:
        expr = cst.Attribute(value=expr, attr=cst.Name(part))
    return expr
