"""A `# CUDA2CANN(C2C5nn): message` comment above each statement that has a finding.

The marker goes on its own line directly above the innermost statement (or clause: `elif`, `except`, `else`,
`finally`, decorator) that contains the finding's line, indented like it, so the statement's own trailing comments
and `# cuda2cann: ignore` comments stay where they are. A marker already there is not added again, which keeps
the migration idempotent for code it leaves unchanged.
"""
from __future__ import annotations

import libcst as cst

from cuda2cann.frontend.python.base import MigrationCodemod
from cuda2cann.frontend.python.model import Finding


def marker(finding: Finding) -> str:
    return "# CUDA2CANN({}): {}".format(finding.code, " ".join(finding.message.split()))


class MarkerCommentsCodemod(MigrationCodemod):
    """Comment every statement with the findings the earlier passes logged for its lines."""

    DESCRIPTION = "marker comments above statements with findings"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._pending: dict[int, list[str]] = {}
        for f in sorted(self.findings, key=lambda f: (f.line, f.column)):
            text = marker(f)
            if text not in self._pending.setdefault(f.line, []):
                self._pending[f.line].append(text)
        self._owner: dict[int, cst.CSTNode] = {}
        self._lines: list[str] = []

    def should_run(self, source: str) -> bool:
        return bool(self._pending)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self._lines = tree.code.splitlines() if self._pending else []
        return super().transform_module_impl(tree)

    def _comments_above(self, node: cst.CSTNode) -> set[str]:
        """The comment lines directly above `node` (in a statement's leading lines or the module's header)."""
        out, index = set(), self.get_metadata(cst.metadata.PositionProvider, node).start.line - 2
        while index >= 0 and self._lines[index].lstrip().startswith("#"):
            out.add(self._lines[index].strip())
            index -= 1
        return out

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self._pending and isinstance(getattr(node, "leading_lines", None), (tuple, list)):
            span = self.get_metadata(cst.metadata.PositionProvider, node)
            for line in self._pending:
                if span.start.line <= line <= span.end.line:
                    self._owner[line] = node  # pre-order: an inner statement replaces its parent
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:
        result = super().on_leave(original_node, updated_node)
        texts = [t for line, owner in sorted(self._owner.items()) if owner is original_node for t in self._pending[line]]
        if not texts or not isinstance(result, cst.CSTNode):
            return result
        present = self._comments_above(original_node)
        added = [cst.EmptyLine(comment=cst.Comment(t)) for t in dict.fromkeys(texts) if t not in present]
        return result.with_changes(leading_lines=(*result.leading_lines, *added)) if added else result
