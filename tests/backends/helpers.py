"""Shared by the lowering tests: translate one CUDA text, and validate a port after planting a bug in it."""
from __future__ import annotations

import textwrap
from pathlib import Path

from cuda2cann.translate import KernelRecord, translate_tree
from cuda2cann.validate.harness import ValidateOptions, validate_spec
from cuda2cann.validate.spec import load_spec


def translate_text(tmp_path: Path, name: str, text: str, **kw) -> KernelRecord:
    src = tmp_path / "src"
    src.mkdir(parents=True, exist_ok=True)
    (src / f"{name}.cu").write_text(textwrap.dedent(text))
    (record,) = translate_tree(src, tmp_path / "out", **kw)
    return record


def validate_mutant(record: KernelRecord, kernel: str, old: str, new: str, seed: int) -> str:
    """Replace `old` by `new` in the generated kernel and validate it again: the status (a planted bug: "mismatch")."""
    path = Path(record.output) / f"{kernel}.cpp"
    text = path.read_text()
    assert old in text, f"{old!r} is not in the generated kernel"
    path.write_text(text.replace(old, new))
    spec = load_spec(next(Path(record.output).glob("*.c2c.toml")))
    return validate_spec(spec, ValidateOptions(cases=1, seed=seed, devices=False, shrink=False)).status
