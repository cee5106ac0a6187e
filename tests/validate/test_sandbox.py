import sys

from cuda2cann.validate.sandbox import Limits, run_limited


def py(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_normal_exit():
    done = run_limited(py("print('hi')"), Limits(30))
    assert done.ok and done.stdout.strip() == "hi"


def test_segfault_is_reported_not_raised():
    done = run_limited(py("import ctypes; ctypes.string_at(0)"), Limits(30))
    assert not done.ok and "crashed with SIGSEGV" in done.describe()


def test_hang_is_killed_at_the_time_limit():
    done = run_limited(py("import time; time.sleep(60)"), Limits(timeout_s=0.5))
    assert done.timed_out and done.describe() == "timed out (killed)"


def test_memory_limit_stops_a_greedy_program():
    done = run_limited(py("x = bytearray(3 << 30); print('allocated')"), Limits(30, memory_bytes=1 << 30))
    assert not done.ok and "MemoryError" in done.stderr


def test_exit_status_and_stderr_tail_are_described():
    done = run_limited(py("import sys; sys.stderr.write('boom\\n'); sys.exit(3)"), Limits(30))
    assert done.describe() == "exited with status 3: boom"
