"""CUDA → CANN API mapping tables, kept as data (one TOML file per CUDA library).

`tables.py` loads and validates them; `docs.py` renders `docs/api_support.md` from them.
"""
from cuda2cann.mappings.tables import (
    KINDS,
    STATUSES,
    ApiMapping,
    Library,
    MappingError,
    MappingTables,
    default_tables,
    load_library,
    load_tables,
)

__all__ = [
    "KINDS",
    "STATUSES",
    "ApiMapping",
    "Library",
    "MappingError",
    "MappingTables",
    "default_tables",
    "load_library",
    "load_tables",
]
