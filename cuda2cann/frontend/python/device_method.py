"""`.cuda(...)` → `.npu(...)` and `.is_cuda` → `.is_npu` on any object (code C2C506).

torch_npu renames the PrivateUse1 backend to "npu" and generates `Tensor.npu()`, `Module.npu()` and
`Tensor.is_npu` (torch.utils.generate_methods_for_privateuse1_backend), with the arguments of their CUDA
namesakes: `x.cuda(0)`, `x.cuda(device=rank, non_blocking=True)` and `model.cuda()` keep their arguments.
"""
from __future__ import annotations

import re

import libcst as cst
import libcst.matchers as m

from cuda2cann.frontend.python.base import MigrationCodemod

_CUDA_METHOD = m.Call(func=m.Attribute(attr=m.Name("cuda")))


class DeviceMethodCodemod(MigrationCodemod):
    """Rename the CUDA methods generated for tensors and modules to their NPU twins."""

    DESCRIPTION = ".cuda() → .npu(), .is_cuda → .is_npu"
    TRIGGER = re.compile(r"\.\s*(is_)?cuda\b")

    @m.leave(_CUDA_METHOD)
    def rename_cuda_call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = updated_node.func
        assert isinstance(func, cst.Attribute)
        if not self.change(original_node.func.attr, "C2C506", ".cuda()", ".cuda(...) → .npu(...)"):
            return updated_node
        return updated_node.with_changes(func=func.with_changes(attr=cst.Name("npu")))

    @m.leave(m.Attribute(attr=m.Name("is_cuda")))
    def rename_is_cuda(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.Attribute:
        if not self.change(original_node.attr, "C2C506", ".is_cuda", ".is_cuda → .is_npu"):
            return updated_node
        return updated_node.with_changes(attr=cst.Name("is_npu"))
