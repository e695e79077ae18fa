"""``pattern.finditer(text)`` over a whole document, trying only the starts an anchor allows.

A regex such as the vendor finder ``(?P<name>[^\\s…]{2,12}?)\\s*(?:整理|…)…``
starts with a class, so the engine tries it at every position of the text:
that was half the cost of cleaning. Here the pattern's parse tree names an
*anchor*: an item every match passes through that begins with one of a few
strings (整理, QQ, …), with only bounded-width items and whitespace runs
before it. A match can then only start within that many non-space characters
before an anchor string, and only those positions are tried, in order, with
``pattern.match``: the matches found are exactly those of ``finditer``
(leftmost first, non-overlapping). Without a usable anchor, plain
``finditer`` runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .base import Warm
from .literals import Lit, alternation, char_class, cost

try:  # the regex parser: a private module, so any surprise just means plain finditer
    import re._parser as _sre  # type: ignore[import-not-found]  # private, no stubs (removed by issue 16 item 1)
except ImportError:  # pragma: no cover
    _sre = None


@dataclass(frozen=True, slots=True)
class _Anchor:
    strings: re.Pattern[str]  # finds the strings the anchor item begins with
    longest: int  # length of the longest of them
    max_solid: int  # at most this many non-space characters before the anchor
    min_width: int  # at least this many characters before it


class Scanner:
    """Every match of ``pattern`` in a text, as ``pattern.finditer`` gives them."""

    __slots__ = ("_anchor", "pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self._anchor: Warm[_Anchor | None] = Warm(lambda: _safe_anchor(pattern))

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        anchor = self._anchor.get(len(text))
        if anchor is None:
            yield from self.pattern.finditer(text)
            return
        match, pos = self.pattern.match, 0
        for lo, hi in _windows(text, anchor):
            start = max(lo, pos)
            while start <= hi:
                m = match(text, start)
                if m is None:
                    start += 1
                    continue
                yield m
                start = pos = m.end()  # never empty: it holds an anchor string


def _windows(text: str, anchor: _Anchor) -> Iterator[tuple[int, int]]:
    """Merged, increasing ranges [lo, hi] of the positions where a match can start."""
    cur_lo = cur_hi = -1
    for a in _occurrences(text, anchor):
        hi = a - anchor.min_width
        if hi < 0:
            continue
        # Walk back over at most max_solid non-space characters (spaces are free),
        # but never into the window already found: linear in the text overall.
        lo, solid, floor = a, 0, cur_hi + 1
        while lo > floor:
            if not text[lo - 1].isspace():
                if solid == anchor.max_solid:
                    break
                solid += 1
            lo -= 1
        if lo > hi:
            continue
        if cur_hi >= 0 and lo <= cur_hi + 1:
            cur_hi = max(cur_hi, hi)
            continue
        if cur_hi >= 0:
            yield cur_lo, cur_hi
        cur_lo, cur_hi = lo, hi
    if cur_hi >= 0:
        yield cur_lo, cur_hi


def _occurrences(text: str, anchor: _Anchor) -> Iterator[int]:
    """Every position where an anchor string starts, overlapping ones included, in order."""
    strings = anchor.strings
    for m in strings.finditer(text):
        start, end = m.span()
        yield start
        # finditer skips strings starting inside this one: try those positions too.
        for inner in range(start + 1, min(end, start + anchor.longest)):
            if strings.match(text, inner):
                yield inner


def _safe_anchor(pattern: re.Pattern[str]) -> _Anchor | None:
    try:
        return _find_anchor(pattern)
    except Exception:
        return None


def _find_anchor(pattern: re.Pattern[str]) -> _Anchor | None:
    if _sre is None:
        return None
    parsed = _sre.parse(pattern.pattern, pattern.flags)
    if (pattern.flags | parsed.state.flags) & re.IGNORECASE:
        return None
    best: tuple[float, _Anchor] | None = None
    max_solid = min_width = 0
    items = list(parsed)
    for i, (op, av) in enumerate(items):
        leading = _leading_of(items[i:])  # a run of literals, or this item's first strings
        if leading:
            longest = max(len(text) for text, _ in leading)
            anchor = _Anchor(alternation(leading), longest, max_solid, min_width)
            score = cost(leading) * (1 + max_solid / 8)  # rare strings, short walk-backs
            if best is None or score < best[0]:
                best = (score, anchor)
        low, high = _sre.SubPattern(parsed.state, [(op, av)]).getwidth()
        min_width += low
        if not _spaces_only(op, av):
            if high >= _sre.MAXREPEAT:
                break  # an unbounded item: nothing after it can anchor
            max_solid += high
    return best[1] if best else None


def _leading(op: Any, av: Any) -> frozenset[Lit] | None:
    """Strings one of which the item's match begins with, or None."""
    if op is _sre.LITERAL:
        return frozenset({(chr(av), False)})
    if op is _sre.IN:
        return char_class(av, False)
    if op is _sre.BRANCH:
        out: set[Lit] = set()
        for branch in av[1]:
            first = _leading_of(list(branch))
            if not first:
                return None
            out |= first
        return frozenset(out)
    if op is _sre.SUBPATTERN:
        _, add_flags, _, body = av
        return None if add_flags & re.IGNORECASE else _leading_of(list(body))
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _leading_of(list(av[2]))
    return None


def _leading_of(items: list[tuple[Any, Any]]) -> frozenset[Lit] | None:
    """The leading strings of a sequence: its run of literals, or its first item's."""
    run = ""
    for op, av in items:
        if op is not _sre.LITERAL:
            break
        run += chr(av)
    if run:
        return frozenset({(run, False)})
    return _leading(*items[0]) if items else None


def _spaces_only(op: Any, av: Any) -> bool:
    """The item matches nothing but whitespace (``\\s*``, ``[ \\t]+``): free in the walk-back."""
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        body = list(av[2])
        return len(body) == 1 and _spaces_only(*body[0])
    if op is _sre.IN:
        return all(
            (kind is _sre.CATEGORY and value is _sre.CATEGORY_SPACE) or (kind is _sre.LITERAL and chr(value).isspace())
            for kind, value in av
        )
    return op is _sre.LITERAL and chr(av).isspace()
