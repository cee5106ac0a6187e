import pytest

from cuda2cann.source.edits import Edit, apply_edits


def test_edits_apply_in_order_and_keep_the_rest():
    src = b"int a = 1; // keep\nint b = 2;\n"
    start = src.index(b"keep")
    out = apply_edits(src, [Edit(start, start + 4, b"kept"), Edit(4, 5, b"alpha")])
    assert out == b"int alpha = 1; // kept\nint b = 2;\n"


def test_overlapping_edits_are_rejected():
    with pytest.raises(ValueError, match="overlapping"):
        apply_edits(b"abcdef", [Edit(0, 3, b"x"), Edit(2, 4, b"y")])


def test_edit_beyond_end_is_rejected():
    with pytest.raises(ValueError, match="beyond the end"):
        apply_edits(b"abc", [Edit(2, 9, b"x")])


def test_no_edits_is_identity():
    assert apply_edits(b"same", []) == b"same"
