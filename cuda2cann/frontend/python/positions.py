"""Where a string literal is a device or a backend: the positions shared by the device and backend codemods.

A literal is rewritten only where the code uses it as such a value (the rule documented in
docs/python_migration.md):

1. the value of a keyword argument whose name matches `NAME` or is in `EXTRA_KEYWORDS` (`device=`, `device_type=`,
   `map_location=`, `backend=`);
2. the first positional argument of a call whose qualified name is in `FIRST_ARG` or under `FIRST_ARG_PREFIXES`
   (`torch.device("cuda", 0)`, `init_process_group("nccl")`), and of the methods in `FIRST_ARG_METHODS` on any
   object (`x.to("cuda")`);
3. the value assigned to a variable, attribute, subscript key, parameter default or dict key named so
   (`device = "cuda"`, `def f(device="cuda")`, `{"device": "cuda"}`), and the `default`/`choices`/`const` of an
   argparse `add_argument` whose option is named so (`"--device"`);
4. either side of `==`, `!=`, `in`, `not in`, and the argument of `.startswith(...)` (`x.device.type == "cuda"`).

In these positions the subclass's `literals` finds the strings (through `a if c else b`, `or`, tuples, dicts).
In positions 1 to 3 a plain name is followed to the values assigned to it in its scope (`loc = "cuda:0"` ...
`torch.load(f, map_location=loc)`, a parameter default), so the literal is rewritten where it is written.
Positions are collected over the whole module before anything is rewritten, so a use may follow its assignment.
Everything else (log messages, docstrings, file names) is never touched.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType

import libcst as cst
from libcst.metadata import PositionProvider, QualifiedNameProvider, ScopeProvider

from cuda2cann.frontend.python.base import MigrationCodemod, dotted_parts
from cuda2cann.frontend.python.strings import StringNode, leaves, literal

_COMPARISONS = (cst.Equal, cst.NotEqual, cst.In, cst.NotIn)
_ARGPARSE_KEYWORDS = ("default", "choices", "const")


class LiteralPositionsCodemod(MigrationCodemod):
    """Rewrite the literals that `literals` finds in device/backend positions with `rewrite`, logged as `CODE`."""

    METADATA_DEPENDENCIES = (PositionProvider, QualifiedNameProvider, ScopeProvider)
    CODE: str
    API: str
    NAME: re.Pattern[str]
    EXTRA_KEYWORDS: frozenset[str] = frozenset()
    FIRST_ARG: frozenset[str] = frozenset()
    FIRST_ARG_PREFIXES: tuple[str, ...] = ()
    FIRST_ARG_METHODS: frozenset[str] = frozenset()
    #: qualified call name → keywords that are positions only for that call (`torch.device(type=...)`)
    CALL_KEYWORDS: Mapping[str, frozenset[str]] = MappingProxyType({})
    literals: Callable[[cst.BaseExpression], list[StringNode]]
    rewrite: Callable[[StringNode], StringNode]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._marked: set[cst.CSTNode] = set()
        self._values: dict[cst.CSTNode, cst.BaseExpression] = {}  # assigned Name / Param → its value

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self.ensure_suppressions(tree)
        collector = _Positions(self)
        tree.visit(collector)  # first every position and every simple assignment, so names can be followed backwards
        for expr, follow in collector.positions:
            self._mark(expr, follow)
        return super().transform_module_impl(tree)

    def named(self, name: str | None) -> bool:
        """Whether a keyword, variable, key or option called `name` holds a device (or backend)."""
        return name is not None and (bool(self.NAME.search(name)) or name in self.EXTRA_KEYWORDS)

    def _mark(self, expr: cst.BaseExpression | None, follow: bool = True, seen: frozenset[cst.CSTNode] = frozenset()) -> None:
        """Mark the literals of `expr`; with `follow`, also those assigned to the names it uses (`loc = "cuda:0"`)."""
        for leaf in leaves(expr) if expr is not None else ():
            if isinstance(leaf, cst.Name):
                if follow:
                    self._follow(leaf, seen)
                continue
            for node in type(self).literals(leaf):
                new = type(self).rewrite(node)
                if node not in self._marked and self.change(node, self.CODE, self.API, f"{node.value} → {new.value}"):
                    self._marked.add(node)

    def _follow(self, name: cst.Name, seen: frozenset[cst.CSTNode]) -> None:
        scope = self.get_metadata(ScopeProvider, name, None)
        for assignment in scope[name.value] if scope is not None else ():
            target = getattr(assignment, "node", None)
            if target in self._values and target not in seen:
                self._mark(self._values[target], True, seen | {target})

    # -- positions (called by _Positions) -------------------------------------------------------------------------

    def positions_of_call(self, node: cst.Call) -> Iterator[tuple[cst.BaseExpression, bool]]:
        positional = [a for a in node.args if a.keyword is None and not a.star]
        name = self.qualified_name(node.func) if dotted_parts(node.func) is not None else None
        call_keywords = self.CALL_KEYWORDS.get(name or "", frozenset())
        for arg in node.args:
            if arg.keyword is not None and (self.named(arg.keyword.value) or arg.keyword.value in call_keywords):
                yield arg.value, True
        if positional and name is not None and (name in self.FIRST_ARG or name.startswith(self.FIRST_ARG_PREFIXES)):
            yield positional[0].value, True
        if not isinstance(node.func, cst.Attribute):
            return
        method = node.func.attr.value
        if positional and method in self.FIRST_ARG_METHODS:
            yield positional[0].value, True
        if positional and method == "startswith":
            yield positional[0].value, False
        if method == "add_argument" and any(self.named(_option(a.value)) for a in positional):
            yield from ((a.value, False) for a in node.args if a.keyword is not None and a.keyword.value in _ARGPARSE_KEYWORDS)

    def remember(self, binding: cst.CSTNode, value: cst.BaseExpression | None) -> None:
        """`binding` (an assigned Name, or a Param) takes `value`: a name in a position is followed to it."""
        if value is not None:
            self._values[binding] = value

    def positions_of_assignment(self, targets: list[cst.BaseExpression], value: cst.BaseExpression | None
                                ) -> Iterator[tuple[cst.BaseExpression, bool]]:
        if value is not None and any(self.named(_target_name(t)) for t in targets):
            yield value, True

    def positions_of_comparison(self, node: cst.Comparison) -> Iterator[tuple[cst.BaseExpression, bool]]:
        if any(isinstance(t.operator, _COMPARISONS) for t in node.comparisons):
            yield node.left, False
            yield from ((t.comparator, False) for t in node.comparisons)

    # -- rewriting ----------------------------------------------------------------------------------------------------

    def leave_SimpleString(self, original_node: cst.SimpleString, updated_node: cst.SimpleString) -> cst.SimpleString:
        return type(self).rewrite(updated_node) if original_node in self._marked else updated_node

    def leave_FormattedStringText(self, original_node: cst.FormattedStringText,
                                  updated_node: cst.FormattedStringText) -> cst.FormattedStringText:
        return type(self).rewrite(updated_node) if original_node in self._marked else updated_node


class _Positions(cst.CSTVisitor):
    """Collects, before any rewriting, the expressions in device/backend positions and the simple assignments."""

    def __init__(self, codemod: LiteralPositionsCodemod) -> None:
        super().__init__()
        self.codemod = codemod
        self.positions: list[tuple[cst.BaseExpression, bool]] = []  # (expression, follow names)

    def visit_Call(self, node: cst.Call) -> None:
        self.positions += self.codemod.positions_of_call(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        targets = [t.target for t in node.targets]
        for target in targets:
            if isinstance(target, cst.Name):
                self.codemod.remember(target, node.value)
        self.positions += self.codemod.positions_of_assignment(targets, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name):
            self.codemod.remember(node.target, node.value)
        self.positions += self.codemod.positions_of_assignment([node.target], node.value)

    def visit_Param(self, node: cst.Param) -> None:
        self.codemod.remember(node, node.default)
        self.positions += self.codemod.positions_of_assignment([node.name], node.default)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if self.codemod.named(literal(node.key)):
            self.positions.append((node.value, True))

    def visit_Comparison(self, node: cst.Comparison) -> None:
        self.positions += self.codemod.positions_of_comparison(node)


def _option(node: cst.CSTNode) -> str | None:
    """argparse's destination spelling of an option string: "--eval-device" → "eval_device"."""
    value = literal(node)
    return value.lstrip("-").replace("-", "_") if value is not None else None


def _target_name(target: cst.BaseExpression) -> str | None:
    if isinstance(target, cst.Name):
        return target.value
    if isinstance(target, cst.Attribute):
        return target.attr.value
    if isinstance(target, cst.Subscript) and len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
        return literal(target.slice[0].slice.value)
    return None
