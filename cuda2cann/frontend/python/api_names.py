"""Uses of torch.cuda (and other CUDA-specific torch) names → their torch_npu counterparts, by the table.

    torch.cuda.synchronize()              →  torch.npu.synchronize()              (C2C501)
    torch.cuda.CUDAGraph()                →  torch.npu.NPUGraph()                 (C2C502, review)
    torch.backends.cudnn.allow_tf32 = x   →  torch.npu.conv.allow_hf32 = x        (C2C502, review)
    dist.Backend.NCCL                     →  dist.Backend.HCCL                    (C2C501)
    torch.cuda.nvtx.range_push("x")       →  unchanged                            (C2C503, no counterpart)
    torch.backends.cudnn.benchmark = True →  unchanged                            (C2C504, kept: no effect)
    torch.cuda.foo()                      →  unchanged                            (C2C505, not in the table)

Names are resolved through the imports (QualifiedNameProvider), never by their text: `tc.synchronize()` after
`import torch.cuda as tc` is `torch.cuda.synchronize`. A use is respelled from its own root name, taking into
account how `TorchApiImportsCodemod` rebinds that name (`tc` becomes `torch.npu`), so after both passes the code
names the target; when the root cannot spell the target (`cudnn.allow_tf32` after `from torch.backends import
cudnn`) the full target is written if `torch` is bound in that scope, else the use is kept with C2C504.
Only plain dotted chains count: `torch.cuda.current_stream().synchronize` is the call `torch.cuda.current_stream`.
"""
from __future__ import annotations

import re

import libcst as cst
from libcst.metadata import PositionProvider, QualifiedNameProvider, QualifiedNameSource, ScopeProvider

from cuda2cann.frontend.python.api_imports import ImportPlan, plan_import
from cuda2cann.frontend.python.base import MigrationCodemod, chain_root, dotted_expression, dotted_parts

_FINDING_CODES = {"unsupported": "C2C503", "approximate": "C2C504", "unknown": "C2C505"}


class TorchApiNamesCodemod(MigrationCodemod):
    """Rewrite or flag each use of a name of the torch_npu table (codes C2C501 to C2C505)."""

    DESCRIPTION = "torch.cuda.X → torch.npu.X and other table-driven renames; findings for what has no counterpart"
    METADATA_DEPENDENCIES = (PositionProvider, QualifiedNameProvider, ScopeProvider)
    TRIGGER = re.compile(r"cuda|cudnn|NCCL|nccl")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._replace: dict[cst.CSTNode, cst.BaseExpression] = {}
        self._plans: dict[cst.CSTNode, ImportPlan] = {}

    # imports are TorchApiImportsCodemod's
    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        parts = dotted_parts(node)
        if parts is None:
            return True
        self._use(node, parts)
        return False  # the outermost plain chain decides; its prefixes are not uses of their own

    def visit_Name(self, node: cst.Name) -> bool:
        self._use(node, [node.value])
        return False

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        return self._replace.get(original_node, updated_node)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self._replace.get(original_node, updated_node)

    # -- one use ----------------------------------------------------------------------------------------------------

    def _use(self, node: cst.Name | cst.Attribute, parts: list[str]) -> None:
        name = self.qualified_name(node)
        entry = self.table.resolve(name) if name else None
        if entry is None:
            return
        if not entry.target:
            code = _FINDING_CODES[entry.status]
            self.finding(node, code, name, entry.status, f"{name}: {entry.note}")
            return
        root = chain_root(node)
        bound = self.qualified_name(root)
        if bound is None or not (name == bound or name.startswith(bound + ".")):
            return
        rebound = self._rebound(root, bound)
        if rebound is None:
            return  # bound by a from-import left to the user with C2C510
        spelled = self._respell(root, parts, rebound, entry.target)
        if spelled is None:
            self.finding(node, "C2C504", name, "approximate",
                         f"{name}: rewrite to {entry.target} by hand (no `import torch` in scope to spell it). {entry.note}")
            return
        if spelled == ".".join(parts):
            return  # the rewritten import already names the target
        code, message = ("C2C501" if entry.status == "exact" else "C2C502"), f"{name} → {entry.target}"
        if not self.change(node, code, name, message, entry.status):
            return
        if entry.status != "exact":
            self.finding(node, "C2C502", name, entry.status, f"{message}: {entry.note}")
        self._replace[node] = dotted_expression(spelled).with_changes(lpar=node.lpar, rpar=node.rpar)

    def _respell(self, root: cst.CSTNode, parts: list[str], rebound: str, target: str) -> str | None:
        """How `target` is spelled from the use's root name, bound to `rebound` after the imports are rewritten."""
        if target == rebound:
            return parts[0]
        if target.startswith(rebound + "."):
            return parts[0] + target[len(rebound):]
        return target if self._torch_bound(root) else None

    def _rebound(self, root: cst.Name, bound: str) -> str | None:
        """What the import binding `root` is bound to after TorchApiImportsCodemod (its plan for that import);
        None when that import is a mixed one the codemod leaves alone."""
        scope = self.get_metadata(ScopeProvider, root, None)
        if scope is None:
            return bound
        for assignment in scope[root.value]:
            statement = getattr(assignment, "node", None)
            if isinstance(statement, (cst.Import, cst.ImportFrom)):
                if statement not in self._plans:
                    self._plans[statement] = plan_import(statement, self.table, self.suppressed)
                plan = self._plans[statement]
                if plan.mixed:
                    return None
                if root.value in plan.rebinds:
                    return plan.rebinds[root.value]
        return bound

    def _torch_bound(self, node: cst.CSTNode) -> bool:
        scope = self.get_metadata(ScopeProvider, node, None)
        return scope is not None and any(q.name == "torch" and q.source == QualifiedNameSource.IMPORT
                                         for q in scope.get_qualified_names_for("torch"))
