"""File names as shown to people and written to reports.

A name can hold any byte but ``/`` and NUL: an escape sequence (which a
terminal would obey), a newline (which makes a listing ambiguous), bytes that
are not UTF-8 (which Python keeps as lone surrogates, and which no UTF-8
writer accepts). Shown names escape all of these; the bytes on disk are
never changed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

# C0 and C1 controls, DEL, and the lone surrogates that stand for undecodable bytes.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(path: Path | str) -> str:
    """``path`` safe for a terminal, a log line or a UTF-8 report: control characters and bad bytes escaped."""
    text = os.fspath(path)
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_escape, text)
