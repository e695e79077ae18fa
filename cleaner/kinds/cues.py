"""Which lines can a rule's patterns match at all? The trigger strings its rule file names.

A rule may declare ``triggers``: strings one of which every match of its
patterns holds (QQ, 页, ##…). Most documents hold none of them, so the rule
skips a document, or all but a few of its lines, after one scan instead of a
Python loop over every line. The strings are data, written in the rule file
half-width like the shared vocabulary; they are looked for in the raw text in
both widths and in their usual cases (see :func:`forms`). A test checks, on
every rule example and corpus line, that each match of a rule's patterns
holds one of its triggers; a rule without triggers searches every line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator

import ahocorasick_rs

from ..fold import UNFOLD
from ..lines import SHORTISH, Lines
from ..schema import SchemaError

TRIGGERS_DOC = (
    "Strings one of which every match of the patterns holds (written half-width; found in both widths and their"
    " usual cases): lines holding none are never searched. Without them every line is."
)
_FEW = 5  # up to this many plain strings, ``in`` checks beat any scan
_LINE_VS_CHARS = 12  # below this many characters a line, a scan of the text beats a look at each line


def forms(word: str) -> frozenset[str]:
    """A trigger as it may stand in raw text: in its usual cases (qq, QQ, Qq), in full width
    too (ＱＱ), and with an ideographic space for a space (Q　Q)."""
    cases = {word, word.lower(), word.upper(), word.capitalize()}
    out = cases | {w.translate(UNFOLD) for w in cases}
    if " " in word:
        out |= {w.replace(" ", "\u3000") for w in out}
    return frozenset(out)


def holds_trigger(text: str, words: Iterable[str]) -> bool:
    """Whether ``text`` holds one of ``words`` in one of its forms (the definition the scans follow)."""
    return any(form in text for word in words for form in forms(word))


class Triggers:
    """A pre-check for patterns searched line by line: which lines can match at all.

    Sound because every match lies inside one line's content and holds one
    of the trigger strings; lines without one are never looked at.
    """

    __slots__ = ("_automaton", "_few", "_search", "words")

    def __init__(self, words: Iterable[str]) -> None:
        self.words: frozenset[str] = frozenset(words)
        every = sorted({form for word in self.words for form in forms(word)}, key=lambda s: (-len(s), s))
        if not every:
            raise ValueError("a trigger set needs at least one string")
        # A few strings: ``in`` (C string search) rules a text out fastest. Many: one
        # regex search answers "any at all?" (it stops at the first), and one
        # Aho-Corasick pass lists every occurrence, however many strings there are.
        self._few = tuple(every) if len(every) <= _FEW else ()
        self._search = re.compile("|".join(map(re.escape, every))).search
        self._automaton = ahocorasick_rs.AhoCorasick(every)

    def anywhere(self, text: str) -> bool:
        """False only when no line of ``text`` can match."""
        if self._few:
            return any(s in text for s in self._few)
        return self._search(text) is not None

    def starts(self, text: str) -> list[int]:
        """Where trigger strings start in ``text`` (non-overlapping, in order)."""
        return [start for _, start, _ in self._automaton.find_matches_as_indexes(text)]

    def occurrences(self, text: str) -> list[int]:
        """Every position where a trigger string starts, overlapping ones included, in order."""
        found = self._automaton.find_matches_as_indexes(text, overlapping=True)
        return sorted({start for _, start, _ in found})

    def short_lines(self, lines: Lines, max_chars: int) -> list[int]:
        """Non-blank lines at most ``max_chars`` long (stripped) that hold a trigger, in order."""
        if len(lines) * _LINE_VS_CHARS > len(lines.text) or max_chars > SHORTISH:
            # Very many short lines: find the triggers first, then measure just those lines.
            contents = lines.contents
            return [k for k in self.lines(lines) if 0 < len(contents[k].strip()) <= max_chars]
        # One scan of the short lines joined (no trigger holds "\n"), not one per line.
        indices, widths, joined, starts = lines.shortish()
        if not self.anywhere(joined):
            return []
        ordinals = sorted({bisect_right(starts, a) - 1 for a in self.starts(joined)})
        return [indices[i] for i in ordinals if widths[i] <= max_chars]

    def lines(self, lines: Lines) -> Iterator[int]:
        """Indices of the lines holding a trigger, in order."""
        text = lines.text
        if not self.anywhere(text):
            return
        search, pos = self._search, 0
        while (m := search(text, pos)) is not None:
            k = lines.line_at(m.start())
            yield k
            pos = lines.ends[k]  # the next line: one search per line that holds a trigger


def trigger_set(words: Iterable[str] | None, key: str = "match.triggers") -> Triggers | None:
    """The pre-check of a rule's ``triggers`` parameter (None: not declared, every line is searched)."""
    words = tuple(words or ())
    if any("\n" in w or "\r" in w for w in words):
        raise SchemaError(key, "a trigger cannot hold a line break: every match lies inside one line")
    return Triggers(words) if words else None
