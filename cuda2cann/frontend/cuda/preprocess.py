"""Run the C preprocessor (pcpp, pure Python) over a CUDA file for analysis.

Expands the file's own `#define` constants and function-like macros, resolves `#if/#ifdef` with the
configured defines, and follows `#include "..."` of the project (system headers are left alone).
The result keeps `#line` markers, from which `LineMap` maps every line back to its source file.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from pcpp.preprocessor import Action, OutputDirective, Preprocessor

_LINE = re.compile(r'^#line (\d+) "(.*)"\s*$')
#: defines that CUDA code tests for; the device pass of nvcc sets these
DEFAULT_DEFINES = {"__CUDACC__": "1", "__CUDA_ARCH__": "800", "__NVCC__": "1"}


class PreprocessError(ValueError):
    """The preprocessor could not handle the file (message names file and line)."""


@dataclass
class Preprocessed:
    text: str
    #: for each 1-based line of `text`: (source file, source line)
    origins: list[tuple[str, int]] = field(default_factory=list)

    def origin(self, line: int) -> tuple[str, int]:
        return self.origins[line - 1] if 0 < line <= len(self.origins) else ("<unknown>", line)


class _Pre(Preprocessor):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def on_include_not_found(self, is_malformed, is_system_include, curdir, includepath):
        raise OutputDirective(Action.IgnoreAndPassThrough)

    def on_error(self, file, line, msg):
        self.problems.append(f"{file}:{line}: {msg}")

    def on_unknown_macro_in_expr(self, tok):
        return 0  # C semantics: an unknown identifier in #if is 0


def preprocess(path: Path, include_dirs: tuple[Path, ...] = (), defines: dict[str, str] | None = None) -> Preprocessed:
    pre = _Pre()
    pre.line_directive = "#line"
    for k, v in {**DEFAULT_DEFINES, **(defines or {})}.items():
        pre.define(f"{k} {v}")
    for d in (path.parent, *include_dirs):
        pre.add_path(str(d))
    try:
        pre.parse(path.read_text(encoding="utf-8"), str(path))
        out = io.StringIO()
        pre.write(out)
    except UnicodeDecodeError:
        raise PreprocessError(f"{path}: not UTF-8 text") from None
    if pre.problems:
        raise PreprocessError(pre.problems[0])
    return _strip_markers(out.getvalue(), path)


def _strip_markers(text: str, path: Path) -> Preprocessed:
    """Replace `#line` markers by blank lines and record where each line came from."""
    lines, origins = [], []
    file, line = str(path), 1
    for raw in text.split("\n"):
        m = _LINE.match(raw)
        if m:
            line, file = int(m.group(1)), _display(m.group(2), path)
            lines.append("")
            origins.append((file, 0))
            continue
        lines.append(raw)
        origins.append((file, line))
        line += 1
    return Preprocessed("\n".join(lines), origins)


def _display(marker: str, main: Path) -> str:
    """pcpp writes paths relative to the working directory; show the main file as the user named it."""
    return str(main) if Path(marker).resolve() == main.resolve() else marker
