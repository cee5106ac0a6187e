"""Shared by the lifting tests: lift the only kernel of a CUDA text, and print its store."""
from __future__ import annotations

from pathlib import Path

from cuda2cann.frontend.cuda.translation_unit import KernelOutcome, analyse_file
from cuda2cann.ir.printer import format_node


def lift_text(tmp_path: Path, text: str) -> KernelOutcome:
    path = tmp_path / "k.cu"
    path.write_text(text)
    (k,) = analyse_file(path).kernels
    return k


def store_of(k: KernelOutcome) -> str:
    """`tensor[index] = value` of the kernel's one store (fails with the finding when it did not lift)."""
    assert k.lifted is not None, f"{k.code}: {k.message}"
    (s,) = k.lifted.operator.stores
    return f"{s.tensor}[{s.index}] = {format_node(s.value)}"
