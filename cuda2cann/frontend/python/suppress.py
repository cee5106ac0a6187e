"""`# cuda2cann: ignore` and `# cuda2cann: ignore[C2C506, C2C507]` comments: which codes each line suppresses."""
from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Mapping

_IGNORE = re.compile(r"#\s*cuda2cann:\s*ignore\b(?:\[([^\]]*)\])?", re.IGNORECASE)
ALL = None  # a bare `ignore`: every code on the line


def suppressions(source: str) -> dict[int, frozenset[str] | None]:
    """Line (1-based) → the codes its comment suppresses, or ALL. Only real comments count, never strings."""
    out: dict[int, frozenset[str] | None] = {}
    for line, comment in _comments(source):
        for m in _IGNORE.finditer(comment):
            codes = frozenset(c.strip().upper() for c in (m.group(1) or "").split(",") if c.strip())
            if not codes or out.get(line, frozenset()) is ALL:
                out[line] = ALL
            else:
                out[line] = out.get(line, frozenset()) | codes
    return out


def is_suppressed(table: Mapping[int, frozenset[str] | None], line: int, code: str) -> bool:
    if line not in table:
        return False
    codes = table[line]
    return codes is ALL or code in codes


def _comments(source: str) -> list[tuple[int, str]]:
    try:
        return [(t.start[0], t.string) for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError):  # syntax newer than this interpreter's tokenizer: fall back to the text
        return [(i, line[line.index("#"):]) for i, line in enumerate(source.splitlines(), 1) if "#" in line]
