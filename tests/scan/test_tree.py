"""Walking trees: .gitignore, --exclude, classification, links, missing paths."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from cuda2cann.source.classify import classify
from cuda2cann.source.tree import MissingPathError, walk_tree
from tests.scan.helpers import write


def displays(tree) -> list[str]:
    return [f.display for f in tree.files]


@pytest.mark.parametrize(("name", "kind"), [
    ("a.cu", "cuda"), ("a.CUH", "cuda"), ("a.cpp", "cpp"), ("a.h", "cpp"), ("a.hpp", "cpp"), ("train.py", "python"),
    ("setup.py", "python"), ("CMakeLists.txt", "build"), ("x.cmake", "build"), ("Makefile", "build"), ("rules.mk", "build"),
    ("README.md", None), ("a.o", None), ("data.bin", None),
])
def test_classify(name, kind):
    assert classify(name) == kind


def test_gitignore_nested_negation_and_git_folder(tmp_path):
    write(tmp_path, {".git/config": "", ".git/hooks/x.py": "", ".gitignore": "build/\n*.gen.cu\n", "build/k.cu": "",
                     "src/a.cu": "", "src/b.gen.cu": "", "src/.gitignore": "!keep.gen.cu\nlocal.py\n", "src/keep.gen.cu": "",
                     "src/local.py": "", "src/sub/local.py": "", "notes.txt": ""})
    assert displays(walk_tree([tmp_path], cwd=tmp_path)) == ["src/a.cu", "src/keep.gen.cu"]


def test_gitignore_above_the_walked_folder_applies(tmp_path):
    write(tmp_path, {".git/HEAD": "", ".gitignore": "gen/\n", "pkg/gen/k.cu": "", "pkg/k.cu": ""})
    assert displays(walk_tree([tmp_path / "pkg"], cwd=tmp_path)) == ["pkg/k.cu"]


def test_exclude_applies_to_walks_and_to_named_files(tmp_path):
    write(tmp_path, {"third_party/x.cu": "", "src/a.cu": "", "src/a_test.py": ""})
    tree = walk_tree([tmp_path, tmp_path / "src" / "a_test.py"], exclude=["third_party/", "*_test.py"], cwd=tmp_path)
    assert displays(tree) == ["src/a.cu"]


def test_named_files_ignore_gitignore_and_duplicates_are_merged(tmp_path):
    write(tmp_path, {".git/HEAD": "", ".gitignore": "*.cu\n", "a.cu": ""})
    tree = walk_tree([tmp_path / "a.cu", tmp_path / "a.cu", tmp_path], cwd=tmp_path)
    assert displays(tree) == ["a.cu"]


def test_paths_outside_the_current_folder_are_absolute(tmp_path):
    write(tmp_path, {"p/a.cu": ""})
    (tmp_path / "elsewhere").mkdir()
    tree = walk_tree([tmp_path / "p"], cwd=tmp_path / "elsewhere")
    assert displays(tree) == [(tmp_path / "p" / "a.cu").as_posix()]


def test_missing_path_is_an_error_naming_it(tmp_path):
    with pytest.raises(MissingPathError, match=r"C2C601 .*nope: no such file or directory"):
        walk_tree([tmp_path / "nope"], cwd=tmp_path)


def test_links_loops_escapes_and_dangling_links_are_findings(tmp_path):
    root = write(tmp_path / "repo", {"src/a.cu": "", "src/b.cu": ""})
    outside = write(tmp_path / "outside", {"o.cu": ""})
    os.symlink(outside / "o.cu", root / "src" / "out.cu")
    os.symlink(outside, root / "src" / "vendor")
    os.symlink("..", root / "src" / "up")
    os.symlink("nowhere.cu", root / "src" / "dangling.cu")
    os.symlink("loop2.cu", root / "src" / "loop1.cu")
    os.symlink("loop1.cu", root / "src" / "loop2.cu")
    os.symlink("b.cu", root / "src" / "alias.cu")  # inside the tree: seen through b.cu, no finding
    os.symlink("nowhere", root / "src" / "dangling_dir")  # not a source file name: not reported
    tree = walk_tree([root], cwd=root)
    assert displays(tree) == ["src/a.cu", "src/b.cu"]
    got = {(p.path, p.code) for p in tree.problems}
    assert got == {("src/out.cu", "C2C606"), ("src/vendor", "C2C606"), ("src/up", "C2C605"), ("src/dangling.cu", "C2C601"),
                   ("src/loop1.cu", "C2C605"), ("src/loop2.cu", "C2C605")}
    assert all(p.status == "unported" and p.category == "input" for p in tree.problems)


def test_excluded_links_are_not_reported(tmp_path):
    os.symlink("/", write(tmp_path, {"a.cu": ""}) / "root_link")
    assert walk_tree([tmp_path], exclude=["root_link"], cwd=tmp_path).problems == []


def test_order_is_sorted_whatever_the_argument_order(tmp_path):
    write(tmp_path, {"b/x.cu": "", "a/y.cu": "", "c.py": ""})
    one = walk_tree([tmp_path / "b", tmp_path / "c.py", tmp_path / "a"], cwd=tmp_path)
    two = walk_tree([tmp_path / "a", tmp_path / "b", tmp_path / "c.py"], cwd=tmp_path)
    assert displays(one) == displays(two) == ["a/y.cu", "b/x.cu", "c.py"]


def test_a_walked_folder_may_be_given_relative(tmp_path, monkeypatch):
    write(tmp_path, {"src/a.cu": ""})
    monkeypatch.chdir(tmp_path)
    assert displays(walk_tree([Path("src")])) == ["src/a.cu"]
