"""TorchApiNamesCodemod: uses of table names, resolved through the imports."""
from cuda2cann.frontend.python.api_names import TorchApiNamesCodemod

from .helpers import assert_codemod, run


def test_torch_cuda_functions_become_torch_npu():
    assert_codemod(TorchApiNamesCodemod, """
        import torch
        if torch.cuda.is_available():
            torch.cuda.set_device(0)
            torch.cuda.synchronize()  # wait
            n = torch.cuda.device_count()
        """, """
        import torch
        if torch.npu.is_available():
            torch.npu.set_device(0)
            torch.npu.synchronize()  # wait
            n = torch.npu.device_count()
        """, changes=[(3, "C2C501"), (4, "C2C501"), (5, "C2C501"), (6, "C2C501")], findings=[])


def test_aliases_and_classes():
    assert_codemod(TorchApiNamesCodemod, """
        import torch as th
        s = th.cuda.Stream()
        e = th.cuda.Event(enable_timing=True)
        with th.cuda.stream(s):
            th.cuda.amp.autocast()
        """, """
        import torch as th
        s = th.npu.Stream()
        e = th.npu.Event(enable_timing=True)
        with th.npu.stream(s):
            th.npu.amp.autocast()
        """)


def test_uses_through_rewritten_imports_keep_their_spelling():
    # the imports codemod rebinds tc, amp and autocast; only the approximate CUDAGraph must be respelled here
    assert_codemod(TorchApiNamesCodemod, """
        import torch.cuda as tc
        from torch.cuda import amp
        from torch.cuda.amp import autocast
        tc.synchronize()
        g = tc.CUDAGraph()
        with amp.autocast(), autocast():
            pass
        """, """
        import torch.cuda as tc
        from torch.cuda import amp
        from torch.cuda.amp import autocast
        tc.synchronize()
        g = tc.NPUGraph()
        with amp.autocast(), autocast():
            pass
        """, changes=[(6, "C2C502")], findings=[(6, "C2C502")])


def test_unsupported_unknown_and_kept_names_get_findings_only():
    before = """
        import torch
        torch.cuda.nvtx.range_push("fwd")
        torch.cuda.jiterator._create_jit_fn("code")
        torch.cuda.not_a_real_api()
        torch.backends.cudnn.benchmark = True
        major, minor = torch.cuda.get_device_capability()
        """
    assert_codemod(TorchApiNamesCodemod, before, before, changes=[],
                   findings=[(3, "C2C503"), (4, "C2C503"), (5, "C2C505"), (6, "C2C504"), (7, "C2C504")])


def test_cudnn_allow_tf32_maps_to_hf32_and_is_flagged():
    assert_codemod(TorchApiNamesCodemod, """
        import torch
        import torch.backends.cudnn as cudnn
        torch.backends.cudnn.allow_tf32 = False
        cudnn.allow_tf32 = True
        torch.backends.cuda.matmul.allow_tf32 = True
        """, """
        import torch
        import torch.backends.cudnn as cudnn
        torch.npu.conv.allow_hf32 = False
        torch.npu.conv.allow_hf32 = True
        torch.npu.matmul.allow_hf32 = True
        """, findings=[(4, "C2C502"), (5, "C2C502"), (6, "C2C502")])


def test_target_that_the_root_cannot_spell_without_torch_is_kept():
    before = """
        from torch.backends import cudnn
        cudnn.allow_tf32 = True
        """
    assert_codemod(TorchApiNamesCodemod, before, before, changes=[], findings=[(3, "C2C504")])


def test_distributed_names():
    assert_codemod(TorchApiNamesCodemod, """
        import torch.distributed as dist
        if dist.is_nccl_available():
            backend = dist.Backend.NCCL
        """, """
        import torch.distributed as dist
        if dist.is_hccl_available():
            backend = dist.Backend.HCCL
        """, changes=[(3, "C2C501"), (4, "C2C501")])


def test_chains_through_calls_and_unrelated_names_are_left_alone():
    before = """
        import torch
        from mylib import cuda
        x = torch.zeros(3)
        cuda.synchronize()          # not torch's cuda
        stream = torch.npu.current_stream()
        def synchronize():
            pass
        synchronize()
        print("torch.cuda.synchronize()")
        """
    assert_codemod(TorchApiNamesCodemod, before, before, changes=[], findings=[])
    code, changes, _ = run(TorchApiNamesCodemod, """
        import torch
        torch.cuda.current_stream().synchronize()
        """)
    assert code == "\nimport torch\ntorch.npu.current_stream().synchronize()\n"
    assert [c.api for c in changes] == ["torch.cuda.current_stream"]


def test_names_without_import_are_not_resolved():
    before = "torch.cuda.synchronize()\n"
    assert_codemod(TorchApiNamesCodemod, before, before, changes=[], findings=[])


def test_suppression():
    before = """
        import torch
        torch.cuda.synchronize()  # cuda2cann: ignore
        torch.cuda.nvtx.mark("x")  # cuda2cann: ignore[C2C503]
        torch.cuda.empty_cache()  # cuda2cann: ignore[C2C506]
        """
    assert_codemod(TorchApiNamesCodemod, before, before.replace("cuda.empty_cache", "npu.empty_cache"),
                   changes=[(5, "C2C501")], findings=[])
