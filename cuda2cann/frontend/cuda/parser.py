"""tree-sitter-cuda parsing and small helpers over its syntax trees.

tree-sitter needs no CUDA toolkit and tolerates errors, which suits users who port to Ascend and
often have neither nvcc nor a complete build setup.
"""
from __future__ import annotations

import functools
from collections.abc import Iterator

import tree_sitter_cuda
from tree_sitter import Language, Node, Parser, Tree


@functools.cache
def cuda_language() -> Language:
    return Language(tree_sitter_cuda.language())


def parse(source: bytes) -> Tree:
    return Parser(cuda_language()).parse(source)


def walk(node: Node) -> Iterator[Node]:
    """All nodes below `node` (included), in source order."""
    cursor = node.walk()
    visited_children = False
    while True:
        if not visited_children:
            yield cursor.node
            if cursor.goto_first_child():
                continue
        if cursor.goto_next_sibling():
            visited_children = False
        elif cursor.goto_parent():
            visited_children = True
        else:
            return


def text(node: Node) -> str:
    return node.text.decode("utf-8", errors="replace")


def line_of(node: Node) -> int:
    """1-based line number of the node's first byte."""
    return node.start_point[0] + 1


def enclosing(node: Node, kind: str) -> Node | None:
    parent = node.parent
    while parent is not None and parent.type != kind:
        parent = parent.parent
    return parent


def function_name(defn: Node) -> str | None:
    """Name of a function_definition (unqualified, without template arguments)."""
    decl = defn.child_by_field_name("declarator")
    while decl is not None and decl.type not in ("function_declarator",):
        decl = decl.child_by_field_name("declarator")
    if decl is None:
        return None
    name = decl.child_by_field_name("declarator")
    return text(name) if name is not None else None
