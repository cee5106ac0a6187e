"""Every diagnostics code: a one-line title and what to do. SARIF rules and report hints come from here.

docs/diagnostics.md documents the same codes at length; tests/test_docs.py checks that the two list the same
codes. Codes are stable: new ones are added, meanings never change.
"""
from __future__ import annotations

from dataclasses import dataclass

from cuda2cann.frontend.python.model import CODES as PYTHON_CODES


@dataclass(frozen=True)
class CodeInfo:
    title: str
    hint: str = ""


_PORT_BY_HAND = "port the kernel by hand and validate the pair with a spec (docs/getting_started.md)"

CODES: dict[str, CodeInfo] = {
    # ** input (C2C0xx)
    "C2C001": CodeInfo("the file could not be read or preprocessed",
                       "fix the file or pass the defines it needs (-D, tool.cuda2cann.defines)"),
    "C2C002": CodeInfo("the kernel does not parse cleanly", "make the macro's header findable (-I) or define it (-D)"),
    # ** lifting CUDA to the IR (C2C1xx)
    "C2C101": CodeInfo("threads cooperate in a way that is not a recognised reduction idiom", _PORT_BY_HAND),
    "C2C102": CodeInfo("unsupported statement (while loop, unbounded loop, local array, ...)",
                       "rewrite the loop as a grid-stride loop or a constant-trip loop"),
    "C2C103": CodeInfo("unsupported expression or call form", _PORT_BY_HAND),
    "C2C104": CodeInfo("the iteration domain is unknown", "guard the store with `if (i < n)`"),
    "C2C105": CodeInfo("two points of the domain may write the same element", _PORT_BY_HAND),
    "C2C106": CodeInfo("a store index depends on data (a scatter)", _PORT_BY_HAND),
    "C2C107": CodeInfo("integer division or remainder the index algebra cannot represent", _PORT_BY_HAND),
    "C2C108": CodeInfo("call of a function that is neither a device function of the file nor in the math table",
                       "define it as a __device__ function in the file or an included project header"),
    "C2C109": CodeInfo("unsupported type", _PORT_BY_HAND),
    "C2C110": CodeInfo("the kernel stores nothing to global memory", "nothing to port: remove the kernel or its launch"),
    "C2C199": CodeInfo("internal error of the lifter, the lowering or the rendering", "please report it with the kernel"),
    # ** lowering to AscendC (C2C2xx)
    "C2C201": CodeInfo("an AscendC instruction does not support the dtype", _PORT_BY_HAND),
    "C2C202": CodeInfo("a load that is neither at the output's index nor a supported broadcast or per-row gather", _PORT_BY_HAND),
    "C2C203": CodeInfo("a comparison used as a value rather than as a select condition", _PORT_BY_HAND),
    "C2C204": CodeInfo("an IR node without lowering", _PORT_BY_HAND),
    "C2C205": CodeInfo("no AscendC Cast between the two dtypes", _PORT_BY_HAND),
    "C2C206": CodeInfo("a unary function without an AscendC instruction or composition", _PORT_BY_HAND),
    "C2C207": CodeInfo("a binary operation without lowering", _PORT_BY_HAND),
    "C2C208": CodeInfo("a select whose condition is not a comparison", _PORT_BY_HAND),
    "C2C209": CodeInfo("a comparison AscendC Compare does not support on the dtype", _PORT_BY_HAND),
    "C2C210": CodeInfo("a store that does not write the domain in row-major order", _PORT_BY_HAND),
    "C2C211": CodeInfo("no tile of 256 elements fits the Unified Buffer", _PORT_BY_HAND),
    "C2C212": CodeInfo("the element index used as a value, or an index over unknown symbols", _PORT_BY_HAND),
    "C2C213": CodeInfo("a reduction or class the AscendC lowerings do not cover", _PORT_BY_HAND),
    # ** host code, headers, types, build scripts (C2C3xx)
    "C2C301": CodeInfo("call of a CUDA library function (runtime, cuBLAS, cuDNN, NCCL, cuRAND, cuFFT)",
                       "rewrite the call as the mapping says (docs/api_support.md)"),
    "C2C302": CodeInfo("use of a CUDA-specific type", "replace the type as the mapping says (docs/api_support.md)"),
    "C2C303": CodeInfo("use of a CUDA enumerator or constant", "replace the value as the mapping says (docs/api_support.md)"),
    "C2C304": CodeInfo("#include of a CUDA header", "include the CANN header the mapping names (docs/api_support.md)"),
    "C2C305": CodeInfo("kernel launch `k<<<grid, block>>>(...)`",
                       "call the launcher that `cuda2cann translate` generates for the kernel (k_launch)"),
    "C2C306": CodeInfo("a name of a CUDA library that the mapping tables do not list",
                       "check the CANN counterpart by hand; add the name to cuda2cann/mappings"),
    "C2C310": CodeInfo("a CUDA kernel that `cuda2cann translate` ports to AscendC",
                       "run `cuda2cann translate --validate` and review the generated operator"),
    "C2C320": CodeInfo("CMake enables the CUDA language", "build the translated kernels with ascendc_library (CANN's CMake)"),
    "C2C321": CodeInfo("CMake looks for the CUDA toolkit (find_package(CUDA / CUDAToolkit), CUDA:: targets)",
                       "find CANN instead (ASCEND_CANN_PACKAGE_PATH) and link the ACL libraries"),
    "C2C322": CodeInfo("a CUDA-specific CMake command or variable (cuda_add_library, CMAKE_CUDA_*, CUDA_NVCC_FLAGS)",
                       "replace it by the ascendc_library / CANN equivalent"),
    "C2C323": CodeInfo("a Makefile invokes nvcc or links the CUDA toolkit", "build with CANN's toolchain (ascendc_library)"),
    # ** Python migration (C2C5xx): titles from the migration's own table
    **{code: CodeInfo(title, "see docs/python_migration.md") for code, title in PYTHON_CODES.items()},
    # ** tree workflows (C2C6xx)
    "C2C601": CodeInfo("a path does not exist (a command-line path, or a dangling symbolic link)", "fix or remove the path"),
    "C2C602": CodeInfo("the file cannot be read (permissions, I/O error)", "fix its permissions or exclude it (--exclude)"),
    "C2C603": CodeInfo("the file is not UTF-8", "convert it to UTF-8 or exclude it (--exclude)"),
    "C2C604": CodeInfo("the file is larger than the size limit", "raise --max-file-size (tool.cuda2cann.max_file_size) or exclude it"),
    "C2C605": CodeInfo("a symbolic link loop", "remove the link or exclude it"),
    "C2C606": CodeInfo("a symbolic link that points outside the scanned folder: not followed",
                       "scan its target folder itself, or exclude it"),
    "C2C607": CodeInfo("the baseline file is missing or invalid", "create it with `cuda2cann check --update-baseline`"),
    "C2C608": CodeInfo("internal error of cuda2cann while analysing the file", "please report it with the file"),
    # ** notes (C2C9xx)
    "C2C900": CodeInfo("a note on a translated kernel (a composed function, double computed in fp32)", "review the note"),
}


def code_info(code: str) -> CodeInfo:
    """The title and hint of `code`; an unknown code (a bug of ours) still gets a usable entry."""
    return CODES.get(code, CodeInfo(f"{code}: undocumented code", "please report it"))
