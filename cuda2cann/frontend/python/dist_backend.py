"""The NCCL distributed backend → HCCL (code C2C508).

    dist.init_process_group(backend="nccl")     →  dist.init_process_group(backend="hccl")
    dist.init_process_group("nccl", ...)        →  dist.init_process_group("hccl", ...)
    backend = "nccl" if cuda else "gloo"        →  backend = "hccl" if cuda else "gloo"
    init_process_group("cpu:gloo,cuda:nccl")    →  init_process_group("cpu:gloo,npu:hccl")
    if dist.get_backend() == "nccl":            →  if dist.get_backend() == "hccl":

torch_npu registers "hccl" with torch.distributed.Backend.register_backend; `dist.Backend.NCCL` and
`is_nccl_available` are table entries (TorchApiNamesCodemod). Positions follow `positions.LiteralPositionsCodemod`.
"""
from __future__ import annotations

import re

from cuda2cann.frontend.python.positions import LiteralPositionsCodemod
from cuda2cann.frontend.python.strings import backend_literals, to_hccl


class DistBackendCodemod(LiteralPositionsCodemod):
    """Rewrite "nccl" to "hccl" where it names a torch.distributed backend."""

    DESCRIPTION = 'backend="nccl" → backend="hccl"'
    TRIGGER = re.compile(r"nccl")
    CODE = "C2C508"
    API = "torch.distributed backend"
    NAME = re.compile(r"(?i)(^|_)backend(_|$)")
    FIRST_ARG = frozenset({"torch.distributed.init_process_group", "torch.distributed.distributed_c10d.init_process_group"})
    literals = staticmethod(backend_literals)
    rewrite = staticmethod(to_hccl)
