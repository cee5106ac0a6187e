"""Load and validate the CUDA → CANN mapping tables (`cuda2cann/mappings/*.toml`).

One TOML file per CUDA library. Its `[library]` table names the library and says which identifiers
belong to it (so that names missing from the table are still recognised, as "unknown"); then one
section per kind, each entry an inline table:

    [library]
    name = "cublas"                      # must equal the file's stem
    title = "cuBLAS"                     # for the generated docs
    identifier_patterns = ["^cublas[A-Z]"]  # functions, types, camel-case enumerators
    constant_patterns = ["^CUBLAS_"]     # ALL_CAPS enumerators and macros
    header_prefixes = ["cublas"]         # `#include <...>` whose first or last path part starts so

    [function]
    cublasSgemm = { target = "aclnnAddmm", status = "exact", note = "One sentence." }

Sections are `function`, `type`, `enum` and `header`. `status` is `exact` (same meaning; the call is
rewritten mechanically, arguments per the note), `approximate` (a close equivalent that differs in
a stated way, or whose signature the reference does not record) or `unsupported` (no CANN
counterpart; `target` must then be empty). An `exact` entry needs a `target`. Any violation raises
`MappingError` naming the file and the key.
"""
from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from types import MappingProxyType

STATUSES = ("exact", "approximate", "unsupported")
KINDS = ("function", "type", "enum", "header")
#: packaged tables in the order reports and docs list them; other tables follow alphabetically
PACKAGED_ORDER = ("cuda_runtime", "cublas", "cudnn", "nccl", "curand", "cufft")

_LIBRARY_KEYS = {"name": str, "title": str, "identifier_patterns": list, "constant_patterns": list, "header_prefixes": list}
_ENTRY_KEYS = ("target", "status", "note")
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
_HEADER = re.compile(r"[A-Za-z0-9_./+-]+")


class MappingError(ValueError):
    """A mapping table is malformed; `file` and `key` say where."""

    def __init__(self, file: str, key: str, message: str) -> None:
        super().__init__(f"{file}: {key}: {message}")
        self.file = file
        self.key = key
        self.message = message


@dataclass(frozen=True)
class ApiMapping:
    """One CUDA name and what it becomes on CANN."""

    name: str
    library: str
    kind: str  # one of KINDS
    target: str  # the CANN API (empty when there is none)
    status: str  # one of STATUSES
    note: str


@dataclass(frozen=True)
class Library:
    """One mapping table: a CUDA library's entries and how to recognise its other names."""

    name: str
    title: str
    file: str
    identifier_patterns: tuple[str, ...]
    constant_patterns: tuple[str, ...]
    header_prefixes: tuple[str, ...]
    entries: tuple[ApiMapping, ...]

    def counts(self) -> dict[str, int]:
        """Entries per status, in STATUSES order."""
        return {s: sum(e.status == s for e in self.entries) for s in STATUSES}

    def owns_identifier(self, name: str) -> bool:
        return any(re.search(p, name) for p in self.identifier_patterns)

    def owns_constant(self, name: str) -> bool:
        return any(re.search(p, name) for p in self.constant_patterns)

    def owns_header(self, path: str) -> bool:
        parts = [p for p in path.split("/") if p]
        return bool(parts) and any(part.startswith(prefix) for prefix in self.header_prefixes for part in (parts[0], parts[-1]))


@dataclass(frozen=True)
class MappingTables:
    """All tables together, indexed by name."""

    libraries: tuple[Library, ...]
    _names: Mapping[str, ApiMapping] = field(init=False, repr=False, compare=False)
    _headers: Mapping[str, ApiMapping] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names: dict[str, ApiMapping] = {}
        headers: dict[str, ApiMapping] = {}
        seen: dict[str, tuple[str, str]] = {}
        for lib in self.libraries:
            for e in lib.entries:
                if e.name in seen:
                    other_file, other_kind = seen[e.name]
                    raise MappingError(lib.file, f"{e.kind}.{e.name}", f"duplicate name: already mapped in {other_file} [{other_kind}]")
                seen[e.name] = (lib.file, e.kind)
                (headers if e.kind == "header" else names)[e.name] = e
        object.__setattr__(self, "_names", MappingProxyType(names))
        object.__setattr__(self, "_headers", MappingProxyType(headers))

    def __iter__(self) -> Iterator[ApiMapping]:
        for lib in self.libraries:
            yield from lib.entries

    def lookup(self, name: str) -> ApiMapping | None:
        """The mapping of a function, type or enumerator name."""
        return self._names.get(name)

    def header(self, path: str) -> ApiMapping | None:
        """The mapping of an included header, spelled as in the `#include`."""
        return self._headers.get(path)

    def library(self, name: str) -> Library | None:
        return next((lib for lib in self.libraries if lib.name == name), None)

    def library_of_identifier(self, name: str) -> Library | None:
        """The library whose identifier patterns (camel-case: functions, types) match `name`."""
        return next((lib for lib in self.libraries if lib.owns_identifier(name)), None)

    def library_of_constant(self, name: str) -> Library | None:
        """The library whose ALL_CAPS constant patterns match `name`."""
        return next((lib for lib in self.libraries if lib.owns_constant(name)), None)

    def library_of_header(self, path: str) -> Library | None:
        return next((lib for lib in self.libraries if lib.owns_header(path)), None)


