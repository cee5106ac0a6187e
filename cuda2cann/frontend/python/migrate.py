"""migrate_python: run the codemods of this package over one Python file.

The passes run in this order on one libcst tree: the table-driven names and imports, `.cuda()`, device strings,
the NCCL backend, extension builds (findings only), then the marker comments and `import torch_npu`, which are the
only passes that add lines. A file that mentions neither CUDA nor NCCL is returned as it is, unparsed.
"""
from __future__ import annotations

import libcst as cst
from libcst.codemod import CodemodContext

from cuda2cann.frontend.python.api_imports import TorchApiImportsCodemod
from cuda2cann.frontend.python.api_names import TorchApiNamesCodemod
from cuda2cann.frontend.python.base import CHANGES, FINDINGS, SUPPRESSIONS, MigrationCodemod
from cuda2cann.frontend.python.cpp_extension import CppExtensionCodemod
from cuda2cann.frontend.python.device_method import DeviceMethodCodemod
from cuda2cann.frontend.python.device_strings import DeviceStringCodemod
from cuda2cann.frontend.python.dist_backend import DistBackendCodemod
from cuda2cann.frontend.python.import_torch_npu import ImportTorchNpuCodemod
from cuda2cann.frontend.python.markers import MarkerCommentsCodemod
from cuda2cann.frontend.python.model import MAYBE_CUDA, Finding, MigrationResult
from cuda2cann.frontend.python.suppress import suppressions
from cuda2cann.frontend.python.table import PythonTable

PIPELINE: tuple[type[MigrationCodemod], ...] = (
    TorchApiNamesCodemod, TorchApiImportsCodemod, DeviceMethodCodemod, DeviceStringCodemod, DistBackendCodemod,
    CppExtensionCodemod, MarkerCommentsCodemod, ImportTorchNpuCodemod,
)


def migrate_python(source: str, path: str = "<string>", *, table: PythonTable | None = None) -> MigrationResult:
    """Migrate the PyTorch CUDA code of one Python file (its text `source`, named `path` in reports) to torch_npu.

    Returns the new text, the edits made and the findings to review; see docs/python_migration.md for the rules.
    Running it on its own output changes nothing, and a file without CUDA comes back byte-identical.
    """
    if not MAYBE_CUDA.search(source):
        return MigrationResult(source, (), ())
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        finding = Finding(path, exc.raw_line, exc.raw_column + 1, "C2C500", "", "unsupported",
                          f"not valid Python, left unchanged: {exc.message}", "error")
        return MigrationResult(source, (), (finding,))
    context = CodemodContext(filename=path, scratch={SUPPRESSIONS: suppressions(source)})
    for codemod_class in PIPELINE:
        codemod = codemod_class(context, table)
        if codemod.should_run(source):
            module = codemod.transform_module(module)
    code = module.code
    key = lambda item: (item.line, item.column, item.code)  # noqa: E731
    return MigrationResult(source if code == source else code, tuple(sorted(context.scratch[CHANGES], key=key)),
                           tuple(sorted(context.scratch[FINDINGS], key=key)))
