"""`cuda2cann scan` and `cuda2cann check`: the tree workflows (inventory, pre-commit, CI). Registered by cli.py.

Exit codes: scan 0 (the report is the result); check 0 clean, 1 new unported findings, 2 usage or internal error.
Heavy modules load inside the commands, so that `check` on a few files starts fast.
"""
from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path

import click

from cuda2cann.report import FORMATS
from cuda2cann.validate.soc import profiles

EXIT_USAGE = 2
_SUFFIX_FORMATS = {".txt": "text", ".json": "json", ".sarif": "sarif", ".csv": "csv", ".html": "html", ".htm": "html"}


def tree_options(command: Callable) -> Callable:
    """The options scan and check share: which files, how to read them, how many processes."""
    options = (
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option("--exclude", "excludes", multiple=True, metavar="PATTERN",
                     help="Skip paths matching this gitignore-style pattern (repeatable; adds to tool.cuda2cann.exclude)."),
        click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                     help="Files analysed in parallel (processes). [default: all cores]"),
        click.option("--max-file-size", type=click.IntRange(min=1), default=None, metavar="BYTES",
                     help="Larger files are reported (C2C604), not scanned. [default: 4194304, or tool.cuda2cann.max_file_size]"),
        click.option("-I", "--include", "includes", multiple=True, type=click.Path(file_okay=False, path_type=Path),
                     help="Folder searched for #include \"...\" (repeatable)."),
        click.option("-D", "--define", "defines", multiple=True, metavar="NAME[=VALUE]", help="Preprocessor define (repeatable)."),
        click.option("--template-dtype", "template_dtypes", multiple=True,
                     help="Instantiate templated kernels without a launch site for this type (repeatable). [default: float]"),
        click.option("--soc", type=click.Choice(sorted(profiles())), default=None,
                     help="Ascend SoC kernels are planned for. [default: Ascend910B2, or tool.cuda2cann.soc]"),
    )
    return functools.reduce(lambda cmd, option: option(cmd), reversed(options), command)


def _guarded(body: Callable[[], int]) -> None:
    """Run a command body: usage errors exit 2 through click; anything unexpected is an internal error, exit 2, no traceback."""
    from cuda2cann.config import ConfigError
    from cuda2cann.scan.baseline import BaselineError
    from cuda2cann.source.tree import MissingPathError

    try:
        code = body()
    except (ConfigError, MissingPathError, BaselineError) as exc:
        raise click.UsageError(str(exc)) from None
    except (click.ClickException, click.exceptions.Exit, SystemExit):
        raise
    except Exception as exc:  # a bug of ours: say so, with the exit status of an error
        click.echo(f"cuda2cann: internal error ({type(exc).__name__}: {exc}); please report it", err=True)
        code = EXIT_USAGE
    sys.exit(code)


def _scan(paths: tuple[Path, ...], excludes, jobs, max_file_size, includes, defines, template_dtypes, soc):
    from cuda2cann.cli import _parse_defines
    from cuda2cann.config import load_config, project_root
    from cuda2cann.scan.analyse import ScanOptions
    from cuda2cann.scan.engine import default_jobs, scan_tree
    from cuda2cann.source.reading import DEFAULT_MAX_FILE_SIZE
    from cuda2cann.source.tree import walk_tree

    config = load_config(paths[0] if paths else Path.cwd())
    if config.soc is not None and config.soc not in profiles():
        raise click.UsageError(f"{config.path}: tool.cuda2cann.soc: unknown SoC {config.soc!r}")
    tree = walk_tree(paths or (Path("."),), exclude=(*config.exclude, *excludes), project_root=project_root(config))
    options = ScanOptions((*config.include, *includes), (*config.defines, *_parse_defines(defines)),
                          tuple(template_dtypes) or config.template_dtypes or ("float",), soc or config.soc or "Ascend910B2",
                          max_file_size or config.max_file_size or DEFAULT_MAX_FILE_SIZE)
    return scan_tree(tree, options, jobs or default_jobs(), progress=sys.stderr.isatty()), config


