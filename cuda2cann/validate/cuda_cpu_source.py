"""Prepare an original CUDA source for cuda-cpu: syntax-tree rewrites, never regular expressions.

On the CPU every CUDA thread of a block runs on its own fiber stack, so a `__shared__` variable
must live in per-block storage, and host launches `k<<<g, b, s, st>>>(...)` become calls of the
cuda-cpu launcher. Project headers included with `#include "..."` are rewritten the same way into
a staging folder that shadows them on the include path. The user's files are never modified.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tree_sitter import Node

from cuda2cann.frontend.cuda.parser import enclosing, function_name, line_of, parse, text, walk
from cuda2cann.source.edits import Edit, apply_edits

#: identifiers whose presence means threads of a block must be able to wait for each other
SYNC_IDENTIFIERS = frozenset({
    "__syncthreads", "__syncthreads_count", "__syncthreads_and", "__syncthreads_or", "__syncwarp",
    "__shfl_sync", "__shfl_up_sync", "__shfl_down_sync", "__shfl_xor_sync", "__ballot_sync", "__any_sync",
    "__all_sync", "__match_any_sync", "__reduce_add_sync", "this_thread_block", "tiled_partition", "BlockReduce",
    "WarpReduce", "BlockScan", "grid_group", "sync",
})
USER_MAIN = "cuda2cann_user_main"
MODE_PLACEHOLDER = "CUDA2CANN_SYNC_MODE_TBD"


class CudaSourceError(ValueError):
    """A construct cuda-cpu cannot model; the message is `path:line: reason`."""


@dataclass
class PreparedSource:
    """A CUDA file ready to be inlined into a cuda-cpu driver."""

    path: Path
    text: str
    sync_mode: str  # "Fibers" or "Loop"
    include_dirs: tuple[Path, ...] = ()
    dependencies: tuple[Path, ...] = ()


@dataclass
class _Rewriter:
    search_dirs: tuple[Path, ...]
    next_id: int = 1
    uses_sync: bool = False
    rewritten: dict[Path, bytes] = field(default_factory=dict)

    def rewrite_file(self, path: Path) -> bytes:
        path = path.resolve()
        if path in self.rewritten:
            return self.rewritten[path]
        self.rewritten[path] = b""  # guards against include cycles
        try:
            source = path.read_bytes()
        except OSError as exc:
            raise CudaSourceError(f"{path}: cannot read: {exc.strerror}") from None
        source = self.normalise_align(source)
        tree = parse(source)
        edits: list[Edit] = []
        for node in walk(tree.root_node):
            if node.type == "declaration" and _has_shared_qualifier(node):
                edits.append(self.shared_declaration(node, path))
            elif node.type == "call_expression" and _launch_config(node) is not None:
                edits.append(self.launch(node))
            elif node.type == "function_definition" and function_name(node) == "main":
                edits.append(_rename_main(node))
            elif node.type in ("identifier", "field_identifier", "type_identifier") and text(node) in SYNC_IDENTIFIERS:
                self.uses_sync = True
            elif node.type == "preproc_include":
                self.follow_include(node, path)
        result = apply_edits(source, _outermost(edits))
        self.rewritten[path] = result
        return result

    @staticmethod
    def normalise_align(source: bytes) -> bytes:
        """CUDA's `__align__(n)` macro is spelled `alignas(n)`, which tree-sitter understands."""
        tree = parse(source)
        edits = [Edit(n.start_byte, n.end_byte, b"alignas") for n in walk(tree.root_node)
                 if n.child_count == 0 and n.text == b"__align__"]
        return apply_edits(source, edits) if edits else source

    def shared_declaration(self, decl: Node, path: Path) -> Edit:
        where = f"{path}:{line_of(decl)}"
        if enclosing(decl, "function_definition") is None:
            raise CudaSourceError(f"{where}: __shared__ variables at namespace scope are not supported by cuda-cpu")
        is_extern = any(c.type == "storage_class_specifier" and text(c) == "extern" for c in decl.children)
        qualifiers = [text(c) for c in decl.children if c.type == "type_qualifier"
                      and text(c) != "__shared__" and not text(c).startswith("alignas")]
        base = " ".join([*qualifiers, text(decl.child_by_field_name("type"))])
        parts = []
        for declarator in decl.children_by_field_name("declarator"):
            if declarator.type == "init_declarator":
                raise CudaSourceError(f"{where}: a __shared__ variable cannot have an initializer")
            name, suffix = _split_declarator(declarator, where)
            if is_extern:
                if suffix.replace(" ", "") != "[]":
                    raise CudaSourceError(f"{where}: extern __shared__ must be an unsized array")
                parts.append(f"{base}* {name} = cuda_cpu::dynamic_shared<{base}>();")
            else:
                parts.append(f"auto& {name} = *cuda_cpu::block_shared<{base}{suffix}>({self.next_id});")
                self.next_id += 1
        return Edit(decl.start_byte, decl.end_byte, " ".join(parts).encode())

    def launch(self, call: Node) -> Edit:
        config = [text(c) for c in _launch_config(call).named_children]
        config += ["0"] * (4 - len(config))
        mode = "cuda_cpu::SyncMode::" + MODE_PLACEHOLDER  # filled once every file has been scanned
        fn = text(call.child_by_field_name("function"))
        args = [text(a) for a in call.child_by_field_name("arguments").named_children if a.type != "comment"]
        replacement = f"cuda_cpu::launch(cuda_cpu::LaunchConfig({', '.join(config)}, {mode}), {', '.join([fn, *args])})"
        return Edit(call.start_byte, call.end_byte, replacement.encode())

    def follow_include(self, node: Node, path: Path) -> None:
        target = node.child_by_field_name("path")
        if target is None or target.type != "string_literal":
            return  # <system> headers are the runtime's business
        name = text(target).strip('"')
        for base in (path.parent, *self.search_dirs):
            candidate = base / name
            if candidate.is_file():
                self.rewrite_file(candidate)
                return


