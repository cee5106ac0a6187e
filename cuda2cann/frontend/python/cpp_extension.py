"""CUDA extension builds → a finding each (code C2C509); the code is kept.

    CUDAExtension(name, sources=["k.cu", ...])        torch.utils.cpp_extension
    load_inline(name, cpp_sources, cuda_sources=...)   (only with CUDA sources)
    load(name, sources=["k.cu", ...])                  (only with a .cu/.cuh source literal)
    CUDA_HOME

The CUDA sources have to be translated first (`cuda2cann translate`); the translated operator is then built
with torch_npu.utils.cpp_extension.NpuExtension (which adds the torch_npu and CANN include paths and libraries)
and torch.utils.cpp_extension.BuildExtension.
"""
from __future__ import annotations

import re

import libcst as cst
from libcst.metadata import PositionProvider, QualifiedNameProvider

from cuda2cann.frontend.python.base import MigrationCodemod, dotted_parts
from cuda2cann.frontend.python.strings import leaves, literal

_MODULE = "torch.utils.cpp_extension"
_HINT = ("translate the CUDA sources with `cuda2cann translate` and build the result with "
         "torch_npu.utils.cpp_extension.NpuExtension and torch.utils.cpp_extension.BuildExtension")


class CppExtensionCodemod(MigrationCodemod):
    """Report torch.utils.cpp_extension uses that compile CUDA sources."""

    DESCRIPTION = "CUDAExtension / load_inline(cuda_sources=...) / load(.cu) → finding C2C509"
    METADATA_DEPENDENCIES = (PositionProvider, QualifiedNameProvider)
    TRIGGER = re.compile(r"cpp_extension")

    def visit_Call(self, node: cst.Call) -> None:
        name = self.qualified_name(node.func) if dotted_parts(node.func) is not None else None
        if name == f"{_MODULE}.CUDAExtension":
            self._report(node, name, "CUDAExtension compiles CUDA sources with nvcc")
        elif name == f"{_MODULE}.load_inline" and any(a.keyword is not None and a.keyword.value == "cuda_sources" for a in node.args):
            self._report(node, name, "load_inline compiles its cuda_sources with nvcc")
        elif name == f"{_MODULE}.load" and _cuda_source(node):
            self._report(node, name, "load compiles its .cu sources with nvcc")

    def visit_Name(self, node: cst.Name) -> None:
        self._home(node)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if dotted_parts(node) is None:
            return True
        self._home(node)
        return False

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def _home(self, node: cst.Name | cst.Attribute) -> None:
        if self.qualified_name(node) == f"{_MODULE}.CUDA_HOME":
            self._report(node, f"{_MODULE}.CUDA_HOME", "CUDA_HOME locates the CUDA toolkit, which Ascend hosts do not have")

    def _report(self, node: cst.CSTNode, name: str, what: str) -> None:
        self.finding(node, "C2C509", name, "unsupported", f"{what}: {_HINT}")


def _cuda_source(call: cst.Call) -> bool:
    """A `sources` argument (second positional or keyword) naming a .cu/.cuh file."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    sources = [a.value for a in call.args if a.keyword is not None and a.keyword.value == "sources"] + [a.value for a in positional[1:2]]
    return any((literal(s) or "").endswith((".cu", ".cuh")) for expr in sources for s in leaves(expr))
