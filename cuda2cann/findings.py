"""One findings model behind every report: text, JSON, SARIF, CSV, HTML, and the `check` gate.

Each producer keeps its own result type (the lifter's `KernelOutcome`, the host scanner's `ApiUse`, the
Python migration's `Change`/`Finding`); `cuda2cann.scan.adapters` turns them into `Finding`s here, so a
report format never needs to know where a finding came from.

    Finding(path="src/a.cu", line=12, column=3, end_line=12, end_column=19, code="C2C301",
            category="function", api="cudaMallocManaged", library="cuda_runtime", status="unported",
            message="...", hint="...")
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace

#: how far a CUDA dependency is ported: done mechanically, done with a stated difference, or not at all
STATUSES = ("ported", "approximate", "unported")
SEVERITIES = ("error", "warning", "note")
#: what kind of CUDA dependency a finding is about; `input` is a file that could not be analysed
CATEGORIES = ("kernel", "launch", "function", "type", "enum", "header", "python", "build", "input")
#: status → severity: unported work is an error, a stated difference a warning, ported code a note
SEVERITY_OF_STATUS = {"unported": "error", "approximate": "warning", "ported": "note"}
#: mapping-table status (cuda2cann/mappings, torch_npu.toml) → finding status
STATUS_OF_MAPPING = {"exact": "ported", "approximate": "approximate", "unsupported": "unported", "unknown": "unported"}


@dataclass(frozen=True, slots=True)
class Finding:
    """One CUDA dependency (or one file that could not be analysed) at a source span.

    `path` is as reports show it: relative to the current folder when the file is below it, else absolute, with
    `/` separators. Lines and columns are 1-based; `end_column` is exclusive. `api` names the CUDA construct (a
    function, type, header, kernel or torch name; empty when there is none).
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    category: str
    api: str
    library: str
    status: str
    message: str
    hint: str = ""
    #: an inline `cuda2cann: ignore[...]` comment covers it: listed by `scan`, never counted or gated by `check`
    suppressed: bool = False
    #: the source line, whitespace-collapsed: what baselines and SARIF fingerprints key on (line numbers shift)
    snippet: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"{self.path}:{self.line}: unknown status {self.status!r} (expected {', '.join(STATUSES)})")
        if self.category not in CATEGORIES:
            raise ValueError(f"{self.path}:{self.line}: unknown category {self.category!r}")

    @property
    def severity(self) -> str:
        return SEVERITY_OF_STATUS[self.status]

    @property
    def gates(self) -> bool:
        """Whether `check` fails on it: unported and not suppressed. A launch site never gates on its own: the
        launched kernel's finding does, where the kernel is defined (so a partial run sees the same debt)."""
        return self.status == "unported" and not self.suppressed and self.category != "launch"

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.api, self.message)

    def with_changes(self, **changes: object) -> Finding:
        return replace(self, **changes)

    def as_dict(self) -> dict[str, object]:
        """JSON form (schema docs/schemas/scan.schema.json): the fields plus the derived severity."""
        return {**asdict(self), "severity": self.severity}


def at_line(path: str, line: int, column: int, length: int, **fields: object) -> Finding:
    """A finding spanning `length` characters of one line."""
    return Finding(path=path, line=line, column=column, end_line=line, end_column=column + max(length, 1), **fields)


def input_finding(path: str, code: str, message: str, line: int = 1, column: int = 1) -> Finding:
    """A file (or path) that could not be analysed: its CUDA dependencies are unknown, so it counts as unported."""
    from cuda2cann.codes import code_info

    return at_line(path, line, column, 1, code=code, category="input", api="", library="", status="unported",
                   message=message, hint=code_info(code).hint)
