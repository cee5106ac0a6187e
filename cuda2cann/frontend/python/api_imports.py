"""Imports of torch.cuda modules and names → their torch_npu counterparts.

    import torch.cuda as tc                       →  import torch.npu as tc
    from torch.cuda import amp                    →  from torch.npu import amp
    from torch.cuda.amp import autocast, GradScaler  →  from torch.npu.amp import autocast, GradScaler
    from torch import cuda                        →  from torch import npu as cuda
    from torch.cuda import CUDAGraph              →  from torch.npu import NPUGraph as CUDAGraph   (C2C502)

A renamed import keeps its local name (`as CUDAGraph`), so the code that uses it stays valid. `import torch.cuda`
binds `torch` and stays: its uses are rewritten where they are spelled. A from-import whose names would move to
different modules (`from torch.cuda import synchronize, nvtx`) stays as it is with finding C2C510.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst
from libcst.helpers import get_full_name_for_node

from cuda2cann.frontend.python.base import MigrationCodemod, dotted_expression
from cuda2cann.frontend.python.table import PythonTable
from cuda2cann.mappings.tables import ApiMapping


@dataclass
class ImportPlan:
    """How one import statement changes: the new statement (None: unchanged) and the names it rebinds."""

    new: cst.Import | cst.ImportFrom | None = None
    #: local name → the qualified name it is bound to after the rewrite
    rebinds: dict[str, str] = field(default_factory=dict)
    #: the aliases rewritten and their table entries
    edits: list[tuple[cst.ImportAlias, ApiMapping]] = field(default_factory=list)
    mixed: bool = False


def code_of(entry: ApiMapping) -> str:
    return "C2C501" if entry.status == "exact" else "C2C502"


def plan_import(node: cst.Import | cst.ImportFrom, table: PythonTable, suppressed: Callable[[cst.CSTNode, str], bool]) -> ImportPlan:
    """What the import `node` becomes; `suppressed(alias, code)` says whether an alias's line forbids the rewrite."""
    def target(full: str, alias: cst.ImportAlias, module_only: bool) -> ApiMapping | None:
        entry = table.lookup(full)
        if entry is None or not entry.target or (module_only and entry.kind != "module") or suppressed(alias, code_of(entry)):
            return None
        return entry

    plan = ImportPlan()
    if isinstance(node, cst.Import):
        names = []
        for alias in node.names:
            entry = target(get_full_name_for_node(alias.name) or "", alias, True) if alias.asname is not None else None
            if entry is None:
                names.append(alias)
                continue
            names.append(alias.with_changes(name=dotted_expression(entry.target)))
            plan.rebinds[alias.evaluated_alias or ""] = entry.target
            plan.edits.append((alias, entry))
        plan.new = node.with_changes(names=names) if plan.edits else None
        return plan
    if node.relative or node.module is None:
        return plan
    module = get_full_name_for_node(node.module) or ""
    if isinstance(node.names, cst.ImportStar):
        entry = table.lookup(module)
        if entry is not None and entry.target and entry.kind == "module" and not suppressed(node, code_of(entry)):
            plan.new = node.with_changes(module=dotted_expression(entry.target))
        return plan
    modules, names = set(), []
    for alias in node.names:
        entry = target(f"{module}.{alias.evaluated_name}", alias, False)
        if entry is None:
            modules.add(module)
            names.append(alias)
            continue
        new_module, _, new_name = entry.target.rpartition(".")
        modules.add(new_module)
        bound = alias.evaluated_alias or alias.evaluated_name
        asname = alias.asname if alias.asname is not None else (cst.AsName(name=cst.Name(bound)) if new_name != bound else None)
        names.append(alias.with_changes(name=cst.Name(new_name), asname=asname))
        plan.rebinds[bound] = entry.target
        plan.edits.append((alias, entry))
    if not plan.edits:
        return plan
    if len(modules) > 1:
        return ImportPlan(mixed=True)
    plan.new = node.with_changes(module=dotted_expression(modules.pop()), names=names)
    return plan


class TorchApiImportsCodemod(MigrationCodemod):
    """Rewrite imports of torch.cuda modules and names by the torch_npu table (codes C2C501, C2C502, C2C510)."""

    DESCRIPTION = "import torch.cuda... → import torch.npu..., keeping local names"
    TRIGGER = re.compile(r"(?m)^[ \t]*(from|import)[ \t][^\n]*(cuda|nccl)|import[ \t]*\([^)]*(cuda|nccl)")

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
        return self._apply(original_node, updated_node)

    def leave_ImportFrom(self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom) -> cst.ImportFrom:
        return self._apply(original_node, updated_node)

    def _apply(self, original: cst.Import | cst.ImportFrom, updated: cst.Import | cst.ImportFrom) -> cst.Import | cst.ImportFrom:
        plan = plan_import(original, self.table, self.suppressed)
        if plan.mixed:
            module = get_full_name_for_node(original.module) if isinstance(original, cst.ImportFrom) else ""
            self.finding(original, "C2C510", module or "", "approximate",
                         f"from {module} import ...: some names move to torch.npu and others stay; split the import by hand")
            return updated
        for alias, entry in plan.edits:
            message = f"{entry.name} → {entry.target}"
            self.change(alias, code_of(entry), entry.name, message, entry.status)
            if entry.status != "exact":
                self.finding(alias, "C2C502", entry.name, entry.status, f"{message}: {entry.note}")
        if isinstance(original, cst.ImportFrom) and isinstance(original.names, cst.ImportStar) and plan.new is not None:
            self.change(original, "C2C501", get_full_name_for_node(original.module) or "", "star import moved to torch.npu")
        return plan.new if plan.new is not None else updated
