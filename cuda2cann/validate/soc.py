"""SoC profiles of the Ascend targets (reference/ascendc_facts.md §2.1, §2.2).

The cann-cpu runtime carries the same table in C++ (runtime/cann_cpu); a test keeps them equal.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SocProfile:
    name: str
    arch: int
    #: vector (AIV) cores: what a vector kernel's block_dim is split over
    vector_cores: int
    ub_bytes: int
    #: bytes the framework and the ASC reserve keep from kernels
    ub_reserved: int

    @property
    def ub_usable(self) -> int:
        return self.ub_bytes - self.ub_reserved


_A2_RESERVED = 256 + 8 * 1024
PROFILES: dict[str, SocProfile] = {p.name: p for p in (
    SocProfile("Ascend910B1", 2201, 48, 196608, _A2_RESERVED),
    SocProfile("Ascend910B2", 2201, 48, 196608, _A2_RESERVED),
    SocProfile("Ascend910B3", 2201, 40, 196608, _A2_RESERVED),
    SocProfile("Ascend910B4", 2201, 40, 196608, _A2_RESERVED),
    SocProfile("Ascend910_9391", 2201, 48, 196608, _A2_RESERVED),
    SocProfile("Ascend950PR_9599", 3510, 72, 253952, 0),
    SocProfile("Ascend950DT_9581", 3510, 64, 253952, 0),
    SocProfile("Ascend950DT_9591", 3510, 72, 253952, 0),
)}
DEFAULT_SOC = "Ascend910B2"


def soc_profile(name: str) -> SocProfile:
    if name not in PROFILES:
        raise KeyError(f"unknown SoC {name!r}; known: {', '.join(PROFILES)}")
    return PROFILES[name]
