"""Device functions with C++ reference parameters: writes through them reach the caller's variable (they were lost
before, which would have translated `twice(v)` as a no-op)."""
from __future__ import annotations

from tests.frontend.helpers import lift_text
from tests.frontend.helpers import store_of as store


def test_a_write_through_a_reference_parameter_reaches_the_caller(tmp_path):
    k = lift_text(tmp_path, """
        __device__ void scale_and_shift(float& v, const float& s) { v = v * s + 1.0f; }
        __global__ void k(const float* x, float* y, float s, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) { float v = x[i]; scale_and_shift(v, s); y[i] = v; }
        }""")
    assert store(k) == "y[i0] = add(mul(x[i0], %s), 1.0)"


def test_a_reference_bound_to_an_expression_is_refused(tmp_path):
    k = lift_text(tmp_path, """
        __device__ void bump(float& v) { v += 1.0f; }
        __global__ void k(float* y, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) bump(y[i]);
        }""")
    assert k.lifted is None and k.code == "C2C103" and "bound to 'y[i]'" in k.message, k.message


def test_a_reference_write_with_an_early_return_is_refused(tmp_path):
    k = lift_text(tmp_path, """
        __device__ void clamp_low(float& v) { if (v > 0.0f) return; v = 0.0f; }
        __global__ void k(const float* x, float* y, int n) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < n) { float v = x[i]; clamp_low(v); y[i] = v; }
        }""")
    assert k.lifted is None and "returns early" in k.message, k.message
