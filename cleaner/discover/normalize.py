"""Lines normalised for matching only; the text that is written back is never touched.

Two lines count as "the same line" when they differ only in digits, in
full-width/half-width forms or in whitespace, so that a contact line whose
number changes per document, or a footer typed with a full-width colon in
some files, is counted as one candidate.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Longer lines are never counted: rules never remove them either (drop-lines
# and drop-block stop at max_chars 80), and long lines are most of a corpus's
# distinct lines, so skipping them keeps the counts small.
MAX_LINE_CHARS = 80
# Normalising (NFKC) is the costly step, so a line this long as written is
# not even normalised: it cannot fold down to MAX_LINE_CHARS but for long
# runs of whitespace, digits or one symbol, and such lines are not counted.
MAX_RAW_CHARS = 120

# Zero-width characters are removed by the bundled repair rule before any
# removal rule runs, so they must not split one line into several keys.
INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff]")
_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"[0-9]+")  # after NFKC, full-width ０-９ are ASCII digits too
# Hand-typed separators differ in length ("=====" / "========"): a run of three
# or more of one symbol counts as three.
_SYMBOL_RUN = re.compile(r"([^\w\s])\1{2,}")
_LINE_END = re.compile(r"\r\n|\r|\n")  # the engine's line terminators (not str.splitlines)


def split_lines(text: str) -> list[str]:
    """Line contents without terminators, split exactly as the engine splits them."""
    lines = _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()  # a final terminator does not start an extra empty line
    return lines


def visible(line: str) -> str:
    """The line without zero-width characters (what removal rules will see)."""
    return INVISIBLE.sub("", line)


def normalize(line: str) -> str:
    """Fold width (NFKC), collapse whitespace, fold every digit run to ``0`` and symbol runs to three.

    >>> normalize("　星河文库  客服：８１２３４５６７ ")
    '星河文库 客服:0'
    >>> normalize("=========")
    '==='
    """
    text = unicodedata.normalize("NFKC", visible(line))
    text = _SPACE.sub(" ", text).strip()
    return _SYMBOL_RUN.sub(r"\1\1\1", _DIGITS.sub("0", text))


def line_key(normalized: str) -> int:
    """An 8-byte blake2b digest as an int: the counts never hold the line text itself."""
    digest = hashlib.blake2b(normalized.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def countable(normalized: str) -> bool:
    """Only short, non-empty lines can become candidates."""
    return 0 < len(normalized) <= MAX_LINE_CHARS


def countable_form(line: str) -> str | None:
    """The normalised line when it can become a candidate, else None (cheaply for long lines)."""
    if len(line) > MAX_RAW_CHARS and len(line.strip()) > MAX_RAW_CHARS:
        return None
    normalized = normalize(line)
    return normalized if countable(normalized) else None
