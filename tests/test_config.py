from pathlib import Path

import pytest
from click.testing import CliRunner

from cuda2cann.cli import main
from cuda2cann.config import ConfigError, load_config

KERNEL = """
#include "consts.h"
__global__ void k(const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
#ifdef DOUBLE_IT
  if (i < n) y[i] = x[i] * SCALE * 2.0f;
#else
  if (i < n) y[i] = x[i] * SCALE;
#endif
}
"""


def project(tmp_path: Path, table: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[project]\nname = 'p'\n\n[tool.cuda2cann]\n{table}\n")
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "consts.h").write_text("#define SCALE 3.0f\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "k.cu").write_text(KERNEL)
    return tmp_path / "src"


def test_include_and_defines_come_from_pyproject(tmp_path):
    src = project(tmp_path, 'include = ["inc"]\ndefines = { DOUBLE_IT = "1" }\nsoc = "Ascend910B3"')
    cfg = load_config(src)
    assert cfg.include == ((tmp_path / "inc").resolve(),) and cfg.defines == (("DOUBLE_IT", "1"),) and cfg.soc == "Ascend910B3"
    result = CliRunner().invoke(main, ["explain", str(src / "k.cu")])
    assert result.exit_code == 0 and "mul(mul(x[i0], 3.0), 2.0)" in result.output
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["translate", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    kernel = (out / "k" / "k" / "k.cpp").read_text()
    assert "3.0f" in kernel and "2.0f" in kernel and "Ascend910B3" in kernel


@pytest.mark.parametrize(("table", "fragment"), [
    ('include = "inc"', "tool.cuda2cann.include: expected a list"),
    ("defines = [1]", "tool.cuda2cann.defines: expected a dict"),
    ('exclude = "vendor/"', "tool.cuda2cann.exclude: expected a list"),
    ("baseline = 3", "tool.cuda2cann.baseline: expected a str"),
    ("max_file_size = 0", "tool.cuda2cann.max_file_size: expected a positive number of bytes"),
    ("max_file_size = true", "tool.cuda2cann.max_file_size: expected a positive number of bytes"),
])
def test_bad_config_names_file_and_key(tmp_path, table, fragment):
    src = project(tmp_path, table)
    with pytest.raises(ConfigError, match=fragment):
        load_config(src)
    result = CliRunner().invoke(main, ["translate", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "pyproject.toml" in result.output


def test_no_pyproject_means_defaults(tmp_path):
    cfg = load_config(tmp_path)  # pytest's tmp folders have no pyproject.toml above them
    assert cfg.path is None and cfg.include == () and cfg.defines == () and cfg.soc is None


def test_workflow_keys(tmp_path):
    src = project(tmp_path, 'exclude = ["vendor/"]\nbaseline = "ci/baseline.json"\nmax_file_size = 1000')
    cfg = load_config(src)
    assert cfg.exclude == ("vendor/",) and cfg.baseline == (tmp_path / "ci" / "baseline.json").resolve() and cfg.max_file_size == 1000
