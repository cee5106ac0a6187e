"""One source file → its findings. Runs in worker processes: everything here is picklable and import-light.

The CUDA frontend (tree-sitter) serves CUDA and C/C++ files; libcst is imported only for a Python file that
mentions CUDA, so `cuda2cann check` on a few C++ files stays fast.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cuda2cann.findings import Finding, input_finding
from cuda2cann.scan.adapters import from_api_use, from_kernel, from_python
from cuda2cann.scan.build_scripts import build_findings
from cuda2cann.scan.suppress import mark_suppressed, suppression_table
from cuda2cann.source.reading import DEFAULT_MAX_FILE_SIZE, SourceText, read_source
from cuda2cann.source.tree import SourceFile

#: a C-like file without any of these has no CUDA dependency to report
_MAYBE_CUDA_C = re.compile(rb"cuda|cublas|cudnn|nccl|curand|cufft|__global__|<<<", re.IGNORECASE)


@dataclass(frozen=True)
class ScanOptions:
    """How files are read: as `translate` reads them (include folders, defines, template types, SoC), plus a size limit."""

    include_dirs: tuple[Path, ...] = ()
    defines: tuple[tuple[str, str], ...] = ()
    template_dtypes: tuple[str, ...] = ("float",)
    soc: str = "Ascend910B2"
    max_file_size: int = DEFAULT_MAX_FILE_SIZE


@dataclass(frozen=True)
class FileResult:
    """What one file holds: its findings in source order, its line count, and the verdict on each kernel it defines."""

    file: SourceFile
    lines: int
    findings: tuple[Finding, ...]
    #: kernel name → status (ported / approximate / unported; the worst over its instantiations)
    kernels: tuple[tuple[str, str], ...] = ()
    binary: bool = False


def analyse(file: SourceFile, options: ScanOptions) -> FileResult:
    """The findings of one file; never raises (a bug of ours on this file becomes a C2C608 finding)."""
    content = read_source(file.path, file.display, options.max_file_size)
    if content is None:
        return FileResult(file, 0, (), binary=True)
    if isinstance(content, Finding):
        return FileResult(file, 0, (content,))
    try:
        findings, kernels = _ANALYSERS[file.kind](file, content, options)
    except Exception as exc:  # one file's internal error must not stop the tree
        message = f"internal error ({type(exc).__name__}: {exc}); please report it"
        findings, kernels = [input_finding(file.display, "C2C608", message)], {}
    lines = content.text.splitlines()
    findings = mark_suppressed(sorted(findings, key=Finding.sort_key), suppression_table(content.text, file.kind))
    findings = [f.with_changes(snippet=snippet(lines, f.line)) for f in findings]
    return FileResult(file, len(lines), tuple(findings), tuple(sorted(kernels.items())))


def snippet(lines: list[str], line: int) -> str:
    """Line `line` (1-based) with its whitespace collapsed, at most 200 characters."""
    return " ".join(lines[line - 1].split())[:200] if 0 < line <= len(lines) else ""


def _c_like(file: SourceFile, content: SourceText, options: ScanOptions) -> tuple[list[Finding], dict[str, str]]:
    if not _MAYBE_CUDA_C.search(content.data):
        return [], {}
    from cuda2cann.frontend.cuda.host_api import find_api_uses

    findings = [from_api_use(use, file.display) for use in find_api_uses(content.data, file.display)]
    kernels: dict[str, str] = {}
    if b"__global__" in content.data and (file.kind == "cuda" or b"__aicore__" not in content.data):  # AscendC is no CUDA
        findings += _kernels(file, options, kernels)
    return findings, kernels


_RANK = {"ported": 0, "approximate": 1, "unported": 2}


def _kernels(file: SourceFile, options: ScanOptions, kernels: dict[str, str]) -> list[Finding]:
    from cuda2cann.frontend.cuda.preprocess import PreprocessError
    from cuda2cann.frontend.cuda.translation_unit import analyse_file
    from cuda2cann.validate.soc import soc_profile
    from cuda2cann.verdict import judge_kernel

    try:
        unit = analyse_file(file.path, options.include_dirs, dict(options.defines), options.template_dtypes)
    except (PreprocessError, OSError, UnicodeDecodeError) as exc:
        return [input_finding(file.display, "C2C001", f"cannot preprocess: {exc}")]
    soc = soc_profile(options.soc)
    findings = []
    for kernel in unit.kernels:
        finding = from_kernel(kernel, judge_kernel(kernel, soc), file.display)
        findings.append(finding)
        if _RANK[finding.status] >= _RANK[kernels.get(kernel.name, "ported")]:
            kernels[kernel.name] = finding.status
    return findings


def _python(file: SourceFile, content: SourceText, options: ScanOptions) -> tuple[list[Finding], dict[str, str]]:
    from cuda2cann.frontend.python.model import MAYBE_CUDA

    if not MAYBE_CUDA.search(content.text):
        return [], {}
    from cuda2cann.frontend.python.migrate import migrate_python

    result = migrate_python(content.text, file.display)
    findings = (from_python(item, file.display) for item in (*result.changes, *result.findings))
    return [f for f in findings if f is not None], {}


def _build(file: SourceFile, content: SourceText, options: ScanOptions) -> tuple[list[Finding], dict[str, str]]:
    return build_findings(content.text, file.display, file.path.name), {}


_ANALYSERS = {"cuda": _c_like, "cpp": _c_like, "python": _python, "build": _build}
