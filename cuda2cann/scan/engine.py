"""A tree's scan: walk, analyse each file (in worker processes), resolve launch sites, sort.

The output never depends on `jobs`: results are collected in the walk's order and findings sorted by path,
line, column and code, so a parallel run is byte-identical to a serial one.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat

from cuda2cann.findings import Finding
from cuda2cann.scan.adapters import launch_resolved
from cuda2cann.scan.analyse import FileResult, ScanOptions, analyse
from cuda2cann.source.tree import SourceFile, Tree

#: below this many files a process pool costs more than it saves (pre-commit passes a handful)
PARALLEL_MIN_FILES = 24
_RANK = {"ported": 0, "approximate": 1, "unported": 2}


@dataclass(frozen=True)
class ScanReport:
    """Every file analysed (with its own findings) and all findings of the scan, tree problems included, sorted."""

    files: tuple[FileResult, ...]
    findings: tuple[Finding, ...]

    def findings_of(self, path: str) -> list[Finding]:
        return [f for f in self.findings if f.path == path]


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def scan_tree(tree: Tree, options: ScanOptions, jobs: int = 1, progress: bool = False) -> ScanReport:
    results = list(_with_progress(_analyse_all(tree.files, options, jobs), len(tree.files), progress))
    kernels: dict[str, str] = {}
    for result in results:
        for name, status in result.kernels:
            if _RANK[status] >= _RANK[kernels.get(name, "ported")]:
                kernels[name] = status
    findings = [*tree.problems]
    for result in results:
        findings += (launch_resolved(f, kernels) if f.category == "launch" else f for f in result.findings)
    return ScanReport(tuple(results), tuple(sorted(findings, key=Finding.sort_key)))


def _analyse_all(files: Sequence[SourceFile], options: ScanOptions, jobs: int) -> Iterator[FileResult]:
    if jobs <= 1 or len(files) < PARALLEL_MIN_FILES:
        yield from (analyse(f, options) for f in files)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(analyse, files, repeat(options), chunksize=max(1, len(files) // (jobs * 8)))


def _with_progress(results: Iterable[FileResult], total: int, show: bool) -> Iterator[FileResult]:
    """A progress bar on stderr while the results come in (only when asked: the CLI asks when stderr is a terminal)."""
    if not show:
        yield from results
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task("scan", total=total)
        for result in results:
            bar.advance(task)
            yield result
