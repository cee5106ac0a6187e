"""TorchApiImportsCodemod: imports of torch.cuda modules and names."""
from cuda2cann.frontend.python.api_imports import TorchApiImportsCodemod

from .helpers import assert_codemod


def test_module_aliases_and_from_imports():
    assert_codemod(TorchApiImportsCodemod, """
        import torch.cuda as tc
        import torch.cuda.amp as amp_mod, os
        from torch.cuda import amp
        from torch.cuda.amp import autocast, GradScaler as Scaler
        from torch import nn, cuda
        """, """
        import torch.npu as tc
        import torch.npu.amp as amp_mod, os
        from torch.npu import amp
        from torch.npu.amp import autocast, GradScaler as Scaler
        from torch import nn, npu as cuda
        """, changes=[(2, "C2C501"), (3, "C2C501"), (4, "C2C501"), (5, "C2C501"), (5, "C2C501"), (6, "C2C501")], findings=[])


def test_parenthesized_import_keeps_its_layout():
    assert_codemod(TorchApiImportsCodemod, """
        from torch.cuda.amp import (
            autocast,  # mixed precision
            GradScaler,
        )
        """, """
        from torch.npu.amp import (
            autocast,  # mixed precision
            GradScaler,
        )
        """)


def test_renamed_names_keep_their_local_name_and_approximate_ones_are_flagged():
    assert_codemod(TorchApiImportsCodemod, """
        from torch.cuda import CUDAGraph, Event
        """, """
        from torch.npu import NPUGraph as CUDAGraph, Event
        """, changes=[(2, "C2C502"), (2, "C2C501")], findings=[(2, "C2C502")])


def test_star_import():
    assert_codemod(TorchApiImportsCodemod, "from torch.cuda.amp import *\n", "from torch.npu.amp import *\n", changes=[(1, "C2C501")])


def test_unchanged_imports():
    before = """
        import torch
        import torch.cuda
        import torch.backends.cudnn as cudnn
        from torch.cuda import nvtx
        from torch.backends import cudnn as c
        from . import cuda
        from .cuda import synchronize
        import numba.cuda as nc
        """
    assert_codemod(TorchApiImportsCodemod, before, before, changes=[], findings=[])


def test_mixed_from_import_is_left_with_a_finding():
    before = "from torch.cuda import synchronize, nvtx\n"
    assert_codemod(TorchApiImportsCodemod, before, before, changes=[], findings=[(1, "C2C510")])


def test_suppressed_import():
    before = "import torch.cuda as tc  # cuda2cann: ignore\n"
    assert_codemod(TorchApiImportsCodemod, before, before, changes=[], findings=[])


def test_distributed_name_import():
    assert_codemod(TorchApiImportsCodemod, "from torch.distributed import is_nccl_available\n",
                   "from torch.distributed import is_hccl_available as is_nccl_available\n", changes=[(1, "C2C501")])
