"""Python frontend: migrate PyTorch CUDA code (torch.cuda, .cuda(), device strings, NCCL, amp) to torch_npu with libcst.

    from cuda2cann.frontend.python import migrate_python
    result = migrate_python(source, "train.py")   # MigrationResult(code, changes, findings)

Rules: docs/python_migration.md. Mapping table: torch_npu.toml in this package.
The names load on first use: importing libcst takes ~0.4 s, which `cuda2cann check` pays only for files
that mention CUDA (its `model` and `suppress` modules are light and import without it).
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "PIPELINE": "migrate", "migrate_python": "migrate",
    "CODES": "model", "Change": "model", "Finding": "model", "MigrationResult": "model",
    "PythonTable": "table", "default_python_table": "table", "load_python_table": "table",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
