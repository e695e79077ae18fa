"""Width folding, defined once: full-width ASCII forms and U+3000 read as their
half-width twins, so patterns and cue words are written in one width.

The fold maps one character to one character, so offsets found in folded text
are offsets in the original: a rule matches on the fold and removes from the
original, which is never changed by folding itself.
"""

from __future__ import annotations

_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # ！ … ～ to ! … ~
_TABLE[0x3000] = 0x20  # ideographic space
_TABLE[0xFFE5] = ord("¥")


def fold(text: str) -> str:
    """``text`` with full-width ASCII forms as ASCII; same length, same offsets."""
    return text.translate(_TABLE)
