"""A roofline cost model of an AscendC kernel from the cann-cpu counters.

Memory time is the GM traffic over the chip's HBM bandwidth; vector time is, for the busiest core,
the 256-byte repeats of each instruction at one repeat per cycle (Exp/Ln/Sqrt/Div at a quarter of
that rate, reference/ascendc_facts.md §1.6 "Vector指令理论性能"); the kernel takes the larger of the two.
The ideal is the operator's essential traffic (each input read once, each output written once) at
full bandwidth; efficiency = ideal / modeled. A model, not a measurement: no launch overhead, no
bank conflicts, perfect overlap of copy and compute.
"""
from __future__ import annotations

from dataclasses import dataclass

#: instructions that run at a quarter of the vector rate on Atlas A2
QUARTER_RATE = frozenset({"Exp", "Ln", "Sqrt", "Div"})


@dataclass(frozen=True)
class Roofline:
    name: str
    hbm_bytes_per_s: float
    clock_hz: float

    @staticmethod
    def ascend910b2() -> Roofline:
        """910B2: 1.6 TB/s HBM, vector 256 B/cycle per core at 1.8 GHz (reference/hardware_and_tolerances.md §2.1)."""
        return Roofline("Ascend910B2", 1.6e12, 1.8e9)


@dataclass(frozen=True)
class Modeled:
    memory_s: float
    vector_s: float
    gm_bytes: int

    @property
    def total_s(self) -> float:
        return max(self.memory_s, self.vector_s)

    @property
    def bound(self) -> str:
        return "memory" if self.memory_s >= self.vector_s else "vector"


def core_vector_cycles(block: dict) -> float:
    return sum(v["repeats"] * (4 if api in QUARTER_RATE else 1) for api, v in block.get("vector", {}).items())


def model(counters: dict, roofline: Roofline) -> Modeled:
    """Modeled time from cann-cpu counters (`counters_json()` of the runtime); launches in stream order add up."""
    if counters.get("launches"):
        parts = [model(launch, roofline) for launch in counters["launches"]]
        return Modeled(sum(p.memory_s for p in parts), sum(p.vector_s for p in parts), sum(p.gm_bytes for p in parts))
    total = counters["total"]
    gm_bytes = total["gm_to_ub_bytes"] + total["ub_to_gm_bytes"]
    busiest = max((core_vector_cycles(b) for b in counters.get("blocks", [])), default=0.0)
    return Modeled(gm_bytes / roofline.hbm_bytes_per_s, busiest / roofline.clock_hz, gm_bytes)


def efficiency(essential_bytes: int, modeled: Modeled, roofline: Roofline) -> float:
    ideal = essential_bytes / roofline.hbm_bytes_per_s
    return ideal / modeled.total_s if modeled.total_s > 0 else 0.0