def _has_shared_qualifier(decl: Node) -> bool:
    return any(c.type == "type_qualifier" and text(c) == "__shared__" for c in decl.children)


def _launch_config(call: Node) -> Node | None:
    return next((c for c in call.children if c.type == "kernel_call_syntax"), None)


def _rename_main(defn: Node) -> Edit:
    decl = defn.child_by_field_name("declarator")
    while decl.type != "function_declarator":
        decl = decl.child_by_field_name("declarator")
    ident = decl.child_by_field_name("declarator")
    return Edit(ident.start_byte, ident.end_byte, USER_MAIN.encode())


def _split_declarator(declarator: Node, where: str) -> tuple[str, str]:
    """`a[32][33]` → ("a", "[32][33]"); `*p` → ("p", "*") is returned as a pointer-typed object."""
    if declarator.type == "identifier":
        return text(declarator), ""
    if declarator.type == "array_declarator":
        inner = declarator
        while inner.type == "array_declarator":
            inner = inner.child_by_field_name("declarator")
        if inner.type != "identifier":
            raise CudaSourceError(f"{where}: unsupported __shared__ declarator {text(declarator)!r}")
        whole = text(declarator)
        return text(inner), whole[whole.index(text(inner)) + len(text(inner)):]
    raise CudaSourceError(f"{where}: unsupported __shared__ declarator {text(declarator)!r}")


def _outermost(edits: list[Edit]) -> list[Edit]:
    """Drop edits nested inside others (a launch inside a rewritten region is already covered)."""
    kept: list[Edit] = []
    for e in sorted(edits, key=lambda e: (e.start, -e.end)):
        if kept and e.start < kept[-1].end:
            continue
        kept.append(e)
    return kept


def prepare_cuda_source(path: Path, search_dirs: tuple[Path, ...] = (), staging_root: Path | None = None) -> PreparedSource:
    """Rewrite `path` and its project headers for cuda-cpu; headers go to a content-addressed folder."""
    path = path.resolve()
    rewriter = _Rewriter(search_dirs)
    rewriter.rewrite_file(path)
    # a launch anywhere uses fibers as soon as any synchronising primitive appears in the file or its headers
    mode = "Fibers" if rewriter.uses_sync else "Loop"
    texts = {p: t.replace(MODE_PLACEHOLDER.encode(), mode.encode()) for p, t in rewriter.rewritten.items()}
    main_text = texts[path]
    headers = {p: t for p, t in texts.items() if p != path}
    if not headers:
        return PreparedSource(path, main_text.decode("utf-8", errors="replace"), mode, (path.parent, *search_dirs))
    digest = hashlib.sha256(b"".join(str(p).encode() + t for p, t in sorted(headers.items()))).hexdigest()[:24]
    root = (staging_root or Path(tempfile.gettempdir()) / "cuda2cann-staging") / digest
    deps = []
    for header, content in headers.items():
        staged = root / header.relative_to(header.anchor)
        deps.append(staged)
        if not staged.exists():
            staged.parent.mkdir(parents=True, exist_ok=True)
            tmp = staged.with_name(staged.name + f".{os.getpid()}.tmp")
            tmp.write_bytes(content)
            os.replace(tmp, staged)
    mirror = root / path.parent.relative_to(path.anchor)
    return PreparedSource(path, main_text.decode("utf-8", errors="replace"), mode,
                          (mirror, path.parent, *search_dirs), tuple(deps))
