"""Walking source trees: `.gitignore` and `--exclude` respected, symbolic links handled, files classified.

    tree = walk_tree([Path("src"), Path("setup.py")], exclude=["third_party/"])
    tree.files      # [SourceFile(path=/abs/src/a.cu, display="src/a.cu", kind="cuda"), ...] sorted by display
    tree.problems   # findings for links that loop, escape the folder or dangle

Rules (docs/workflows.md):
- a folder is walked recursively; `.git` folders are skipped, and so is whatever the `.gitignore` files say,
  from the repository's top folder down (nested files refine their parents', `!` re-includes, as git does);
- a file named on the command line is taken as it is (no `.gitignore`), but `--exclude` applies to it too, so
  that pre-commit's file lists and whole-tree runs agree;
- `exclude` patterns are gitignore-style, matched against the path relative to the project folder (the one
  holding pyproject.toml) when the file is below it, else relative to the folder walked;
- symbolic links are never followed: a link to a file or folder inside the walked folder is seen through its
  real path; a link pointing outside is reported (C2C606), a loop too (C2C605), and so is a dangling link to a
  source file (C2C601).
"""
from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from cuda2cann.findings import Finding, input_finding
from cuda2cann.source.classify import classify
from cuda2cann.source.reading import os_error_finding


class MissingPathError(ValueError):
    """A path named on the command line does not exist (C2C601)."""


@dataclass(frozen=True, order=True)
class SourceFile:
    """A file to analyse: `display` is how reports name it, `path` where it is (absolute, links not resolved)."""

    display: str
    path: Path
    kind: str


@dataclass
class Tree:
    files: list[SourceFile] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)


def display_path(path: Path, cwd: Path) -> str:
    """`path` relative to `cwd` when below it, else absolute; always with `/`."""
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def _spec(lines: Iterable[str]) -> pathspec.PathSpec:
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _read_gitignore(folder: Path) -> pathspec.PathSpec | None:
    try:
        return _spec((folder / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines())
    except OSError:  # none there, or unreadable: git ignores it too
        return None


def _git_top(folder: Path) -> Path | None:
    return next((f for f in (folder, *folder.parents) if (f / ".git").exists()), None)


def _matches(spec: pathspec.PathSpec, base: Path, path: Path, is_dir: bool) -> bool | None:
    """True: ignored; False: re-included by `!`; None: no pattern of `spec` speaks about `path`."""
    try:
        rel = path.relative_to(base).as_posix()
    except ValueError:
        return None
    return spec.check_file(rel + "/" if is_dir else rel).include


class _Walker:
    def __init__(self, exclude: Sequence[str], project_root: Path, cwd: Path, gitignore: bool) -> None:
        self.exclude = _spec(exclude)
        self.project_root = project_root
        self.cwd = cwd
        self.gitignore = gitignore
        self.tree = Tree()
        self.seen: set[Path] = set()

    def excluded(self, path: Path, root: Path, is_dir: bool) -> bool:
        base = self.project_root if path.is_relative_to(self.project_root) else root
        return bool(_matches(self.exclude, base, path, is_dir))

    def add(self, path: Path, kind: str) -> None:
        if path not in self.seen:
            self.seen.add(path)
            self.tree.files.append(SourceFile(display_path(path, self.cwd), path, kind))

    def problem(self, path: Path, code: str, message: str) -> None:
        self.tree.problems.append(input_finding(display_path(path, self.cwd), code, message))

    # -- a folder ----------------------------------------------------------------------------------------------

    def walk(self, root: Path) -> None:
        specs: list[tuple[Path, pathspec.PathSpec]] = []
        top = _git_top(root) if self.gitignore else None
        if top is not None:  # the .gitignore files above the walked folder apply to it too
            for folder in reversed((root, *root.parents)[1:len(root.relative_to(top).parts) + 1]):
                if (spec := _read_gitignore(folder)) is not None:
                    specs.append((folder, spec))
        self.visit(root, root, specs)

    def ignored(self, path: Path, root: Path, is_dir: bool, specs: list[tuple[Path, pathspec.PathSpec]]) -> bool:
        if self.excluded(path, root, is_dir):
            return True
        for base, spec in reversed(specs):  # the deepest .gitignore that speaks decides
            verdict = _matches(spec, base, path, is_dir)
            if verdict is not None:
                return verdict
        return False

    def visit(self, folder: Path, root: Path, specs: list[tuple[Path, pathspec.PathSpec]]) -> None:
        if self.gitignore and (spec := _read_gitignore(folder)) is not None:
            specs = [*specs, (folder, spec)]
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            self.tree.problems.append(os_error_finding(display_path(folder, self.cwd), exc))
            return
        for entry in entries:
            path = folder / entry.name
            if entry.name == ".git":
                continue
            if entry.is_symlink():
                self.link(path, root, specs)
            elif entry.is_dir(follow_symlinks=False):
                if not self.ignored(path, root, True, specs):
                    self.visit(path, root, specs)
            elif (kind := classify(entry.name)) is not None and not self.ignored(path, root, False, specs):
                self.add(path, kind)

    def link(self, path: Path, root: Path, specs: list[tuple[Path, pathspec.PathSpec]]) -> None:
        """Report a link that loops, escapes `root`, or dangles; a link to something inside `root` is seen there."""
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError) as exc:  # RuntimeError: a loop, before Python 3.13
            looping = isinstance(exc, RuntimeError) or exc.errno == errno.ELOOP
            if looping and not self.ignored(path, root, False, specs):
                self.problem(path, "C2C605", "symbolic link loop: not followed")
            elif classify(path.name) is not None and not self.ignored(path, root, False, specs):
                self.problem(path, "C2C601", f"dangling symbolic link to {os.readlink(path)}: not scanned")
            return
        is_dir = target.is_dir()
        if (not is_dir and classify(path.name) is None) or self.ignored(path, root, is_dir, specs):
            return
        if is_dir and path.parent.resolve().is_relative_to(target):
            self.problem(path, "C2C605", f"symbolic link to its own ancestor {target}: a loop, not followed")
        elif not target.is_relative_to(root.resolve()):
            self.problem(path, "C2C606", f"symbolic link to {target}, outside {root}: not followed")


def walk_tree(paths: Sequence[Path], *, exclude: Sequence[str] = (), project_root: Path | None = None,
              gitignore: bool = True, cwd: Path | None = None) -> Tree:
    """The files to analyse under `paths` (folders and files) and the problems met; raises MissingPathError."""
    cwd = Path(os.path.abspath(cwd or Path.cwd()))
    walker = _Walker(exclude, Path(os.path.abspath(project_root or cwd)), cwd, gitignore)
    for given in paths:
        path = Path(os.path.abspath(cwd / given))
        if not os.path.lexists(path):
            raise MissingPathError(f"C2C601 {given}: no such file or directory")
        if path.is_dir() and not path.is_symlink():
            walker.walk(path)
        elif not path.exists():
            walker.problem(path, "C2C601", "a dangling or looping symbolic link: not scanned")
        elif path.is_dir():  # a link to a folder named on the command line: walk where it points
            walker.walk(Path(os.path.abspath(path.resolve())))
        elif (kind := classify(path.name)) is not None and not walker.excluded(path, path.parent, False):
            walker.add(path, kind)
    walker.tree.files.sort()
    walker.tree.problems.sort(key=Finding.sort_key)
    return walker.tree
