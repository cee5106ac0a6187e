"""DistBackendCodemod: "nccl" → "hccl" where it names a backend."""
from cuda2cann.frontend.python.dist_backend import DistBackendCodemod

from .helpers import assert_codemod


def test_init_process_group():
    assert_codemod(DistBackendCodemod, """
        import torch.distributed as dist
        from torch.distributed import init_process_group
        dist.init_process_group(backend="nccl", init_method="env://")
        dist.init_process_group("nccl")
        init_process_group('nccl', rank=rank, world_size=world)
        dist.init_process_group(backend="cpu:gloo,cuda:nccl")
        group = dist.new_group(ranks, backend="nccl")
        """, """
        import torch.distributed as dist
        from torch.distributed import init_process_group
        dist.init_process_group(backend="hccl", init_method="env://")
        dist.init_process_group("hccl")
        init_process_group('hccl', rank=rank, world_size=world)
        dist.init_process_group(backend="cpu:gloo,npu:hccl")
        group = dist.new_group(ranks, backend="hccl")
        """, changes=[(4, "C2C508"), (5, "C2C508"), (6, "C2C508"), (7, "C2C508"), (8, "C2C508")])


def test_backend_variables_arguments_and_comparisons():
    assert_codemod(DistBackendCodemod, """
        backend = "nccl" if torch.cuda.is_available() else "gloo"
        parser.add_argument("--dist-backend", default="nccl", type=str)
        if dist.get_backend() == "nccl":
            pass
        deepspeed.init_distributed(dist_backend="nccl")
        """, """
        backend = "hccl" if torch.cuda.is_available() else "gloo"
        parser.add_argument("--dist-backend", default="hccl", type=str)
        if dist.get_backend() == "hccl":
            pass
        deepspeed.init_distributed(dist_backend="hccl")
        """)


def test_other_strings_stay():
    before = """
        print("nccl")
        os.environ["NCCL_DEBUG"] = "INFO"
        dist.init_process_group(backend="gloo")
        lib = "nccl"
        """
    assert_codemod(DistBackendCodemod, before, before, changes=[])
