"""Validation results and their JSON form (schema `cuda2cann.validate/1`, docs/validate.md)."""
from __future__ import annotations

import json
import math
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SCHEMA = "cuda2cann.validate/1"
STATUSES = ("equivalent", "mismatch", "unported", "error", "skipped")


@dataclass
class ValidationResult:
    """The verdict on one operator: its CUDA version against its AscendC version."""

    file: str
    kernel: str
    status: str
    cases: int = 0
    max_abs_err: float | None = None
    max_rel_err: float | None = None
    message: str = ""
    seed: int | None = None
    reproduce: str | None = None
    #: per executor: "ran", "skipped: no device", ...
    executors: dict[str, str] = field(default_factory=dict)
    #: cann-cpu counters summed over the cores, for the largest case run
    counters: dict | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")

    def to_json(self) -> dict:
        def num(x: float | None) -> float | None:
            return None if x is None or not math.isfinite(x) else x
        return {"file": self.file, "kernel": self.kernel, "status": self.status, "max_abs_err": num(self.max_abs_err),
                "max_rel_err": num(self.max_rel_err), "cases": self.cases, "message": self.message,
                "seed": self.seed, "reproduce": self.reproduce, "executors": self.executors,
                "counters": self.counters}


def summary(results: list[ValidationResult]) -> dict[str, int]:
    counts = Counter(r.status for r in results)
    return {s: counts.get(s, 0) for s in STATUSES}


def exit_code(results: list[ValidationResult]) -> int:
    """0 when nothing mismatched or errored, 1 otherwise (2 is reserved for usage errors)."""
    return 1 if any(r.status in ("mismatch", "error") for r in results) else 0


def write_json(path: Path, results: list[ValidationResult]) -> None:
    """Write the report atomically: a reader never sees a half-written file."""
    doc = {"schema": SCHEMA, "results": [r.to_json() for r in results], "summary": summary(results)}
    write_text_atomic(path, json.dumps(doc, indent=2, sort_keys=False) + "\n")


def write_text_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
