"""SoC profiles of the Ascend targets (reference/ascendc_facts.md §2.1, §2.2).

The table lives once, in runtime/cann_cpu/cann_cpu/soc_profiles.def (an X-macro file that the
cann-cpu runtime compiles in); Python reads the same rows here.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

PROFILES_FILE = Path(__file__).parent / "runtime" / "cann_cpu" / "cann_cpu" / "soc_profiles.def"
_ROW = re.compile(r'^C2C_SOC\("(\w+)",\s*(\d+),\s*(\d+),\s*(\d+),\s*(\d+),\s*(\d+)\)', re.MULTILINE)
DEFAULT_SOC = "Ascend910B2"


@dataclass(frozen=True)
class SocProfile:
    name: str
    arch: int
    cube_cores: int
    #: vector (AIV) cores: what a vector kernel's block_dim is split over
    vector_cores: int
    ub_bytes: int
    #: UB bytes a kernel may use (after the framework's and the ASC's reserved areas)
    ub_usable: int


@functools.cache
def profiles() -> dict[str, SocProfile]:
    rows = _ROW.findall(PROFILES_FILE.read_text())
    return {r[0]: SocProfile(r[0], *map(int, r[1:])) for r in rows}


def soc_profile(name: str) -> SocProfile:
    table = profiles()
    if name not in table:
        raise KeyError(f"unknown SoC {name!r}; known: {', '.join(table)}")
    return table[name]
