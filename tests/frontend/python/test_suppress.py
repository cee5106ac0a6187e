from textwrap import dedent

from cuda2cann.frontend.python.suppress import ALL, is_suppressed, suppressions


def test_bare_and_coded_ignores():
    table = suppressions(dedent("""\
        x.cuda()  # cuda2cann: ignore
        y.cuda()  # cuda2cann: ignore[C2C506]
        z.cuda()  # note  # cuda2cann: ignore[c2c506, C2C507]
        s = "# cuda2cann: ignore"
        """))
    assert table == {1: ALL, 2: frozenset({"C2C506"}), 3: frozenset({"C2C506", "C2C507"})}
    assert is_suppressed(table, 1, "C2C999") and is_suppressed(table, 2, "C2C506")
    assert not is_suppressed(table, 2, "C2C507") and not is_suppressed(table, 4, "C2C506")


def test_untokenizable_source_falls_back_to_text():
    assert suppressions('x = """\n# cuda2cann: ignore\n') == {2: ALL}
