"""The shape of a raw line: its literal text, whitespace runs and digit runs.

Lines that share a normalised key can still differ in their digits (a QQ
number per document) and in the width of some characters. A shape keeps the
literal text and marks where whitespace and digits stand; the digit values
are summarised per run (:class:`RunStats`) so that a pattern can tell a
number that varies across documents from one that is part of the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .normalize import visible

DIGITS = "\x00d"  # marks a digit run in a shape
SPACE = "\x00s"  # marks a whitespace run in a shape
SYMBOLS = "\x00r"  # prefixes a run of three or more of one symbol (a separator): "\x00r="
DIGIT_CLASS = "[0-9０-９]"

Shape = tuple[str, ...]
_TOKEN = re.compile(r"([0-9０-９]+)|(\s+)|(([^\w\s])\4{2,})|((?:(?!([^\w\s])\6\6)[^0-9０-９\s])+)")


@dataclass(frozen=True, slots=True)
class RunStats:
    """What one digit run looked like across the lines of a shape."""

    min_len: int
    max_len: int
    min_value: str  # width-folded, compared as strings
    max_value: str
    min_raw: str  # as written
    max_raw: str

    @classmethod
    def of(cls, raw: str) -> RunStats:
        value = unicodedata.normalize("NFKC", raw)
        return cls(len(raw), len(raw), value, value, raw, raw)

    def merge(self, other: RunStats) -> RunStats:
        return RunStats(
            min(self.min_len, other.min_len),
            max(self.max_len, other.max_len),
            min(self.min_value, other.min_value),
            max(self.max_value, other.max_value),
            min(self.min_raw, other.min_raw),
            max(self.max_raw, other.max_raw),
        )

    @property
    def varies(self) -> bool:
        return self.min_value != self.max_value


@dataclass(frozen=True, slots=True)
class ShapeStats:
    count: int
    runs: tuple[RunStats, ...]

    def merge(self, other: ShapeStats) -> ShapeStats:
        return ShapeStats(
            self.count + other.count, tuple(a.merge(b) for a, b in zip(self.runs, other.runs, strict=True))
        )


def shape_of(raw: str) -> tuple[Shape, ShapeStats]:
    """Split a raw line (zero-width characters and edge whitespace dropped) into shape and digit runs."""
    parts: list[str] = []
    runs: list[RunStats] = []
    for m in _TOKEN.finditer(visible(raw).strip()):
        digits, space, symbols, symbol, text, _ = m.groups()
        if digits is not None:
            parts.append(DIGITS)
            runs.append(RunStats.of(digits))
        elif space is not None:
            parts.append(SPACE)
        elif symbols is not None:
            parts.append(SYMBOLS + symbol)
        else:
            parts.append(text)
    return tuple(parts), ShapeStats(1, tuple(runs))
