"""migrate_python end to end: training scripts in the styles of the usual PyTorch examples, and its properties."""
from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cuda2cann.frontend.python import migrate_python

SCRIPTS = Path(__file__).parent / "scripts"
PAIRS = ["mnist", "ddp", "amp", "checkpoint"]


def script(name: str) -> str:
    return (SCRIPTS / f"{name}.py.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", PAIRS)
def test_scripts(name):
    result = migrate_python(script(f"{name}_cuda"), f"{name}.py")
    assert result.code == script(f"{name}_npu")
    assert migrate_python(result.code, f"{name}.py").code == result.code  # the expected output is a fixed point
    assert all(c.path == f"{name}.py" for c in result.changes)


def test_mnist_changes_and_no_findings():
    result = migrate_python(script("mnist_cuda"), "mnist.py")
    assert [(c.line, c.code) for c in result.changes] == [
        (8, "C2C511"), (41, "C2C501"), (45, "C2C501"), (46, "C2C507"), (59, "C2C501"), (59, "C2C501")]
    assert result.findings == ()


def test_ddp_changes():
    result = migrate_python(script("ddp_cuda"), "ddp.py")
    assert sorted({c.code for c in result.changes}) == ["C2C501", "C2C506", "C2C507", "C2C508", "C2C511"]
    assert result.findings == ()


def test_amp_findings():
    result = migrate_python(script("amp_cuda"), "amp.py")
    assert [(f.line, f.code, f.status) for f in result.findings] == [(6, "C2C504", "approximate"), (7, "C2C502", "approximate")]
    assert [f.as_dict()["api"] for f in result.findings] == ["torch.backends.cudnn.benchmark", "torch.backends.cuda.matmul.allow_tf32"]


def test_unsupported_code_is_kept_with_marker_and_finding():
    source = dedent("""\
        import torch

        def step(model, x):
            torch.cuda.nvtx.range_push("step")  # profile
            y = model(x.cuda())
            torch.cuda.nvtx.range_pop()
            return y
        """)
    result = migrate_python(source, "p.py")
    marker = ("# CUDA2CANN(C2C503): torch.cuda.nvtx.{}: No NVTX on Ascend: torch.npu.mstx (mark, range_push, range_pop, range_start,"
              " range_end) is the closest, with extra stream and domain arguments.")
    assert result.code == dedent("""\
        import torch
        import torch_npu

        def step(model, x):
            {}
            torch.cuda.nvtx.range_push("step")  # profile
            y = model(x.npu())
            {}
            torch.cuda.nvtx.range_pop()
            return y
        """).format(marker.format("range_push"), marker.format("range_pop"))
    assert [(f.line, f.column, f.code, f.severity) for f in result.findings] == [(4, 5, "C2C503", "error"), (6, 5, "C2C503", "error")]


def test_markers_alone_do_not_import_torch_npu():
    result = migrate_python("import torch\ntorch.backends.cudnn.benchmark = True\n")
    assert "import torch_npu" not in result.code and result.changes == ()
    assert [f.code for f in result.findings] == ["C2C504"]


def test_suppressed_lines_stay():
    source = "import torch\nx = torch.zeros(2).cuda()  # cuda2cann: ignore\n"
    assert migrate_python(source) == migrate_python(source)
    assert migrate_python(source).code == source


def test_cuda_free_code_is_returned_byte_identical():
    source = "# -*- coding: utf-8 -*-\r\nimport torch\r\n\r\nx = torch.ones(3)  # on the cpu\r\nprint('nothing to do')   \r\n"
    result = migrate_python(source)
    assert result.code is source and result.changes == () and result.findings == ()
    mentions = "import torch\nprint('cuda is great')\nx = torch.ones(3)\n"  # mentions cuda, changes nothing
    assert migrate_python(mentions).code == mentions


def test_formatting_and_comments_survive():
    source = ("#!/usr/bin/env python\n# header comment\nimport torch   # the framework\n\n\n"
              "def f( x ):\r\n    # move it\n    return x.cuda( )  # trailing\n\n\n\n# end\n")
    result = migrate_python(source)
    assert result.code == source.replace("import torch   # the framework\n", "import torch   # the framework\nimport torch_npu\n") \
        .replace("x.cuda( )", "x.npu( )")


def test_invalid_python_is_reported_and_kept():
    source = "x.cuda(\n"
    result = migrate_python(source, "bad.py")
    assert result.code == source and result.changes == ()
    assert [(f.code, f.path, f.status) for f in result.findings] == [("C2C500", "bad.py", "unsupported")]


# -- idempotence over random combinations of constructs ----------------------------------------------------------------

SNIPPETS = [
    "import torch", "import torch.cuda as tc", "from torch.cuda import amp", "from torch.cuda.amp import autocast, GradScaler",
    "import torch.distributed as dist", "from torch.backends import cudnn", "from torch.cuda import synchronize, nvtx",
    "import torch_npu", "x = torch.zeros(3).cuda()", "y = x.to('cuda:1')", "device = torch.device('cuda' if ok else 'cpu')",
    "torch.cuda.synchronize()", "tc.synchronize()", "g = tc.CUDAGraph()", "torch.backends.cudnn.benchmark = True",
    "cudnn.allow_tf32 = True", "dist.init_process_group(backend='nccl')", "with autocast():\n    pass",
    "torch.cuda.nvtx.range_push('a')  # cuda2cann: ignore[C2C503]", "torch.cuda.nvtx.range_pop()", "print('cuda')",
    "ckpt = torch.load(p, map_location={'cuda:0': 'cuda:1'})", "if x.is_cuda and x.device.type == 'cuda':\n    pass",
    "def f(device='cuda'):\n    return torch.cuda.current_stream()", "s = amp.GradScaler()", "torch.cuda.unknown_thing()",
    "z = x.cuda()  # cuda2cann: ignore", "backend = dist.Backend.NCCL", '"""Module docstring on cuda."""',
]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(SNIPPETS), min_size=1, max_size=6))
def test_migration_is_idempotent(lines):
    source = "\n".join(lines) + "\n"
    once = migrate_python(source)
    assert migrate_python(once.code).code == once.code
