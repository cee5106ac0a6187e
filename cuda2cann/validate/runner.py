"""From command-line paths to validation results: spec discovery, then one harness run per spec."""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from cuda2cann.validate.harness import ValidateOptions, validate_spec
from cuda2cann.validate.results import ValidationResult
from cuda2cann.validate.spec import SPEC_SUFFIX, OperatorSpec, SpecError, find_specs, load_spec

CUDA_SUFFIXES = (".cu", ".cuh")


@dataclass(frozen=True)
class Target:
    """One thing to validate: a loaded spec, or a path that could not become one (with why)."""

    path: Path
    spec: OperatorSpec | None = None
    problem: str = ""
    status: str = "error"
    kernel: str = ""


def collect_targets(paths: tuple[Path, ...]) -> list[Target]:
    """Spec files named or found under folders; a missing path is a usage error (FileNotFoundError)."""
    targets: list[Target] = []
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such file or directory")
        if path.is_file() and path.suffix in CUDA_SUFFIXES:
            targets += translated_targets(path)
            continue
        if path.is_file() and not path.name.endswith(SPEC_SUFFIX):
            raise SpecError(path, "", f"not a spec file (expected a name ending in {SPEC_SUFFIX}) or a folder")
        found = find_specs(path)
        if not found:
            raise FileNotFoundError(f"{path}: no spec files (*{SPEC_SUFFIX}) found")
        for spec_path in found:
            try:
                targets.append(Target(spec_path, load_spec(spec_path)))
            except SpecError as exc:
                targets.append(Target(spec_path, problem=str(exc)))
    return targets


def translated_targets(path: Path) -> list[Target]:
    """Translate a CUDA file into the cache and validate what came out; unported kernels keep their finding."""
    import hashlib

    from cuda2cann.translate import translate_file
    from cuda2cann.validate.harness import ValidateOptions
    from cuda2cann.validate.toolchain import cache_dir

    digest = hashlib.sha256(str(path.resolve()).encode() + path.read_bytes()).hexdigest()[:24]
    out = cache_dir().parent / "translations" / digest
    targets = []
    for record in translate_file(path, path.parent, out, "Ascend910B2", validate=False, options=ValidateOptions()):
        if record.status == "translated":
            spec_path = next(Path(record.output).glob(f"*{SPEC_SUFFIX}"))
            targets.append(Target(spec_path, load_spec(spec_path)))
        else:
            finding = record.findings[0] if record.findings else {"code": "", "message": "not translated", "line": 0}
            targets.append(Target(path, problem=f"{record.kernel}: {finding['code']} at line {finding['line']}: "
                                  f"{finding['message']}", status="unported" if record.status == "unported" else "error",
                                  kernel=record.kernel))
    if not targets:
        targets.append(Target(path, problem="no __global__ kernel in this file", status="skipped"))
    return targets


def run_targets(targets: list[Target], options: ValidateOptions, pool: Executor,
                progress: Callable[[ValidationResult], None] | None = None) -> list[ValidationResult]:
    """Validate every target (in parallel on `pool`); results come back in the targets' order."""
    def one(target: Target) -> ValidationResult:
        if target.spec is None:
            result = ValidationResult(str(target.path), target.kernel, target.status, message=target.problem)
        else:
            result = validate_spec(target.spec, options)
        if progress:
            progress(result)
        return result
    return list(pool.map(one, targets))
