"""CppExtensionCodemod: CUDA extension builds are findings; the code stays."""
from cuda2cann.frontend.python.cpp_extension import CppExtensionCodemod

from .helpers import assert_codemod


def test_cuda_builds_are_reported():
    before = """
        from setuptools import setup
        from torch.utils.cpp_extension import BuildExtension, CUDAExtension, CUDA_HOME
        import torch.utils.cpp_extension as ext
        setup(name="k", ext_modules=[CUDAExtension("k", ["k.cpp", "k_kernel.cu"])], cmdclass={"build_ext": BuildExtension})
        m = ext.load_inline("m", cpp_sources=[cpp], cuda_sources=[cu], functions=["f"])
        n = ext.load("n", ["a.cpp", "b.cu"])
        o = ext.load(name="o", sources=["a.cpp"])
        p = ext.load_inline("p", cpp_sources=[cpp])
        if CUDA_HOME is None:
            pass
        """
    assert_codemod(CppExtensionCodemod, before, before, findings=[(5, "C2C509"), (6, "C2C509"), (7, "C2C509"), (10, "C2C509")])


def test_message_points_to_translate_and_npu_extension():
    from .helpers import run
    _, _, findings = run(CppExtensionCodemod, "from torch.utils.cpp_extension import CUDAExtension\nCUDAExtension('k', ['k.cu'])\n")
    assert "cuda2cann translate" in findings[0].message and "NpuExtension" in findings[0].message
    assert findings[0].status == "unsupported"


def test_suppression():
    before = "from torch.utils.cpp_extension import CUDAExtension\nCUDAExtension('k', ['k.cu'])  # cuda2cann: ignore\n"
    assert_codemod(CppExtensionCodemod, before, before, findings=[])
