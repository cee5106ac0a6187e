"""cuda2cann: a CUDA-to-CANN operator translation compiler with a numerical-equivalence harness."""

__version__ = "0.1.0"
