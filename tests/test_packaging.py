"""The wheel must carry every package, the runtime headers and the templates."""
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_python_package_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "cuda2cann").rglob("__init__.py")}
    assert on_disk | {"cuda2cann.templates"} == set(config["packages"])
    assert config["package-dir"] == {"cuda2cann.templates": "templates"}
