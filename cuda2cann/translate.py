"""`cuda2cann translate`: CUDA files → AscendC operators (+ their validation specs), never in place.

For each `.cu/.cuh` file under SRC, every kernel is lifted and, when it is pointwise, lowered to an
AscendC operator written under OUT/<relative path without suffix>/<kernel>/. Each output file is
written atomically; SRC is never written. With `validate`, each translated operator goes through the
harness. The report is one record per kernel (schema `cuda2cann.translate/1`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from cuda2cann.backends.ascendc.render import render_operator
from cuda2cann.backends.ascendc.spec_gen import generate_spec
from cuda2cann.frontend.cuda.preprocess import PreprocessError
from cuda2cann.frontend.cuda.translation_unit import INTERNAL_ERRORS, KernelOutcome, analyse_file
from cuda2cann.validate.harness import ValidateOptions, validate_spec
from cuda2cann.validate.results import write_text_atomic
from cuda2cann.validate.soc import soc_profile
from cuda2cann.validate.spec import SpecError, load_spec
from cuda2cann.verdict import judge_kernel

SCHEMA = "cuda2cann.translate/1"


class TranslateUsageError(ValueError):
    """SRC/OUT are unusable (missing, or OUT inside SRC)."""


@dataclass
class KernelRecord:
    file: str
    kernel: str
    op_class: str | None
    status: str  # translated | unported | error
    validation: str | None = None
    findings: list[dict] = field(default_factory=list)
    output: str | None = None
    validation_message: str = ""

    def to_json(self) -> dict:
        return {"file": self.file, "kernel": self.kernel, "class": self.op_class, "status": self.status,
                "validation": self.validation, "validation_message": self.validation_message, "findings": self.findings,
                "output": self.output}


def source_files(src: Path, kind: str, exclude: tuple[str, ...] = (), exclude_root: Path | None = None) -> list[Path]:
    """The files of `kind` under SRC as `scan` sees them (.gitignore and `exclude` respected), spelled below SRC as given."""
    from cuda2cann.source.tree import walk_tree

    absolute = Path(os.path.abspath(src))
    base = absolute if absolute.is_dir() else absolute.parent
    spelled = src if src.is_dir() else src.parent
    return [spelled / f.path.relative_to(base) for f in walk_tree([absolute], exclude=exclude, project_root=exclude_root).files
            if f.kind == kind]


def cuda_files(src: Path, exclude: tuple[str, ...] = (), exclude_root: Path | None = None) -> list[Path]:
    return source_files(src, "cuda", exclude, exclude_root)


def check_paths(src: Path, out: Path) -> None:
    if not src.exists():
        raise TranslateUsageError(f"{src}: no such file or directory")
    root = src.resolve() if src.is_dir() else src.resolve().parent
    o = out.resolve()
    if o == root or root in o.parents:
        raise TranslateUsageError(f"output folder {out} is inside the source tree {root}: cuda2cann never writes into SRC")


@dataclass(frozen=True)
class FrontendOptions:
    """How CUDA files are read: include folders, preprocessor defines, template instantiations."""

    include_dirs: tuple[Path, ...] = ()
    defines: tuple[tuple[str, str], ...] = ()
    template_dtypes: tuple[str, ...] = ("float",)
    #: gitignore-style patterns of paths to skip (tool.cuda2cann.exclude, --exclude), relative to `exclude_root`
    exclude: tuple[str, ...] = ()
    exclude_root: Path | None = None


def translate_tree(src: Path, out: Path, soc: str = "Ascend910B2", validate: bool = False,
                   options: ValidateOptions | None = None, frontend: FrontendOptions = FrontendOptions()) -> list[KernelRecord]:
    check_paths(src, out)
    base = src if src.is_dir() else src.parent
    records: list[KernelRecord] = []
    for path in cuda_files(src, frontend.exclude, frontend.exclude_root):
        records += translate_file(path, base, out, soc, validate, options or ValidateOptions(soc=soc, devices=False), frontend)
    return records


def translate_file(path: Path, base: Path, out: Path, soc: str, validate: bool, options: ValidateOptions,
                   frontend: FrontendOptions = FrontendOptions()) -> list[KernelRecord]:
    rel = path.relative_to(base)
    try:
        tu = analyse_file(path, frontend.include_dirs, dict(frontend.defines), frontend.template_dtypes)
    except (PreprocessError, OSError, UnicodeDecodeError) as exc:
        return [KernelRecord(str(path), "", None, "error", findings=[_finding("C2C001", str(exc), path, 1)])]
    records = []
    for k in tu.kernels:
        records.append(_translate_kernel(k, path, out / rel.with_suffix(""), soc, validate, options))
    return records


def _finding(code: str, message: str, path: Path, line: int) -> dict:
    return {"code": code, "message": message, "file": str(path), "line": line}


def _translate_kernel(k: KernelOutcome, path: Path, out_dir: Path, soc: str, validate: bool,
                      options: ValidateOptions) -> KernelRecord:
    verdict = judge_kernel(k, soc_profile(soc))
    if not verdict.translates:
        finding = _finding(verdict.code, verdict.message, path, k.line)
        status = "error" if verdict.code == "C2C199" else "unported"  # a bug of ours is not a limit of the kernel
        return KernelRecord(str(path), k.name, verdict.op_class, status, findings=[finding])
    op, plan = k.lifted.operator, verdict.plan
    target = out_dir / op.name
    cuda_kernel = k.name + (f"<{', '.join(k.template_args.values())}>" if k.template_args else "")
    try:
        files = render_operator(plan)
        files[f"{op.name}.c2c.toml"] = generate_spec(k.lifted, plan, path.resolve(), cuda_kernel, target.resolve())
    except (*INTERNAL_ERRORS, jinja2.TemplateError) as exc:  # a bug of ours: nothing written, the other kernels go on
        message = f"internal error while rendering ({type(exc).__name__}: {exc}); please report it"
        return KernelRecord(str(path), k.name, op.op_class, "error", findings=[_finding("C2C199", message, path, k.line)])
    for name, content in files.items():
        write_text_atomic(target / name, content)
    record = KernelRecord(str(path), k.name, op.op_class, "translated", output=str(target))
    record.findings = [_finding("C2C900", note, path, k.line) for note in plan.notes]
    if validate:
        try:
            result = validate_spec(load_spec(target / f"{op.name}.c2c.toml"), options)
            record.validation, record.validation_message = result.status, result.message
        except SpecError as exc:  # a generated spec that does not load is a bug of ours: report, keep going
            record.validation, record.validation_message = "error", f"internal error: the generated spec is invalid: {exc}"
    return record


@dataclass
class PythonRecord:
    """One Python file migrated from torch.cuda to torch_npu (written to OUT only when it changed)."""

    file: str
    changed: bool
    output: str | None
    changes: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"file": self.file, "changed": self.changed, "output": self.output, "changes": self.changes,
                "findings": self.findings}


def migrate_python_tree(src: Path, out: Path, exclude: tuple[str, ...] = (), exclude_root: Path | None = None) -> list[PythonRecord]:
    """Migrate every .py file under SRC into OUT (same relative path); SRC is never written."""
    from cuda2cann.frontend.python import migrate_python

    check_paths(src, out)
    base = src if src.is_dir() else src.parent
    files = source_files(src, "python", exclude, exclude_root)
    records = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            records.append(PythonRecord(str(path), False, None, findings=[_finding("C2C001", str(exc), path, 1)]))
            continue
        result = migrate_python(text, str(path))
        changed = result.code != text
        target = out / path.relative_to(base)
        if changed:
            write_text_atomic(target, result.code)
        records.append(PythonRecord(str(path), changed, str(target) if changed else None,
                                    [c.as_dict() for c in result.changes], [f.as_dict() for f in result.findings]))
    return records


def write_report(path: Path, records: list[KernelRecord], python: list[PythonRecord] = ()) -> None:
    import json
    summary: dict[str, int] = {"translated": 0, "unported": 0, "error": 0}
    for r in records:
        summary[r.status] += 1
    for status in ("equivalent", "mismatch", "error", "skipped"):
        summary[f"validated_{status}"] = sum(r.validation == status for r in records)
    summary["python_files_changed"] = sum(p.changed for p in python)
    summary["python_findings"] = sum(len(p.findings) for p in python)
    doc = {"schema": SCHEMA, "kernels": [r.to_json() for r in records], "python": [p.to_json() for p in python], "summary": summary}
    write_text_atomic(path, json.dumps(doc, indent=2) + "\n")
