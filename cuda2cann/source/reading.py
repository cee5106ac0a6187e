"""Reading one source file safely: size limit, I/O errors, binary content, UTF-8 — each a finding, never a traceback."""
from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path

from cuda2cann.findings import Finding, input_finding
from cuda2cann.source.classify import is_binary

#: default size limit of one file (tool.cuda2cann.max_file_size, --max-file-size)
DEFAULT_MAX_FILE_SIZE = 4 << 20


@dataclass(frozen=True)
class SourceText:
    """The bytes of a file and their UTF-8 text."""

    data: bytes
    text: str


def read_source(path: Path, display: str, max_bytes: int = DEFAULT_MAX_FILE_SIZE) -> SourceText | Finding | None:
    """The file's content; a finding when it cannot be analysed; None when it is binary (skipped silently)."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return input_finding(display, "C2C604", f"{size} bytes, over the limit of {max_bytes} bytes: not scanned")
        data = path.read_bytes()
    except OSError as exc:
        return os_error_finding(display, exc)
    if is_binary(data):
        return None
    try:
        return SourceText(data, data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return input_finding(display, "C2C603", f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}): not scanned",
                             line, column)


def os_error_finding(display: str, exc: OSError) -> Finding:
    """The finding for an OSError met on `display`: a loop of links, a missing target, or an unreadable file."""
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ELOOP:
        return input_finding(display, "C2C605", f"symbolic link loop ({reason}): not scanned")
    if exc.errno == errno.ENOENT:
        return input_finding(display, "C2C601", f"no such file ({reason}): a dangling symbolic link?")
    return input_finding(display, "C2C602", f"cannot read: {reason}")
