"""MarkerCommentsCodemod: a marker comment above the statement of each finding."""
from cuda2cann.frontend.python.base import FINDINGS
from cuda2cann.frontend.python.markers import MarkerCommentsCodemod
from cuda2cann.frontend.python.model import Finding

from .helpers import run


def findings(*items: tuple[int, str, str]) -> dict:
    return {FINDINGS: [Finding("t.py", line, 1, code, "api", "unsupported", message) for line, code, message in items]}


def test_marker_goes_above_the_innermost_statement_with_its_indentation():
    code, _, _ = run(MarkerCommentsCodemod, """\
        import torch
        def f():
            if x:
                torch.cuda.nvtx.mark("a")  # keep me
            return 1
        """, findings((4, "C2C503", "no NVTX"), (2, "C2C504", "on the def")))
    assert code == """\
import torch
# CUDA2CANN(C2C504): on the def
def f():
    if x:
        # CUDA2CANN(C2C503): no NVTX
        torch.cuda.nvtx.mark("a")  # keep me
    return 1
"""


def test_clauses_decorators_and_multiline_statements():
    code, _, _ = run(MarkerCommentsCodemod, """\
        if a:
            pass
        elif torch.cuda.get_device_capability()[0] > 7:
            pass
        try:
            pass
        except torch.cuda.OutOfMemoryError:
            pass
        @torch.cuda.nvtx.range("f")
        def g():
            pass
        x = f(
            torch.cuda.nvtx.mark("y"),
        )
        """, findings((3, "C2C504", "capability"), (7, "C2C505", "oom"), (9, "C2C503", "range"), (13, "C2C503", "mark")))
    assert code == """\
if a:
    pass
# CUDA2CANN(C2C504): capability
elif torch.cuda.get_device_capability()[0] > 7:
    pass
try:
    pass
# CUDA2CANN(C2C505): oom
except torch.cuda.OutOfMemoryError:
    pass
# CUDA2CANN(C2C503): range
@torch.cuda.nvtx.range("f")
def g():
    pass
# CUDA2CANN(C2C503): mark
x = f(
    torch.cuda.nvtx.mark("y"),
)
"""


def test_existing_markers_are_not_repeated_and_duplicates_collapse():
    before = "# CUDA2CANN(C2C503): no NVTX\ntorch.cuda.nvtx.mark('a'); torch.cuda.nvtx.mark('b')\n"
    code, _, _ = run(MarkerCommentsCodemod, before, findings((2, "C2C503", "no NVTX"), (2, "C2C503", "no NVTX")))
    assert code == before


def test_no_findings_no_change():
    before = "x = 1\n"
    assert run(MarkerCommentsCodemod, before)[0] == before
