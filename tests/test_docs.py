"""docs/ stays true: every diagnostics code the source emits is documented."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_emitted_code_is_documented():
    emitted = {m for p in (ROOT / "cuda2cann").rglob("*.py") for m in re.findall(r'"(C2C\d{3})"', p.read_text())}
    documented = set(re.findall(r"\| (C2C\d{3}) \|", (ROOT / "docs" / "diagnostics.md").read_text()))
    assert emitted, "no codes found: the pattern is stale"
    assert emitted <= documented, f"undocumented codes: {sorted(emitted - documented)}"


def test_the_code_registry_and_the_docs_list_the_same_codes():
    from cuda2cann.codes import CODES

    documented = set(re.findall(r"\| (C2C\d{3}) \|", (ROOT / "docs" / "diagnostics.md").read_text()))
    assert set(CODES) == documented, f"registry only: {sorted(set(CODES) - documented)}; docs only: {sorted(documented - set(CODES))}"
    assert all(info.title and info.hint for info in CODES.values())
