"""The `cuda2cann` command line: click commands only, each calling one library function.

Exit codes: 0 success, 1 a check failed (mismatch, error), 2 usage error or bad input.
"""
from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click

from cuda2cann import __version__
from cuda2cann.validate.results import ValidationResult, exit_code, summary, write_json
from cuda2cann.validate.soc import DEFAULT_SOC, profiles

EXIT_USAGE = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cuda2cann")
def main() -> None:
    """cuda2cann: port CUDA operators to Huawei Ascend (AscendC / CANN) and prove them equivalent."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write results as JSON (schema cuda2cann.validate/1) to this file.")
@click.option("--cases", type=click.IntRange(min=0), default=None,
              help="Random cases per operator, beyond the fixed edge cases (default: the spec's `cases`).")
@click.option("--seed", type=click.IntRange(min=0, max=2**32 - 1), default=None,
              help="Seed of the random cases; a failure prints the seed that reproduces it.")
@click.option("--soc", type=click.Choice(sorted(profiles())), default=DEFAULT_SOC, show_default=True,
              help="Ascend SoC profile for cann-cpu (UB size, core count).")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0.1), default=None,
              help="Seconds each compiled run may take (default: the spec's timeout_s, 60).")
@click.option("--memory-mb", type=click.IntRange(min=64), default=8192, show_default=True,
              help="Address-space limit of each compiled run.")
@click.option("--no-shrink", is_flag=True, help="Report the first failing case without shrinking it.")
@click.option("--no-devices", is_flag=True, help="Do not look for a real GPU or NPU.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=2, show_default=True,
              help="Operators validated in parallel.")
def validate(paths: tuple[Path, ...], json_path: Path | None, cases: int | None, seed: int | None, soc: str,
             timeout_s: float | None, memory_mb: int, no_shrink: bool, no_devices: bool, jobs: int) -> None:
    """Run the CUDA and the AscendC version of operators on the same inputs and compare them.

    PATHS are spec files (*.c2c.toml) or folders searched for them. Exit status: 0 when nothing
    mismatched or errored, 1 otherwise, 2 for usage errors.
    """
    from cuda2cann.validate.harness import ValidateOptions
    from cuda2cann.validate.runner import collect_targets, run_targets
    from cuda2cann.validate.spec import SpecError

    try:
        targets = collect_targets(paths)
    except (SpecError, FileNotFoundError) as exc:
        raise click.UsageError(str(exc)) from None
    options = ValidateOptions(cases=cases, seed=seed, soc=soc, timeout_s=timeout_s, memory_bytes=memory_mb << 20,
                              shrink=not no_shrink, devices=not no_devices)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = run_targets(targets, options, pool, progress=_progress)
    _print_results(results)
    if json_path is not None:
        write_json(json_path, results)
    sys.exit(exit_code(results))


def _progress(result: ValidationResult) -> None:
    click.echo(f"{result.status:>10}  {result.file} [{result.kernel}]", err=True)


def _print_results(results: list[ValidationResult]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="cuda2cann validate", show_lines=False)
    for col in ("operator", "kernel", "status", "cases", "max abs err", "max rel err"):
        table.add_column(col, justify="right" if col in ("cases", "max abs err", "max rel err") else "left")
    colours = {"equivalent": "green", "mismatch": "red", "error": "red", "unported": "yellow", "skipped": "yellow"}
    for r in results:
        table.add_row(Path(r.file).name.removesuffix(".c2c.toml"), r.kernel, f"[{colours[r.status]}]{r.status}[/]", str(r.cases),
                      _fmt(r.max_abs_err), _fmt(r.max_rel_err))
    console = Console(soft_wrap=True)
    console.print(table)
    for r in results:
        if r.status in ("mismatch", "error", "unported"):
            console.print(f"[bold]{r.file}[/] [{r.kernel}]: {r.status}: {r.message}", markup=True, highlight=False)
            if r.reproduce:
                console.print(f"  reproduce: {r.reproduce}", highlight=False)
    s = summary(results)
    console.print(", ".join(f"{n} {k}" for k, n in s.items()), highlight=False)


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3g}"


@main.command()
@click.argument("src", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder; mirrors SRC. Must not be inside SRC.")
@click.option("--validate", "run_validation", is_flag=True, help="Run every translated operator through the harness.")
@click.option("--soc", type=click.Choice(sorted(profiles())), default=None,
              help="Ascend SoC the operators are planned for (UB size, core count). [default: Ascend910B2, or tool.cuda2cann.soc]")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report as JSON (schema cuda2cann.translate/1) to this file.")
@click.option("--cases", type=click.IntRange(min=0), default=None, help="With --validate: random cases per operator.")
@click.option("--seed", type=click.IntRange(min=0, max=2**32 - 1), default=None, help="With --validate: seed of the random cases.")
@click.option("-I", "--include", "includes", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder searched for #include \"...\" (repeatable; the file's own folder always is).")
@click.option("-D", "--define", "defines", multiple=True, metavar="NAME[=VALUE]",
              help="Preprocessor define for #if/#ifdef (repeatable).")
@click.option("--template-dtype", "template_dtypes", multiple=True,
              help="Instantiate templated kernels without a launch site for this type (repeatable). [default: float]")
@click.option("--exclude", "excludes", multiple=True, metavar="PATTERN",
              help="Skip paths matching this gitignore-style pattern (repeatable; adds to tool.cuda2cann.exclude).")
def translate(src: Path, out: Path, run_validation: bool, soc: str | None, json_path: Path | None, cases: int | None,
              seed: int | None, includes: tuple[Path, ...], defines: tuple[str, ...], template_dtypes: tuple[str, ...],
              excludes: tuple[str, ...]) -> None:
    """Translate the CUDA kernels of SRC (a file or a tree) into AscendC operators under OUT, and migrate its
    Python files from torch.cuda to torch_npu (docs/python_migration.md).

    Each translated kernel gets its AscendC kernel, tiling header, host launcher, CMake file and a
    validation spec. Exit status: 0 when every translated kernel validated (or --validate was not
    given), 1 when a validation mismatched or errored or a file or kernel could not be processed (C2C001,
    C2C199), 2 for usage errors. Unported kernels are listed with their finding and do not change the exit status.
    """
    from cuda2cann.config import ConfigError, load_config, project_root
    from cuda2cann.translate import FrontendOptions, TranslateUsageError, migrate_python_tree, translate_tree, write_report
    from cuda2cann.validate.harness import ValidateOptions

    try:
        config = load_config(src)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    if config.soc is not None and config.soc not in profiles():
        raise click.UsageError(f"{config.path}: tool.cuda2cann.soc: unknown SoC {config.soc!r}")
    soc = soc or config.soc or DEFAULT_SOC
    options = ValidateOptions(cases=cases, seed=seed, soc=soc, devices=True)
    frontend = FrontendOptions((*config.include, *includes), (*config.defines, *_parse_defines(defines)),
                               tuple(template_dtypes) or config.template_dtypes or ("float",), (*config.exclude, *excludes),
                               project_root(config))
    try:
        records = translate_tree(src, out, soc=soc, validate=run_validation, options=options, frontend=frontend)
        python = migrate_python_tree(src, out, frontend.exclude, frontend.exclude_root)
    except TranslateUsageError as exc:
        raise click.UsageError(str(exc)) from None
    _print_translation(records)
    if python:
        changed = sum(p.changed for p in python)
        click.echo(f"python: {len(python)} files, {changed} migrated to torch_npu, "
                   f"{sum(len(p.findings) for p in python)} findings")
        for p in python:
            for f in p.findings:
                click.echo(f"  {p.file}:{f['line']}: {f['code']} {f['message']}")
    if json_path is not None:
        write_report(json_path, records, python)
    failed = any(r.validation in ("mismatch", "error") or r.status == "error" for r in records)
    sys.exit(1 if failed else 0)


def _parse_defines(defines: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    out = []
    for d in defines:
        name, _, value = d.partition("=")
        if not name.isidentifier():
            raise click.BadParameter(f"{d!r}: expected NAME or NAME=VALUE", param_hint="-D")
        out.append((name, value or "1"))
    return tuple(out)


def _print_translation(records) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="cuda2cann translate")
    for col in ("file", "kernel", "class", "status", "validation", "finding"):
        table.add_column(col)
    colours = {"translated": "green", "unported": "yellow", "error": "red"}
    for r in records:
        finding = f"{r.findings[0]['code']} {r.findings[0]['message']}" if r.findings and r.status != "translated" else ""
        table.add_row(r.file, r.kernel, r.op_class or "-", f"[{colours[r.status]}]{r.status}[/]", r.validation or "-", finding)
    console = Console(soft_wrap=True)
    console.print(table)
    for r in records:
        if r.validation in ("mismatch", "error"):
            console.print(f"[bold]{r.file}[/] [{r.kernel}]: {r.validation}: {r.validation_message}", highlight=False)
    counts: dict[str, int] = {}
    for r in records:
        counts[r.status] = counts.get(r.status, 0) + 1
        if r.validation:
            counts[f"validated {r.validation}"] = counts.get(f"validated {r.validation}", 0) + 1
    console.print(", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "no CUDA kernels found", highlight=False)


@main.command()
@click.argument("target")
@click.option("--soc", type=click.Choice(sorted(profiles())), default=DEFAULT_SOC, show_default=True)
def explain(target: str, soc: str) -> None:
    """Show how cuda2cann sees FILE[:KERNEL]: the lifted IR, the lowering plan and the generated code,
    or the finding that stopped it."""
    from cuda2cann.explain import explain_target

    path_text, _, kernel = target.partition(":") if not Path(target).exists() else (target, "", "")
    path = Path(path_text)
    if not path.is_file():
        raise click.UsageError(f"{path}: no such file")
    from cuda2cann.config import ConfigError, load_config
    try:
        config = load_config(path)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    text, ok = explain_target(path, kernel or None, soc, config.include, dict(config.defines))
    click.echo(text)
    sys.exit(0 if ok else 1)


# scan and check: the tree workflows, in their own module
from cuda2cann.cli_tree import register  # noqa: E402

register(main)
