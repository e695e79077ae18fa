"""``pattern.finditer(text)`` over a whole document, trying only the starts its triggers allow.

A regex such as the vendor finder ``(?P<name>[^\\s…]{2,12}?)\\s*(?:整理|…)…``
starts with a class, so the engine tries it at every position of the text:
that was half the cost of cleaning. Its rule file says instead which strings
every match holds (QQ, 微信, …: ``vendor_triggers``) and how many non-space
characters at most stand before them in a match (``vendor_reach``). A match
can then only start within that many non-space characters before a trigger,
and only those positions are tried, in order, with ``pattern.match``: the
matches found are exactly those of ``finditer`` (leftmost first,
non-overlapping). A test checks both claims on every example and corpus
text. Without triggers, plain ``finditer`` runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .cues import Triggers


class Scanner:
    """Every match of ``pattern`` in a text, as ``pattern.finditer`` gives them."""

    __slots__ = ("pattern", "reach", "triggers")

    def __init__(self, pattern: re.Pattern[str], triggers: Triggers | None = None, reach: int = 0) -> None:
        self.pattern = pattern
        self.triggers = triggers
        self.reach = reach

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self.triggers is None:
            yield from self.pattern.finditer(text)
            return
        if not self.triggers.anywhere(text):
            return
        match, pos = self.pattern.match, 0
        for lo, hi in _windows(text, self.triggers.occurrences(text), self.reach):
            start = max(lo, pos)
            while start <= hi:
                m = match(text, start)
                if m is None:
                    start += 1
                    continue
                yield m
                start = pos = max(m.end(), start + 1)


def _windows(text: str, occurrences: list[int], reach: int) -> Iterator[tuple[int, int]]:
    """Merged, increasing ranges [lo, hi] of the positions where a match can start."""
    cur_lo = cur_hi = -1
    for a in occurrences:
        # Walk back over at most `reach` non-space characters (spaces are free),
        # but never into the window already found: linear in the text overall.
        lo, solid, floor = a, 0, cur_hi + 1
        while lo > floor:
            if not text[lo - 1].isspace():
                if solid == reach:
                    break
                solid += 1
            lo -= 1
        if cur_hi >= 0 and lo <= cur_hi + 1:
            cur_hi = max(cur_hi, a)
            continue
        if cur_hi >= 0:
            yield cur_lo, cur_hi
        cur_lo, cur_hi = lo, a
    if cur_hi >= 0:
        yield cur_lo, cur_hi
