"""ImportTorchNpuCodemod: where `import torch_npu` goes, and when it does not."""
import pytest

from cuda2cann.frontend.python.import_torch_npu import ImportTorchNpuCodemod

from .helpers import assert_codemod


@pytest.mark.parametrize(("before", "after"), [
    ("import os\nimport torch\nimport torch.nn as nn\n\nfrom x import y\n",
     "import os\nimport torch\nimport torch.nn as nn\nimport torch_npu\n\nfrom x import y\n"),
    ("import torch\nfrom torch.npu.amp import autocast\nimport torch.nn as nn\n",
     "import torch\nimport torch_npu\nfrom torch.npu.amp import autocast\nimport torch.nn as nn\n"),
    ("import os\nimport torch.npu as tc\n", "import os\nimport torch_npu\nimport torch.npu as tc\n"),
    ("from torch import npu as cuda\n", "import torch_npu\nfrom torch import npu as cuda\n"),
    ('"""Doc."""\nfrom __future__ import annotations\nimport os\nx = 1\n',
     '"""Doc."""\nfrom __future__ import annotations\nimport os\nimport torch_npu\nx = 1\n'),
    ('"""Doc."""\nx = 1\n', '"""Doc."""\nimport torch_npu\nx = 1\n'),
    ("x = 1\n", "import torch_npu\nx = 1\n"),
])
def test_placement(before, after):
    assert_codemod(ImportTorchNpuCodemod, before, after, required=True)


@pytest.mark.parametrize("before", [
    "import torch\nimport torch_npu\n",
    "import torch\nfrom torch_npu.contrib import transfer_to_npu\n",
    "import torch\ntry:\n    import torch_npu  # noqa\nexcept ImportError:\n    pass\n",
])
def test_already_imported(before):
    assert_codemod(ImportTorchNpuCodemod, before, before, required=True, changes=[])


def test_not_required_without_changes():
    assert_codemod(ImportTorchNpuCodemod, "import torch\n", "import torch\n", changes=[])


def test_suppressed_on_the_anchor_line():
    before = "import torch  # cuda2cann: ignore[C2C511]\n"
    assert_codemod(ImportTorchNpuCodemod, before, before, required=True, changes=[])