@click.command()
@tree_options
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Report format. [default: from the -o suffix (.json .sarif .csv .html), else text]")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the report to this file (atomically) instead of standard output.")
def scan(paths, excludes, jobs, max_file_size, includes, defines, template_dtypes, soc, fmt, output) -> None:
    """Inventory every CUDA dependency under PATHS (files and folders): kernels and whether they translate, launch
    sites, CUDA library calls, types and headers, torch.cuda in Python, CUDA in build scripts.

    Each finding has a code (docs/diagnostics.md), a status (ported, approximate, unported), a message and a hint;
    the summary counts them per file, category, library and API, with an effort estimate. Exit status: 0 when the
    report was written, 2 for usage errors (a missing path, a bad option) and internal errors.
    """
    if not paths:
        raise click.UsageError("scan needs at least one PATH (a file or a folder)")

    def body() -> int:
        from cuda2cann.report import render
        from cuda2cann.validate.results import write_text_atomic

        report, _ = _scan(paths, excludes, jobs, max_file_size, includes, defines, template_dtypes, soc)
        fmt_ = fmt or (_SUFFIX_FORMATS.get(output.suffix.lower(), "text") if output else "text")
        text = render(report, fmt_)
        if output is None:
            click.echo(text, nl=False)
        else:
            write_text_atomic(output, text)
            click.echo(f"cuda2cann scan: {len(report.findings)} findings in {len(report.files)} files → {output} ({fmt_})", err=True)
        return 0

    _guarded(body)


@click.command()
@tree_options
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Accepted unported findings (JSON). [default: tool.cuda2cann.baseline, else cuda2cann-baseline.json "
                   "beside the pyproject.toml if it exists]")
@click.option("--update-baseline", is_flag=True, help="Write the current unported findings to the baseline and exit 0.")
def check(paths, excludes, jobs, max_file_size, includes, defines, template_dtypes, soc, baseline_path, update_baseline) -> None:
    """Fail when PATHS (default: the current folder) hold unported CUDA findings that the baseline does not accept.

    Built for pre-commit (it checks only the files it is given) and CI. Findings under a `cuda2cann: ignore[CODE]`
    comment do not count. Exit status: 0 clean, 1 new unported findings (listed as file:line:column), 2 usage or
    internal error (a missing path, a malformed baseline).
    """
    def body() -> int:
        from cuda2cann.config import project_root
        from cuda2cann.scan.baseline import DEFAULT_NAME, compare, load_baseline, updated, write_baseline

        report, config = _scan(paths, excludes, jobs, max_file_size, includes, defines, template_dtypes, soc)
        explicit = baseline_path is not None
        path = baseline_path or config.baseline or project_root(config) / DEFAULT_NAME
        baseline = load_baseline(path, missing_ok=update_baseline or not explicit)
        checked = [r.file.display for r in report.files]
        if update_baseline:
            new_baseline = updated(baseline, report.findings, checked)
            write_baseline(new_baseline)
            click.echo(f"cuda2cann check: baseline {path} now accepts {sum(new_baseline.counts.values())} unported findings")
            return 0
        result = compare(report.findings, baseline, checked)
        for f in result.new:
            click.echo(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}")
        words = [f"{len(result.new)} new unported findings" if result.new else "no new unported findings",
                 f"{len(report.files)} files checked"]
        if result.known:
            words.append(f"{result.known} accepted by the baseline")
        if result.fixed:
            words.append(f"{result.fixed} fixed since the baseline: run `cuda2cann check --update-baseline` to lock them in")
        click.echo("cuda2cann check: " + "; ".join(words))
        return 1 if result.new else 0

    _guarded(body)


def register(main: click.Group) -> None:
    main.add_command(scan)
    main.add_command(check)
