"""The torch_npu mapping table: it loads, validates like the C tables, and resolves names."""
import pytest

from cuda2cann.frontend.python.table import KINDS, UNKNOWN, default_python_table, load_python_table
from cuda2cann.mappings.tables import STATUSES, MappingError

HEADER = '[library]\nname = "t"\ntitle = "T"\nunknown_prefixes = ["torch.cuda"]\n'


def test_packaged_table_loads():
    table = default_python_table()
    assert table.name == "torch_npu" and default_python_table() is table
    assert all(e.status in STATUSES and e.kind in KINDS and e.note for e in table.entries)
    assert sum(table.counts().values()) == len(table.entries)


REQUIRED = ["is_available", "device_count", "current_device", "set_device", "synchronize", "get_device_name", "get_device_properties",
            "memory_allocated", "max_memory_allocated", "memory_reserved", "empty_cache", "manual_seed", "manual_seed_all", "Stream",
            "Event", "stream", "current_stream", "amp", "amp.autocast", "amp.GradScaler"]


@pytest.mark.parametrize("name", REQUIRED)
def test_required_torch_cuda_names_are_exact(name):
    entry = default_python_table().lookup(f"torch.cuda.{name}")
    assert entry is not None and entry.status == "exact"
    assert entry.target == f"torch.npu.{name}"


def test_targets_are_torch_npu_or_torch_names():
    for e in default_python_table().entries:
        assert not e.target or e.target.startswith(("torch.npu.", "torch.distributed.", "torch.")), e.name


@pytest.mark.parametrize(("name", "status", "target"), [
    ("torch.cuda.CUDAGraph", "approximate", "torch.npu.NPUGraph"),
    ("torch.cuda.nvtx.range_push", "unsupported", ""),        # covered by the unsupported module
    ("torch.cuda.jiterator._create_jit_fn", "unsupported", ""),
    ("torch.cuda.get_device_capability", "approximate", ""),
    ("torch.cuda.no_such_function", UNKNOWN, ""),
    ("torch.backends.cudnn.benchmark", "approximate", ""),
    ("torch.backends.cudnn.allow_tf32", "approximate", "torch.npu.conv.allow_hf32"),
    ("torch.distributed.Backend.NCCL", "exact", "torch.distributed.Backend.HCCL"),
])
def test_resolve(name, status, target):
    entry = default_python_table().resolve(name)
    assert (entry.status, entry.target) == (status, target)


def test_names_outside_the_table_and_its_prefixes_resolve_to_none():
    table = default_python_table()
    assert table.resolve("torch.nn.Linear") is None
    assert table.resolve("torch") is None
    assert table.resolve("torch.cudax.y") is None


@pytest.mark.parametrize(("body", "message"), [
    ('[function]\n"torch.cuda.x" = { target = "torch.npu.x", status = "exact" }\n', "missing note"),
    ('[function]\n"torch.cuda.x" = { status = "exact", note = "n" }\n', "needs a target"),
    ('[function]\n"torch.cuda.x" = { target = "torch.npu.x", status = "unsupported", note = "n" }\n', "must not name a target"),
    ('[function]\n"torch.cuda.x" = { target = "torch.npu.x", status = "maybe", note = "n" }\n', "unknown status"),
    ('[function]\n"torch cuda" = { status = "unsupported", note = "n" }\n', "not a dotted Python name"),
    ('[function]\n"torch.cuda.x" = { target = "torch npu", status = "exact", note = "n" }\n', "target must be"),
    ('[header]\n"x" = { status = "unsupported", note = "n" }\n', "unknown section"),
    ('[function]\n"a.b" = { status = "unsupported", note = "n" }\n[class]\n"a.b" = { status = "unsupported", note = "n" }\n', "duplicate"),
])
def test_validation_errors(body, message):
    with pytest.raises(MappingError, match=message):
        load_python_table(HEADER + body, "t.toml")


def test_library_keys_are_checked():
    with pytest.raises(MappingError, match="unknown_prefixes"):
        load_python_table('[library]\nname = "t"\ntitle = "T"\n', "t.toml")
