"""Find every CUDA host-API dependency of a source file: calls, types, enumerators, includes, launches.

The syntax tree decides what is code: names inside comments and string literals are never reported.
Each use carries the mapping-table status (`cuda2cann/mappings/*.toml`); a name that belongs to a
known library by its spelling (`cublasFoo`, `CUDNN_BAR`, `<cuda/...>`) but is missing from the table
is reported with status `unknown`, like Huawei's unknown_api list. Names the file declares itself
(helper functions such as `cudaCheckError`, variables such as `cudaStatus`, macros) are not reported
unless they are in a table, and a declaration of a table name (a shim defining `cudaMalloc`) is not
a use. Macro bodies are scanned too: their spans point into the `#define` line of the original text.

Spans: `start_byte`/`end_byte` cover exactly the name in the source (for a header, the path between
the `<>` or quotes; for a launch, the kernel's name), so `source[start_byte:end_byte]` decodes to
`name`. Lines and columns are 1-based; columns count characters; `end_column` is exclusive.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from tree_sitter import Node

from cuda2cann.frontend.cuda.parser import parse, text, walk
from cuda2cann.mappings.tables import MappingTables, default_tables

UNKNOWN = "unknown"
USE_KINDS = ("function", "type", "enum", "header", "launch")
LAUNCH_NOTE = "kernel launch: see the kernel's translation"

#: parents whose `name` field declares the name (not a use)
_NAMING_PARENTS = {"preproc_def", "preproc_function_def", "enumerator", "alias_declaration", "namespace_definition",
                   "concept_definition"}
#: parents that declare their `name` only when they carry a body (`struct X { ... }`, not `struct X x;`)
_BODY_PARENTS = {"struct_specifier", "class_specifier", "union_specifier", "enum_specifier"}
#: declarators without a field for their inner declarator
_BARE_DECLARATORS = {"reference_declarator", "parenthesized_declarator"}
_ALL_CAPS = re.compile(r"[A-Z][A-Z0-9_]*")
_MACRO_WRAPPER = b"void __cuda2cann_macro__() {\n"
_DEFINE = re.compile(rb"#[ \t]*define[ \t]+([A-Za-z_]\w*)")


@dataclass(frozen=True)
class ApiUse:
    """One use of a CUDA API in a source file, with what the mapping tables say about it."""

    name: str
    library: str
    kind: str  # one of USE_KINDS
    line: int
    column: int
    end_line: int
    end_column: int
    start_byte: int
    end_byte: int
    status: str  # exact | approximate | unsupported | unknown
    target: str
    note: str


def find_api_uses(source: bytes, path: str, *, tables: MappingTables | None = None) -> list[ApiUse]:
    """Every CUDA API use in `source` (the bytes of the file at `path`), in source order."""
    if not isinstance(source, bytes):
        raise TypeError(f"{path}: find_api_uses needs the file's bytes, got {type(source).__name__}")
    return _Finder(source, tables or default_tables()).run()


class _Finder:
    def __init__(self, source: bytes, tables: MappingTables) -> None:
        self.source = source
        self.tables = tables
        self.line_starts = [0] + [m.end() for m in re.finditer(rb"\n", source)]
        self.found: dict[tuple[int, int], ApiUse] = {}
        self.pending: list[tuple[int, int, str, str, str]] = []  # unknown candidates: start, end, name, kind, library
        self.declared: set[str] = set()

    def run(self) -> list[ApiUse]:
        root = parse(self.source).root_node
        self._scan(root, 0, 0, len(self.source))
        for start, end, name, kind, library in self.pending:
            if name not in self.declared:
                self._add(start, end, name, library, kind, UNKNOWN, "", f"not in the {library} mapping table: check by hand")
        return [self.found[k] for k in sorted(self.found)]

    # -- walking -----------------------------------------------------------------------------------------------

    def _scan(self, root: Node, shift: int, lo: int, hi: int) -> None:
        """Visit `root`'s nodes; node byte b is original byte b + shift; only nodes within [lo, hi) count."""
        skip_until = -1  # end of the #define directive just handled (its body was scanned on its own)
        for node in walk(root):
            if not (lo <= node.start_byte and node.end_byte <= hi) or node.start_byte < skip_until:
                continue
            kind = node.type
            if kind == "#define":
                # tree-sitter's view of a #define is unreliable (a comment in it yields ERROR nodes): take the
                # directive from the text, up to its logical end, and scan its body as code of its own
                skip_until = self._define(node.start_byte + shift) - shift
            elif kind == "preproc_include":
                self._include(node, shift)
            elif kind in ("identifier", "type_identifier"):
                self._identifier(node, shift)

    def _define(self, start: int) -> int:
        """Handle the `#define` at original byte `start`; return the original byte where the directive ends."""
        src = self.source
        end = _logical_line_end(src, start)
        m = _DEFINE.match(src, start, end)
        if m is None:
            return end
        self.declared.add(m.group(1).decode("utf-8", errors="replace"))
        body_start = m.end()
        if src[body_start:body_start + 1] == b"(":
            close = src.find(b")", body_start, end)
            body_start = end if close < 0 else close + 1
        # a line continuation becomes a space followed by the newline: byte offsets stay the same
        body = src[body_start:end].replace(b"\\\r\n", b" \r\n").replace(b"\\\n", b" \n")
        wrapped = _MACRO_WRAPPER + body + b"\n}\n"
        offset = len(_MACRO_WRAPPER)
        self._scan(parse(wrapped).root_node, body_start - offset, offset, offset + len(body))
        return end

    def _include(self, node: Node, shift: int) -> None:
        path_node = node.child_by_field_name("path")
        if path_node is None or path_node.type not in ("system_lib_string", "string_literal"):
            return  # `#include MACRO`
        start, end = path_node.start_byte + 1, path_node.end_byte - 1
        if end <= start:
            return
        name = self.source[start + shift:end + shift].decode("utf-8", errors="replace")
        mapping = self.tables.header(name)
        if mapping is not None:
            self._add(start + shift, end + shift, name, mapping.library, "header", mapping.status, mapping.target, mapping.note)
        elif path_node.type == "system_lib_string" and (lib := self.tables.library_of_header(name)) is not None:
            self.pending.append((start + shift, end + shift, name, "header", lib.name))

    def _identifier(self, node: Node, shift: int) -> None:
        name = text(node)
        if _declares(node):
            self.declared.add(name)
            return
        call = _call_of(node)
        start, end = node.start_byte + shift, node.end_byte + shift
        if call is not None and any(c.type == "kernel_call_syntax" for c in call.children):
            self._add(start, end, name, "cuda_runtime", "launch", UNKNOWN, "", LAUNCH_NOTE)
            return
        mapping = self.tables.lookup(name)
        if mapping is not None:
            self._add(start, end, name, mapping.library, mapping.kind, mapping.status, mapping.target, mapping.note)
            return
        if _ALL_CAPS.fullmatch(name):
            lib = self.tables.library_of_constant(name)
            if lib is not None and call is None:  # an ALL_CAPS "call" is a macro such as CUBLAS_CHECK(...)
                self.pending.append((start, end, name, "enum", lib.name))
            return
        lib = self.tables.library_of_identifier(name)
        if lib is None:
            return
        if call is not None:
            kind = "function"
        elif node.type == "type_identifier" or name.endswith("_t"):
            kind = "type"
        else:
            kind = "enum"
        self.pending.append((start, end, name, kind, lib.name))

    # -- results -----------------------------------------------------------------------------------------------

    def _add(self, start: int, end: int, name: str, library: str, kind: str, status: str, target: str, note: str) -> None:
        line, column = self._position(start)
        end_line, end_column = self._position(end)
        self.found.setdefault((start, end), ApiUse(name, library, kind, line, column, end_line, end_column, start, end,
                                                   status, target, note))

    def _position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.line_starts, offset) - 1
        prefix = self.source[self.line_starts[index]:offset]
        return index + 1, len(prefix.decode("utf-8", errors="replace")) + 1


