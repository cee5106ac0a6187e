"""The Python mapping table: fully qualified torch names → their torch_npu counterparts.

The table is data (`torch_npu.toml` next to this module) in the format of `cuda2cann/mappings/*.toml`, with
Python names as keys and Python kinds as sections:

    [library]
    name = "torch_npu"
    title = "PyTorch CUDA → torch_npu"
    unknown_prefixes = ["torch.cuda"]    # names under these without an entry are reported as "unknown"

    [function]
    "torch.cuda.synchronize" = { target = "torch.npu.synchronize", status = "exact", note = "Same meaning." }

Sections are `module`, `function`, `class` and `attribute`; entries are `ApiMapping`s of the C tables, with the
same status rules (`exact` needs a target, `unsupported` must not have one). Violations raise `MappingError`.
"""
from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType

from cuda2cann.mappings.tables import STATUSES, ApiMapping, MappingError, collect_entries

KINDS = ("module", "function", "class", "attribute")
UNKNOWN = "unknown"
FILE = "cuda2cann/frontend/python/torch_npu.toml"

_DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")
_LIBRARY_KEYS = {"name": str, "title": str, "unknown_prefixes": list}
_ENTRY_KEYS = ("target", "status", "note")


@dataclass(frozen=True)
class PythonTable:
    """The loaded table; `resolve` answers what a qualified name becomes."""

    name: str
    title: str
    file: str
    unknown_prefixes: tuple[str, ...]
    entries: tuple[ApiMapping, ...]
    _by_name: MappingProxyType = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", MappingProxyType({e.name: e for e in self.entries}))

    def lookup(self, name: str) -> ApiMapping | None:
        """The entry spelled exactly `name`."""
        return self._by_name.get(name)

    def resolve(self, name: str) -> ApiMapping | None:
        """What a use of `name` is: its own entry, the entry of an unsupported enclosing module (`torch.cuda.nvtx`
        covers `torch.cuda.nvtx.range_push`), an `unknown` entry when it lies under an unknown prefix, else None."""
        if (entry := self._by_name.get(name)) is not None:
            return entry
        parts = name.split(".")
        for i in range(len(parts) - 1, 0, -1):
            outer = self._by_name.get(".".join(parts[:i]))
            if outer is not None and outer.status == "unsupported":
                return outer
        if any(name.startswith(p + ".") for p in self.unknown_prefixes):
            return ApiMapping(name, self.name, "function", "", UNKNOWN, "Not in the torch_npu mapping table: check by hand.")
        return None

    def counts(self) -> dict[str, int]:
        """Entries per status, in STATUSES order."""
        return {s: sum(e.status == s for e in self.entries) for s in STATUSES}


def load_python_table(text: str, file: str = FILE) -> PythonTable:
    """Parse and validate the table's TOML text; `file` names it in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(file, "<toml>", f"not valid TOML: {exc}") from None
    for section in data:
        if section != "library" and section not in KINDS:
            raise MappingError(file, section, f"unknown section (expected library, {', '.join(KINDS)})")
    meta = data.get("library")
    if not isinstance(meta, dict):
        raise MappingError(file, "library", "missing [library] table")
    for key in meta:
        if key not in _LIBRARY_KEYS:
            raise MappingError(file, f"library.{key}", f"unknown key (expected {', '.join(_LIBRARY_KEYS)})")
    for key, kind in _LIBRARY_KEYS.items():
        value = meta.get(key)
        if not isinstance(value, kind) or (kind is list and not all(isinstance(v, str) and _DOTTED.fullmatch(v) for v in value)):
            raise MappingError(file, f"library.{key}", f"missing or not a {'list of dotted names' if kind is list else 'string'}")
    entries = collect_entries(data, file, meta["name"], KINDS, _entry)
    return PythonTable(meta["name"], meta["title"], file, tuple(meta["unknown_prefixes"]), tuple(entries))


def _entry(file: str, key: str, library: str, kind: str, name: str, entry: object) -> ApiMapping:
    if not _DOTTED.fullmatch(name):
        raise MappingError(file, key, "not a dotted Python name")
    if not isinstance(entry, dict):
        raise MappingError(file, key, "must be a table { target = ..., status = ..., note = ... }")
    for k in entry:
        if k not in _ENTRY_KEYS:
            raise MappingError(file, key, f"unknown field {k!r} (expected {', '.join(_ENTRY_KEYS)})")
    target, status, note = entry.get("target", ""), entry.get("status"), entry.get("note")
    if not isinstance(target, str) or (target and not _DOTTED.fullmatch(target)):
        raise MappingError(file, key, "target must be a dotted Python name")
    if status not in STATUSES:
        raise MappingError(file, key, f"unknown status {status!r} (expected {', '.join(STATUSES)})")
    if not isinstance(note, str) or not note.strip():
        raise MappingError(file, key, "missing note (one sentence: what changes on Ascend)")
    if status == "unsupported" and target:
        raise MappingError(file, key, f"an unsupported entry must not name a target (got {target!r})")
    if status == "exact" and not target:
        raise MappingError(file, key, "an exact entry needs a target")
    return ApiMapping(name, library, kind, target, status, note.strip())


@functools.cache
def default_python_table() -> PythonTable:
    """The packaged table, loaded once per process."""
    text = resources.files("cuda2cann.frontend.python").joinpath("torch_npu.toml").read_text(encoding="utf-8")
    return load_python_table(text)
