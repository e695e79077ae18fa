"""Making invisible characters visible: what a reviewer must see, a terminal must not obey."""

from __future__ import annotations

import unicodedata

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Controls, format characters (zero-width, bidi overrides), separators, private
# use and unassigned code points: invisible, or dangerous when sent to a terminal.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"})


def is_invisible(char: str) -> bool:
    return unicodedata.category(char) in _HIDDEN_CATEGORIES


def escape_char(char: str) -> str:
    """``\\n``, ``\\x8c``, ``\\u200b`` or ``\\U000e0001``: the Python spelling, familiar and unambiguous."""
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(text: str, *, backslash: bool = False) -> str:
    """``text`` with newlines, tabs and invisible characters escaped.

    Ordinary and ideographic spaces stay as they are (they show as space).
    ``backslash=True`` doubles real backslashes so that the result can be read
    back without ambiguity (explain does; the diff view shows body text as is).
    """
    if text.isprintable() and (not backslash or "\\" not in text):
        return text  # the common case: nothing to escape
    out: list[str] = []
    for char in text:
        if char in _NAMED or is_invisible(char):
            out.append(escape_char(char))
        elif char == "\\" and backslash:
            out.append("\\\\")
        else:
            out.append(char)
    return "".join(out)
