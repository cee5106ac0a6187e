"""Baselines: the unported findings a project accepts today, so that `check` fails only on new ones.

A baseline is JSON (schema `cuda2cann.baseline/1`, docs/schemas/baseline.schema.json): one entry per
(path, code, API, source line text) with a count. Keys hold no line numbers, so edits elsewhere in a file do
not disturb them; the count lets a second identical line be a regression. Paths are relative to the baseline
file's folder, so a check run from any folder, on the whole tree or on pre-commit's file list, sees the same keys.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cuda2cann.findings import Finding
from cuda2cann.validate.results import write_text_atomic

SCHEMA = "cuda2cann.baseline/1"
DEFAULT_NAME = "cuda2cann-baseline.json"

Key = tuple[str, str, str, str]  # path (relative to the baseline's folder), code, api, line text


class BaselineError(ValueError):
    """The baseline file is missing or malformed (C2C607); the message names the file."""


@dataclass(frozen=True)
class Baseline:
    path: Path
    counts: Counter[Key] = field(default_factory=Counter)

    def key_path(self, display: str) -> str:
        """A report path (relative to the current folder, or absolute) as the baseline spells it."""
        return Path(os.path.relpath(os.path.abspath(display), self.path.parent)).as_posix()

    def key(self, finding: Finding) -> Key:
        return (self.key_path(finding.path), finding.code, finding.api, finding.snippet)


@dataclass(frozen=True)
class Comparison:
    """`new`: gating findings beyond the baseline's counts; `known`: those it accepts; `fixed`: entries of the checked
    files that are no longer found (debt paid off: `--update-baseline` ratchets the file down)."""

    new: tuple[Finding, ...]
    known: int
    fixed: int


def load_baseline(path: Path, missing_ok: bool = False) -> Baseline:
    path = Path(os.path.abspath(path))
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if missing_ok:
            return Baseline(path)
        raise BaselineError(f"C2C607 {path}: no such baseline file (create it with `cuda2cann check --update-baseline`)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"C2C607 {path}: cannot read the baseline: {exc}") from None
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA or not isinstance(doc.get("entries"), list):
        raise BaselineError(f"C2C607 {path}: not a cuda2cann baseline (expected {{\"schema\": \"{SCHEMA}\", \"entries\": [...]}})")
    counts: Counter[Key] = Counter()
    for i, e in enumerate(doc["entries"]):
        fields = ("path", "code", "api", "text")
        if not (isinstance(e, dict) and all(isinstance(e.get(k), str) for k in fields)
                and isinstance(e.get("count"), int) and not isinstance(e["count"], bool) and e["count"] > 0):
            raise BaselineError(f"C2C607 {path}: entries[{i}]: expected path, code, api, text (strings) and count (a positive integer)")
        counts[(e["path"], e["code"], e["api"], e["text"])] += e["count"]
    return Baseline(path, counts)


def compare(findings: Iterable[Finding], baseline: Baseline, checked: Sequence[str]) -> Comparison:
    """Gating findings against the baseline; `checked` are the report paths of the files this run looked at."""
    remaining = Counter(baseline.counts)
    new, known = [], 0
    for f in findings:
        if not f.gates:
            continue
        key = baseline.key(f)
        if remaining[key] > 0:
            remaining[key] -= 1
            known += 1
        else:
            new.append(f)
    looked_at = _looked_at(baseline, checked)
    fixed = sum(n for key, n in remaining.items() if n > 0 and looked_at(key[0]))
    return Comparison(tuple(new), known, fixed)


def updated(baseline: Baseline, findings: Iterable[Finding], checked: Sequence[str]) -> Baseline:
    """The baseline after this run: the checked files' entries replaced by their gating findings, others kept."""
    looked_at = _looked_at(baseline, checked)
    counts: Counter[Key] = Counter({k: n for k, n in baseline.counts.items() if not looked_at(k[0])})
    counts.update(baseline.key(f) for f in findings if f.gates)
    return Baseline(baseline.path, counts)


def _looked_at(baseline: Baseline, checked: Sequence[str]):
    """Whether this run speaks for an entry's file: it was checked, or it no longer exists (its debt is gone)."""
    keys = {baseline.key_path(p) for p in checked}
    return lambda path: path in keys or not (baseline.path.parent / path).exists()


def write_baseline(baseline: Baseline) -> None:
    entries = [{"path": p, "code": c, "api": a, "text": t, "count": n} for (p, c, a, t), n in sorted(baseline.counts.items())]
    write_text_atomic(baseline.path, json.dumps({"schema": SCHEMA, "entries": entries}, indent=2, ensure_ascii=False) + "\n")
