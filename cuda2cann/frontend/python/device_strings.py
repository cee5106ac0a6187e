"""CUDA device strings in device positions → NPU device strings (code C2C507).

    torch.device("cuda", 0)              →  torch.device("npu", 0)
    x.to("cuda:1"), x.to(device="cuda")  →  x.to("npu:1"), x.to(device="npu")
    torch.load(f, map_location="cuda")   →  torch.load(f, map_location="npu")
    torch.autocast(device_type="cuda")   →  torch.autocast(device_type="npu")
    torch.amp.GradScaler("cuda")         →  torch.amp.GradScaler("npu")
    device = "cuda" if ok else "cpu"     →  device = "npu" if ok else "cpu"
    if x.device.type == "cuda":          →  if x.device.type == "npu":
    torch.device(f"cuda:{rank}")         →  torch.device(f"npu:{rank}")

Which literals count is the rule of `positions.LiteralPositionsCodemod`; `print("cuda")` is never touched.
"""
from __future__ import annotations

import re
from types import MappingProxyType

from cuda2cann.frontend.python.positions import LiteralPositionsCodemod
from cuda2cann.frontend.python.strings import device_literals, to_npu


class DeviceStringCodemod(LiteralPositionsCodemod):
    """Rewrite "cuda", "cuda:N" and their f-string/format spellings where they are used as devices."""

    DESCRIPTION = '"cuda" / "cuda:N" device strings → "npu" / "npu:N"'
    TRIGGER = re.compile(r"[\"']cuda")
    CODE = "C2C507"
    API = "device string"
    NAME = re.compile(r"(?i)(^|_)(device|devices|dev)(_|$)")
    EXTRA_KEYWORDS = frozenset({"map_location"})
    FIRST_ARG = frozenset({
        "torch.device", "torch.Generator", "torch.set_default_device", "torch.get_device_module",
        "torch.autocast", "torch.amp.autocast", "torch.amp.autocast_mode.autocast", "torch.amp.GradScaler",
        "torch.amp.grad_scaler.GradScaler", "torch.amp.is_autocast_available", "torch.get_autocast_dtype",
        "torch.set_autocast_dtype", "torch.is_autocast_enabled", "torch.set_autocast_enabled",
    })
    #: every torch.cuda / torch.npu function that takes a device takes it first (set_device, synchronize, ...)
    FIRST_ARG_PREFIXES = ("torch.cuda.", "torch.npu.")
    FIRST_ARG_METHODS = frozenset({"to"})
    CALL_KEYWORDS = MappingProxyType({"torch.device": frozenset({"type"})})
    literals = staticmethod(device_literals)
    rewrite = staticmethod(to_npu)