def collect_entries(data: dict, file: str, library: str, kinds, make_entry) -> list[ApiMapping]:
    """The entries of every `[kind]` section, in order; a name may appear once across sections."""
    entries: list[ApiMapping] = []
    seen: dict[str, str] = {}
    for kind in kinds:
        section = data.get(kind, {})
        if not isinstance(section, dict):
            raise MappingError(file, kind, "must be a table of entries")
        for name, entry in section.items():
            key = f"{kind}.{name}"
            if name in seen:
                raise MappingError(file, key, f"duplicate name: also in [{seen[name]}]")
            seen[name] = kind
            entries.append(make_entry(file, key, library, kind, name, entry))
    return entries


def load_library(text: str, file: str) -> Library:
    """Parse and validate one table; `file` is its name (`cublas.toml`) for messages and the stem check."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(file, "<toml>", f"not valid TOML: {exc}") from None
    stem = file.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".toml")
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
        if not isinstance(value, kind) or (kind is list and not all(isinstance(v, str) and v for v in value)):
            raise MappingError(file, f"library.{key}", f"missing or not a {'list of strings' if kind is list else 'string'}")
    if meta["name"] != stem:
        raise MappingError(file, "library.name", f"{meta['name']!r} differs from the file name {stem!r}")
    for key in ("identifier_patterns", "constant_patterns"):
        for pattern in meta[key]:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise MappingError(file, f"library.{key}", f"bad regular expression {pattern!r}: {exc}") from None
    entries = collect_entries(data, file, meta["name"], KINDS, _entry)
    return Library(meta["name"], meta["title"], file, tuple(meta["identifier_patterns"]), tuple(meta["constant_patterns"]),
                   tuple(meta["header_prefixes"]), tuple(entries))


def _entry(file: str, key: str, library: str, kind: str, name: str, entry: object) -> ApiMapping:
    if not (_HEADER if kind == "header" else _IDENTIFIER).fullmatch(name):
        raise MappingError(file, key, f"not a valid {'header path' if kind == 'header' else 'C identifier'}")
    if not isinstance(entry, dict):
        raise MappingError(file, key, "must be a table { target = ..., status = ..., note = ... }")
    for k in entry:
        if k not in _ENTRY_KEYS:
            raise MappingError(file, key, f"unknown field {k!r} (expected {', '.join(_ENTRY_KEYS)})")
    target, status, note = entry.get("target", ""), entry.get("status"), entry.get("note")
    if not isinstance(target, str):
        raise MappingError(file, key, "target must be a string")
    if status not in STATUSES:
        raise MappingError(file, key, f"unknown status {status!r} (expected {', '.join(STATUSES)})")
    if not isinstance(note, str) or not note.strip():
        raise MappingError(file, key, "missing note (one sentence: what changes on CANN)")
    if status == "unsupported" and target:
        raise MappingError(file, key, f"an unsupported entry must not name a target (got {target!r})")
    if status == "exact" and not target:
        raise MappingError(file, key, "an exact entry needs a target")
    return ApiMapping(name, library, kind, target, status, note.strip())


def _ordered(files: Iterable[tuple[str, Traversable | Path]]) -> list[tuple[str, Traversable | Path]]:
    rank = {name: i for i, name in enumerate(PACKAGED_ORDER)}
    return sorted(files, key=lambda f: (rank.get(f[0].removesuffix(".toml"), len(rank)), f[0]))


def load_tables(directory: Path | Traversable | None = None) -> MappingTables:
    """Every `*.toml` table of `directory` (default: the packaged tables), validated together."""
    root = directory if directory is not None else resources.files("cuda2cann.mappings")
    files = _ordered((f.name, f) for f in root.iterdir() if f.name.endswith(".toml") and f.is_file())
    libraries = []
    for name, f in files:
        label = f"cuda2cann/mappings/{name}" if directory is None else str(f)
        libraries.append(load_library(f.read_text(encoding="utf-8"), label))
    return MappingTables(tuple(libraries))


@functools.cache
def default_tables() -> MappingTables:
    """The packaged tables, loaded once per process."""
    return load_tables()
