"""Which lines can a rule's patterns match at all? Cue strings, scanned in C.

Most documents hold none of the strings a rule's patterns need (QQ, 页,
##…), so a rule can skip a document, or all but a few of its lines, after
one scan instead of a Python loop over every line (see ``literals`` for how
the strings are read out of the patterns).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator

from ..lines import SHORTISH, Lines
from .base import Warm
from .literals import Requirement, alternation, cue_strings

_FEW = 5  # up to this many plain strings, ``in`` checks beat a regex scan
_LINE_VS_CHARS = 12  # below this many characters a line, a scan of the text beats a look at each line


class Cues:
    """The cue strings of some patterns, worked out once a run proves long (see ``Warm``)."""

    __slots__ = ("_plan",)

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        patterns = tuple(patterns)
        self._plan: Warm[Plan] = Warm(lambda: Plan(patterns))

    def plan(self, lines: Lines) -> Plan | None:
        """The pre-check, or None while warming up (then every line is a candidate)."""
        return self._plan.get(len(lines.text))

    def strings(self) -> Requirement | None:
        """Strings one of which every match contains (None: no pre-check), worked out now."""
        return self._plan.force().strings


class Plan:
    """A pre-check for patterns searched line by line: which lines can match at all.

    Sound because every match lies inside one line's content and contains one
    of the cue strings; lines without a cue are never looked at.
    """

    __slots__ = ("_few", "_scans", "strings", "usable")

    def __init__(self, patterns: tuple[re.Pattern[str], ...]) -> None:
        strings = cue_strings(patterns) or frozenset()
        self.usable = bool(strings) and not any("\n" in text or "\r" in text for text, _ in strings)
        self.strings: Requirement | None = strings if self.usable else None
        plain = [lit for lit in strings if not lit[1]]
        folded = [lit for lit in strings if lit[1]]
        # Case-insensitive strings get a regex of their own: in one alternation with the
        # others they would stop the engine from skipping ahead to likely first characters.
        self._scans = tuple(alternation(group) for group in (plain, folded) if group) if self.usable else ()
        # A few plain strings: ``in`` (C string search) rules a text out faster than a regex.
        few = self.usable and not folded and len(plain) <= _FEW
        self._few = tuple(text for text, _ in plain) if few else ()

    def anywhere(self, text: str) -> bool:
        """False only when no line of ``text`` can match."""
        if not self.usable:
            return True
        if self._few:
            return any(s in text for s in self._few)
        return any(scan.search(text) is not None for scan in self._scans)

    def short_lines(self, lines: Lines, max_chars: int) -> list[int]:
        """Non-blank lines at most ``max_chars`` long (stripped) that hold a cue, in order."""
        if not self.usable:
            return lines.short(max_chars)
        if len(lines) * _LINE_VS_CHARS > len(lines.text) or max_chars > SHORTISH:
            # Very many short lines: find the cues first, then measure just those lines.
            contents = lines.contents
            return [k for k in self.lines(lines) if 0 < len(contents[k].strip()) <= max_chars]
        # One scan of the short lines joined (no cue string holds "\n"), not one per line.
        indices, widths, joined, starts = lines.shortish()
        if self._few and not any(s in joined for s in self._few):
            return []
        ordinals = {bisect_right(starts, m.start()) - 1 for scan in self._scans for m in scan.finditer(joined)}
        return [indices[i] for i in sorted(ordinals) if widths[i] <= max_chars]

    def lines(self, lines: Lines) -> Iterator[int]:
        """Indices of the lines holding a cue, in order (every line without a pre-check)."""
        if not self.usable:
            yield from range(len(lines))
            return
        if not self.anywhere(lines.text):
            return
        if len(self._scans) == 1:
            yield from _lines_holding(self._scans[0], lines)
        else:
            yield from sorted({k for scan in self._scans for k in _lines_holding(scan, lines)})


def _lines_holding(scan: re.Pattern[str], lines: Lines) -> Iterator[int]:
    search, text, pos = scan.search, lines.text, 0
    while (m := search(text, pos)) is not None:
        k = lines.line_at(m.start())
        yield k
        pos = lines.ends[k]  # the next line: one search per line that holds a cue
