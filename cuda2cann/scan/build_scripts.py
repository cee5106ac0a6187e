"""CUDA in build scripts: CMake (CMakeLists.txt, *.cmake) and Makefiles (Makefile, *.mk).

Line-based: each rule is a regular expression over one line with `#` comments removed; its `api` group names what
was found. None of it is rewritten today, so every finding is unported (the hint says what replaces it on CANN).
"""
from __future__ import annotations

import re

from cuda2cann.codes import code_info
from cuda2cann.findings import Finding, at_line

#: (code, pattern with an `api` group) for CMake files
CMAKE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((code, re.compile(p, re.IGNORECASE)) for code, p in (
    ("C2C320", r"\bproject\s*\([^)#]*?(?P<api>\bCUDA\b)"),
    ("C2C320", r"(?P<api>\benable_language\s*\(\s*CUDA\b)"),
    ("C2C320", r"(?P<api>\bcheck_language\s*\(\s*CUDA\b)"),
    ("C2C321", r"(?P<api>\bfind_package\s*\(\s*(?:CUDA|CUDAToolkit)\b)"),
    ("C2C321", r"(?P<api>\bCUDA::\w+)"),
    ("C2C322", r"(?P<api>\bcuda_(?:add_\w+|include_directories|compile\w*|wrap_srcs|select_nvcc_arch_flags)\b)"),
    ("C2C322", r"(?P<api>\b(?:CMAKE_CUDA_\w+|CUDA_NVCC_FLAGS\w*|CUDA_ARCHITECTURES|CUDA_SEPARABLE_COMPILATION|"
               r"CUDA_RESOLVE_DEVICE_SYMBOLS|CUDA_TOOLKIT_ROOT_DIR)\b)"),
))
#: (code, pattern) for Makefiles
MAKE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((code, re.compile(p)) for code, p in (
    ("C2C323", r"(?P<api>\bnvcc\b)"),
    ("C2C323", r"(?P<api>-l(?:cudart|cublas\w*|cudnn|nccl|curand|cufft\w*|cuda)\b)"),
    ("C2C323", r"(?P<api>\bCUDA_(?:HOME|PATH|ROOT)\b)"),
))
_COMMENT = re.compile(r"#.*")


def rules_for(name: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return CMAKE_RULES if name == "CMakeLists.txt" or name.lower().endswith(".cmake") else MAKE_RULES


def build_findings(text: str, path: str, name: str) -> list[Finding]:
    found: dict[tuple[int, int], Finding] = {}
    for number, line in enumerate(text.splitlines(), 1):
        code_part = _COMMENT.sub("", line)
        for code, pattern in rules_for(name):
            for m in pattern.finditer(code_part):
                api = re.sub(r"\s+", "", m.group("api"))
                column = m.start("api") + 1
                found.setdefault((number, column), at_line(
                    path, number, column, m.end("api") - m.start("api"), code=code, category="build", api=api,
                    library="cmake" if rules_for(name) is CMAKE_RULES else "make", status="unported",
                    message=f"{api}: {code_info(code).title}", hint=code_info(code).hint))
    return [found[k] for k in sorted(found)]
