"""`import torch_npu` once, after the module's torch imports, when the migration changed the file (code C2C511).

Placement, among the module's top-level statements: right after the last `import torch...` / `from torch...
import` statement that comes before the first statement importing from torch.npu (so that torch_npu, which
registers torch.npu, is imported first even on torch_npu versions without auto-loading); before that first
torch.npu import when no torch import precedes it; after the last top-level import when the module imports no
torch at all; after the docstring and `from __future__` imports when it imports nothing. Nothing is inserted when
the module already imports torch_npu anywhere (`import torch_npu`, `from torch_npu... import`, in a `try:` too).
"""
from __future__ import annotations

import libcst as cst
import libcst.matchers as m
from libcst.codemod import CodemodContext
from libcst.helpers import get_full_name_for_node

from cuda2cann.frontend.python.base import MigrationCodemod
from cuda2cann.frontend.python.model import Change
from cuda2cann.frontend.python.table import PythonTable


def _modules(statement: cst.CSTNode) -> list[str]:
    """The modules a top-level statement imports (`from torch import npu` counts as torch.npu)."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return []
    out: list[str] = []
    for small in statement.body:
        if isinstance(small, cst.Import):
            out += [get_full_name_for_node(a.name) or "" for a in small.names]
        elif isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None:
            module = get_full_name_for_node(small.module) or ""
            names = [] if isinstance(small.names, cst.ImportStar) else [a.evaluated_name for a in small.names]
            out += [module] + [f"{module}.{n}" for n in names if f"{module}.{n}" == "torch.npu"]
    return out


def _is(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


class ImportTorchNpuCodemod(MigrationCodemod):
    """Insert `import torch_npu` after the torch imports of a file the other passes changed."""

    DESCRIPTION = "import torch_npu after the torch imports"

    def __init__(self, context: CodemodContext, table: PythonTable | None = None, *, required: bool | None = None) -> None:
        super().__init__(context, table)
        self.required = bool(self.changes) if required is None else required

    def should_run(self, source: str) -> bool:
        return self.required

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not self.required or self._imports_torch_npu(updated_node):
            return updated_node
        body = list(updated_node.body)
        index = self._position(body)
        anchor = original_node.body[index - 1] if index > 0 else None
        if anchor is not None and not self.change(anchor, "C2C511", "torch_npu", "import torch_npu inserted"):
            return updated_node
        if anchor is None:
            path = self.context.filename or "<string>"
            self.changes.append(Change(path, 1, 1, "C2C511", "torch_npu", "exact", "import torch_npu inserted"))
        statement = cst.SimpleStatementLine(body=[cst.Import(names=[cst.ImportAlias(name=cst.Name("torch_npu"))])])
        return updated_node.with_changes(body=[*body[:index], statement, *body[index:]])

    @staticmethod
    def _imports_torch_npu(module: cst.Module) -> bool:
        for node in m.findall(module, m.Import() | m.ImportFrom()):
            names = [get_full_name_for_node(a.name) or "" for a in node.names] if isinstance(node, cst.Import) else \
                [get_full_name_for_node(node.module) or ""] if node.module is not None and not node.relative else []
            if any(_is(n, "torch_npu") for n in names):
                return True
        return False

    @staticmethod
    def _position(body: list[cst.BaseStatement]) -> int:
        """Index before which `import torch_npu` goes."""
        modules = [_modules(s) for s in body]
        first_npu = next((i for i, mods in enumerate(modules) if any(_is(x, "torch.npu") for x in mods)), len(body))
        torch_before = [i for i, mods in enumerate(modules[:first_npu]) if any(_is(x, "torch") for x in mods)]
        if torch_before:
            return torch_before[-1] + 1
        if first_npu < len(body):
            return first_npu
        imports = [i for i, mods in enumerate(modules) if mods]
        if imports:
            return imports[-1] + 1
        index = 0
        if body and m.matches(body[0], m.SimpleStatementLine(body=[m.Expr(m.SimpleString() | m.ConcatenatedString())])):
            index = 1
        return index