def _field_of(node: Node) -> str | None:
    parent = node.parent
    for i, child in enumerate(parent.children):
        if child == node:
            return parent.field_name_for_child(i)
    return None


def _declares(node: Node) -> bool:
    """Whether this identifier is the name being declared (a function, variable, parameter, type, macro, enumerator)."""
    parent = node.parent
    if parent is None:
        return False
    if parent.type in _BARE_DECLARATORS:
        return True
    field_name = _field_of(node)
    if field_name == "declarator":
        return True
    if field_name == "name":
        return parent.type in _NAMING_PARENTS or (parent.type in _BODY_PARENTS and parent.child_by_field_name("body") is not None)
    return False


def _call_of(node: Node) -> Node | None:
    """The call_expression whose callee is `node` (also as `ns::f`, `::f` or `f<T>`), else None."""
    callee = node
    while callee.parent is not None and callee.parent.type in ("qualified_identifier", "template_function") \
            and _field_of(callee) == "name":
        callee = callee.parent
    parent = callee.parent
    if parent is not None and parent.type == "call_expression" and _field_of(callee) == "function":
        return parent
    return None


def _logical_line_end(src: bytes, start: int) -> int:
    """Byte offset of the newline that ends the preprocessor directive starting at `start` (or the end of `src`).

    A backslash-newline continues the line and a block comment may span lines; string and character literals
    are skipped, so that a comment opener inside one counts for nothing.
    """
    i, n = start, len(src)
    while i < n:
        c = src[i]
        if c == 0x0A:  # \n
            return i
        if c == 0x5C:  # backslash: escapes the next byte (a newline, or \r\n)
            i += 3 if src[i + 1:i + 3] == b"\r\n" else 2
        elif src.startswith(b"/*", i):
            close = src.find(b"*/", i + 2)
            i = n if close < 0 else close + 2
        elif src.startswith(b"//", i):
            newline = src.find(b"\n", i)
            return n if newline < 0 else newline
        elif c in (0x22, 0x27):  # " or '
            i += 1
            while i < n and src[i] not in (c, 0x0A):
                i += 2 if src[i] == 0x5C else 1
            if i < n and src[i] == c:  # an unterminated literal ends at the newline, which ends the directive
                i += 1
        else:
            i += 1
    return n
