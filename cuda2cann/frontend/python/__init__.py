"""Python frontend: migrate PyTorch CUDA code (torch.cuda, .cuda(), device strings, NCCL, amp) to torch_npu with libcst.

    from cuda2cann.frontend.python import migrate_python
    result = migrate_python(source, "train.py")   # MigrationResult(code, changes, findings)

Rules: docs/python_migration.md. Mapping table: torch_npu.toml in this package.
"""
from cuda2cann.frontend.python.migrate import PIPELINE, migrate_python
from cuda2cann.frontend.python.model import CODES, Change, Finding, MigrationResult
from cuda2cann.frontend.python.table import PythonTable, default_python_table, load_python_table

__all__ = ["CODES", "PIPELINE", "Change", "Finding", "MigrationResult", "PythonTable", "default_python_table",
           "load_python_table", "migrate_python"]
