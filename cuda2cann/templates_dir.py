"""Locating and rendering the jinja2 templates (shipped in the wheel as cuda2cann/templates)."""
from __future__ import annotations

import functools
from pathlib import Path

import jinja2


@functools.cache
def templates_root() -> Path:
    installed = Path(__file__).parent / "templates"
    return installed if installed.is_dir() else Path(__file__).resolve().parent.parent / "templates"


@functools.cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_root())), undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)


def render(name: str, **context: object) -> str:
    return environment().get_template(name).render(**context)
