"""docs/python_migration.md and docs/diagnostics.md stay true to the code."""
import re
from pathlib import Path

from cuda2cann.frontend.python.docs import BEGIN, END, main, render_table, update
from cuda2cann.frontend.python.model import CODES

ROOT = Path(__file__).resolve().parents[3]
PAGE = ROOT / "docs" / "python_migration.md"


def test_the_generated_table_matches_the_toml():
    text = PAGE.read_text(encoding="utf-8")
    assert update(text) == text, "run: python -m cuda2cann.frontend.python.docs"
    assert main([str(PAGE), "--check"]) == 0


def test_the_table_lists_every_entry():
    table = render_table()
    assert table.startswith(BEGIN) and table.endswith(END)
    assert "| `torch.cuda.synchronize` | `torch.npu.synchronize` | exact |" in table
    assert "| `torch.cuda.nvtx` | — | unsupported |" in table


def test_stale_page_is_detected(tmp_path):
    stale = tmp_path / "p.md"
    stale.write_text(f"# x\n{BEGIN}\nold\n{END}\n", encoding="utf-8")
    assert main([str(stale), "--check"]) == 1
    assert main([str(stale)]) == 0 and main([str(stale), "--check"]) == 0


def test_every_code_is_documented():
    documented = set(re.findall(r"\| (C2C5\d\d) \|", (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")))
    assert set(CODES) == documented
    assert all(code in PAGE.read_text(encoding="utf-8") for code in CODES)
