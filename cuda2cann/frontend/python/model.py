"""What a Python migration returns: the new code, the edits made and the findings to review.

Codes are listed in CODES and documented in docs/diagnostics.md ("Python migration").
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

#: code → what it means; the same codes name edits (Change) and findings (Finding) and select suppressions
CODES = {
    "C2C500": "the file is not valid Python: left unchanged",
    "C2C501": "a torch.cuda (or other CUDA-specific torch) name rewritten to its torch_npu counterpart",
    "C2C502": "a name rewritten to an approximate torch_npu counterpart: review the stated difference",
    "C2C503": "a CUDA-specific name without torch_npu counterpart: left unchanged",
    "C2C504": "a CUDA-specific name kept as is: it has no effect or a different meaning on Ascend, or cannot be respelled",
    "C2C505": "a name under torch.cuda / torch.backends.cuda / torch.backends.cudnn missing from the mapping table",
    "C2C506": "`.cuda(...)` → `.npu(...)`, `.is_cuda` → `.is_npu`",
    "C2C507": "a CUDA device string (\"cuda\", \"cuda:N\", f\"cuda:{i}\") in a device position → \"npu\"",
    "C2C508": "the NCCL distributed backend → HCCL (\"nccl\" → \"hccl\")",
    "C2C509": "a CUDA extension build (CUDAExtension, load/load_inline with CUDA sources, CUDA_HOME): translate the sources",
    "C2C510": "a from-import mixes names that move to torch.npu with names that stay: left unchanged",
    "C2C511": "`import torch_npu` inserted",
}
#: a file without any of these cannot need a rewrite (and is not parsed)
MAYBE_CUDA = re.compile(r"cuda|cudnn|nccl", re.IGNORECASE)
SEVERITY = {"exact": "note", "approximate": "warning", "unsupported": "error", "unknown": "warning"}


@dataclass(frozen=True)
class Change:
    """One edit made to the file. `line`/`column` (1-based) locate the edited construct in the original text."""

    path: str
    line: int
    column: int
    code: str
    api: str
    status: str  # exact | approximate
    message: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Finding:
    """One construct to review by hand (the line also carries a `# CUDA2CANN(code): message` marker above it)."""

    path: str
    line: int
    column: int
    code: str
    api: str
    status: str  # approximate | unsupported | unknown
    message: str
    severity: str = "warning"  # note | warning | error
    category: str = "python"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class MigrationResult:
    """The migrated code (byte-identical to the input when nothing applies), its edits and its findings, in source order."""

    code: str
    changes: tuple[Change, ...]
    findings: tuple[Finding, ...]
