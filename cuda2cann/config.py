"""Project configuration: `[tool.cuda2cann]` of the scanned project's pyproject.toml.

Found by walking up from the source path. Command-line options add to (lists) or override (scalars)
what the file says. Every error names the file and the key.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KNOWN_KEYS = {"include": list, "defines": dict, "template_dtypes": list, "soc": str, "exclude": list, "baseline": str,
              "max_file_size": int}


class ConfigError(ValueError):
    """The [tool.cuda2cann] table is invalid; the message starts with `file: key:`."""


@dataclass(frozen=True)
class ProjectConfig:
    path: Path | None = None
    include: tuple[Path, ...] = ()
    defines: tuple[tuple[str, str], ...] = ()
    template_dtypes: tuple[str, ...] = ()
    soc: str | None = None
    #: gitignore-style patterns of paths scan/check/translate skip, relative to the pyproject.toml's folder
    exclude: tuple[str, ...] = ()
    #: the baseline file of `check` (absolute)
    baseline: Path | None = None
    #: bytes; larger files are reported (C2C604), not scanned
    max_file_size: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def project_root(config: ProjectConfig) -> Path:
    """The folder `exclude` patterns and the default baseline are relative to: the pyproject.toml's, else the current one."""
    return config.path.parent if config.path is not None else Path.cwd()


def find_pyproject(start: Path) -> Path | None:
    start = start.resolve()
    for folder in (start if start.is_dir() else start.parent, *(start if start.is_dir() else start.parent).parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path) -> ProjectConfig:
    """The configuration that applies to `start` (empty when no pyproject.toml has a [tool.cuda2cann] table)."""
    path = find_pyproject(start)
    if path is None:
        return ProjectConfig()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("cuda2cann")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    if table is None:
        return ProjectConfig()
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: tool.cuda2cann: expected a table")
    for key, value in table.items():
        kind = KNOWN_KEYS.get(key)
        if kind is not None and not isinstance(value, kind):
            raise ConfigError(f"{path}: tool.cuda2cann.{key}: expected a {kind.__name__}, got {type(value).__name__}")
    include = tuple((path.parent / str(p)).resolve() for p in table.get("include", []))
    defines = tuple((str(k), str(v)) for k, v in table.get("defines", {}).items())
    if "max_file_size" in table and (isinstance(table["max_file_size"], bool) or table["max_file_size"] < 1):
        raise ConfigError(f"{path}: tool.cuda2cann.max_file_size: expected a positive number of bytes")
    baseline = (path.parent / table["baseline"]).resolve() if "baseline" in table else None
    extra = {k: v for k, v in table.items() if k not in KNOWN_KEYS}  # keys of later features
    return ProjectConfig(path, include, defines, tuple(map(str, table.get("template_dtypes", []))), table.get("soc"),
                         tuple(map(str, table.get("exclude", []))), baseline, table.get("max_file_size"), extra)
