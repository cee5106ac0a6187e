"""Where a string literal is a device or a backend: the positions shared by the device and backend codemods.

A literal is rewritten only where the code uses it as such a value (the rule documented in
docs/python_migration.md):

1. the value of a keyword argument whose name matches `NAME` (`device=`, `device_type=`, `map_location=`, `backend=`);
2. the first positional argument of a call whose qualified name is in `FIRST_ARG` or under `FIRST_ARG_PREFIXES`
   (`torch.device("cuda", 0)`, `init_process_group("nccl")`), and of the methods in `FIRST_ARG_METHODS` on any
   object (`x.to("cuda")`);
3. the value assigned to a variable, attribute, subscript key, parameter default or dict key whose name matches
   `NAME` (`device = "cuda"`, `def f(device="cuda")`, `{"device": "cuda"}`), and the `default`/`choices`/`const` of an
   argparse `add_argument` whose option name matches `NAME` (`"--device"`);
4. either side of `==`, `!=`, `in`, `not in`, and the argument of `.startswith(...)` (`x.device.type == "cuda"`).

In these positions the subclass's `literals` finds the strings (through `a if c else b`, `or`, tuples, dicts).
Everything else (log messages, docstrings, file names) is never touched.
"""
from __future__ import annotations

import re
from collections.abc import Callable

import libcst as cst
from libcst.metadata import PositionProvider, QualifiedNameProvider

from cuda2cann.frontend.python.base import MigrationCodemod, dotted_parts
from cuda2cann.frontend.python.strings import StringNode

_COMPARISONS = (cst.Equal, cst.NotEqual, cst.In, cst.NotIn)
_ARGPARSE_KEYWORDS = ("default", "choices", "const")


class LiteralPositionsCodemod(MigrationCodemod):
    """Rewrite the literals that `literals` finds in device/backend positions with `rewrite`, logged as `CODE`."""

    METADATA_DEPENDENCIES = (PositionProvider, QualifiedNameProvider)
    CODE: str
    API: str
    NAME: re.Pattern[str]
    EXTRA_KEYWORDS: frozenset[str] = frozenset()
    FIRST_ARG: frozenset[str] = frozenset()
    FIRST_ARG_PREFIXES: tuple[str, ...] = ()
    FIRST_ARG_METHODS: frozenset[str] = frozenset()
    #: qualified call name → keywords that are positions only for that call (`torch.device(type=...)`)
    CALL_KEYWORDS: dict[str, frozenset[str]] = {}
    literals: Callable[[cst.BaseExpression], list[StringNode]]
    rewrite: Callable[[StringNode], StringNode]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._marked: set[cst.CSTNode] = set()

    def _named(self, name: str | None) -> bool:
        return name is not None and bool(self.NAME.search(name))

    def _mark(self, expr: cst.BaseExpression | None) -> None:
        for node in type(self).literals(expr) if expr is not None else ():
            new = type(self).rewrite(node)
            if node not in self._marked and self.change(node, self.CODE, self.API, f"{node.value} → {new.value}"):
                self._marked.add(node)

    # -- positions ----------------------------------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        positional = [a for a in node.args if a.keyword is None and not a.star]
        name = self.qualified_name(node.func) if dotted_parts(node.func) is not None else None
        call_keywords = self.CALL_KEYWORDS.get(name or "", frozenset())
        for arg in node.args:
            if arg.keyword is not None and (self._named(arg.keyword.value) or arg.keyword.value in self.EXTRA_KEYWORDS | call_keywords):
                self._mark(arg.value)
        if positional and name is not None and (name in self.FIRST_ARG or name.startswith(self.FIRST_ARG_PREFIXES)):
            self._mark(positional[0].value)
        if not isinstance(node.func, cst.Attribute):
            return
        method = node.func.attr.value
        if positional and (method in self.FIRST_ARG_METHODS or method == "startswith"):
            self._mark(positional[0].value)
        if method == "add_argument" and any(self._named(_option(a.value)) for a in positional):
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value in _ARGPARSE_KEYWORDS:
                    self._mark(arg.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        if any(self._named(_target_name(t.target)) for t in node.targets):
            self._mark(node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if self._named(_target_name(node.target)):
            self._mark(node.value)

    def visit_Param(self, node: cst.Param) -> None:
        if self._named(node.name.value):
            self._mark(node.default)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if self._named(_string(node.key)):
            self._mark(node.value)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if any(isinstance(t.operator, _COMPARISONS) for t in node.comparisons):
            self._mark(node.left)
            for target in node.comparisons:
                self._mark(target.comparator)

    # -- rewriting ----------------------------------------------------------------------------------------------------

    def leave_SimpleString(self, original_node: cst.SimpleString, updated_node: cst.SimpleString) -> cst.SimpleString:
        return type(self).rewrite(updated_node) if original_node in self._marked else updated_node

    def leave_FormattedStringText(self, original_node: cst.FormattedStringText,
                                  updated_node: cst.FormattedStringText) -> cst.FormattedStringText:
        return type(self).rewrite(updated_node) if original_node in self._marked else updated_node


def _string(node: cst.CSTNode) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _option(node: cst.CSTNode) -> str | None:
    """argparse's destination spelling of an option string: "--eval-device" → "eval_device"."""
    value = _string(node)
    return value.lstrip("-").replace("-", "_") if value is not None else None


def _target_name(target: cst.BaseExpression) -> str | None:
    if isinstance(target, cst.Name):
        return target.value
    if isinstance(target, cst.Attribute):
        return target.attr.value
    if isinstance(target, cst.Subscript) and len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
        return _string(target.slice[0].slice.value)
    return None
