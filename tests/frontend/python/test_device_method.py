"""DeviceMethodCodemod: .cuda() → .npu(), .is_cuda → .is_npu."""
from cuda2cann.frontend.python.device_method import DeviceMethodCodemod

from .helpers import assert_codemod


def test_cuda_calls_with_their_arguments():
    assert_codemod(DeviceMethodCodemod, """
        model = Net().cuda()
        x = x.cuda(0)
        y = y.cuda(device=local_rank, non_blocking=True)
        z = torch.Tensor.cuda(z)
        if x.is_cuda:
            pass
        """, """
        model = Net().npu()
        x = x.npu(0)
        y = y.npu(device=local_rank, non_blocking=True)
        z = torch.Tensor.npu(z)
        if x.is_npu:
            pass
        """, changes=[(2, "C2C506"), (3, "C2C506"), (4, "C2C506"), (5, "C2C506"), (6, "C2C506")])


def test_no_change_without_a_cuda_call():
    before = """
        import torch
        x = torch.cuda
        f = tensor.cuda           # a reference, not a call
        cuda(1)
        print("x.cuda()")
        """
    assert_codemod(DeviceMethodCodemod, before, before, changes=[])


def test_suppression():
    before = "x = x.cuda()  # cuda2cann: ignore[C2C506]\ny = y.cuda()  # cuda2cann: ignore[C2C507]\n"
    after = "x = x.cuda()  # cuda2cann: ignore[C2C506]\ny = y.npu()  # cuda2cann: ignore[C2C507]\n"
    assert_codemod(DeviceMethodCodemod, before, after, changes=[(2, "C2C506")])
