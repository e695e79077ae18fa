"""A document seen as lines, with the offsets every kind and the tidy step share.

Only ``\\r\\n``, ``\\n`` and ``\\r`` end a line. ``str.splitlines`` is not used:
it also splits on U+0085, U+2028 and friends, which appear inside mojibake
and would shift every offset.

Offsets are computed once with ``str.split`` (in C); :class:`Line` objects
are made only for the lines a rule actually looks at, because most rules
look at a handful of lines and a document may have a million.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, compress
from operator import add

_LINE_END = re.compile(r"(\r\n|\r|\n)")
SHORTISH = 128  # lines up to this long (stripped) are indexed for the rules that look at short lines
_SHORT_WIDTHS = range(1, SHORTISH + 1)


@dataclass(frozen=True, slots=True)
class Line:
    index: int
    start: int  # offset of the first character
    stop: int  # offset just past the content (the terminator starts here)
    end: int  # offset just past the terminator
    content: str

    @property
    def is_blank(self) -> bool:
        return not self.content.strip()

    @property
    def terminated(self) -> bool:
        return self.end > self.stop


class Lines:
    """The lines of ``text``; a final terminator does not start an extra empty line."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Lines other rules of the same pass have marked for removal (see Kind.sees_claimed).
        self.claimed: frozenset[int] = frozenset()
        self._contents: list[str] | None = None
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._made: list[Line | None] = []
        self._shortish_cache: tuple[list[int], list[int], str, list[int]] | None = None
        self._short: dict[int, list[int]] = {}

    def _split(self) -> list[str]:
        # Offsets from the contents' lengths, in C: no Python loop per line.
        text = self.text
        if "\r" not in text:
            contents = text.split("\n")
            # Every line but the last ends with one "\n".
            ends = list(map(add, accumulate(map(len, contents)), range(1, len(contents) + 1)))
            ends[-1] = len(text)
        else:
            parts = _LINE_END.split(text)  # content, terminator, content, …, content
            ends = [*list(accumulate(map(len, parts)))[1::2], len(text)]
            contents = parts[0::2]
        if contents[-1] == "":
            contents.pop()  # a final terminator does not start a line
            ends.pop()
        self._starts = [0, *ends[:-1]] if contents else []
        self._ends = ends
        self._made = [None] * len(contents)
        self._contents = contents
        return contents

    @property
    def contents(self) -> list[str]:
        """Each line's content, without its terminator."""
        return self._contents if self._contents is not None else self._split()

    @property
    def starts(self) -> list[int]:
        """Offset of each line's first character."""
        if self._contents is None:
            self._split()
        return self._starts

    @property
    def ends(self) -> list[int]:
        """Offset just past each line's terminator."""
        if self._contents is None:
            self._split()
        return self._ends

    def __len__(self) -> int:
        return len(self.contents)

    def __getitem__(self, index: int) -> Line:
        contents = self.contents
        if index < 0:
            index += len(contents)
        line = self._made[index]  # IndexError past the end, as for a tuple
        if line is None:
            content, start = contents[index], self._starts[index]
            line = self._made[index] = Line(index, start, start + len(content), self._ends[index], content)
        return line

    def __iter__(self) -> Iterator[Line]:
        return (self[k] for k in range(len(self)))

    @property
    def all(self) -> tuple[Line, ...]:
        return tuple(self)

    def short(self, max_chars: int) -> list[int]:
        """Indices of the non-blank lines at most ``max_chars`` long once stripped."""
        found = self._short.get(max_chars)
        if found is None:
            if max_chars <= SHORTISH:
                found = [k for k, w in zip(*self.shortish()[:2]) if w <= max_chars]
            else:
                found = [k for k, c in enumerate(self.contents) if 0 < len(c.strip()) <= max_chars]
            self._short[max_chars] = found
        return found

    def shortish(self) -> tuple[list[int], list[int], str, list[int]]:
        """The non-blank lines up to SHORTISH long (stripped), for the rules that look at short lines.

        Their indices and stripped widths; their contents joined with "\\n"; and
        where each starts in the joined text (plus its end): computed once per
        document, so that each rule scans one string instead of calling a
        regex per line.
        """
        if self._shortish_cache is None:
            contents = self.contents
            widths = list(map(len, map(str.strip, contents)))  # in C, like the rest
            indices = list(compress(range(len(widths)), map(_SHORT_WIDTHS.__contains__, widths)))
            picked = [contents[k] for k in indices]
            starts = list(map(add, accumulate(map(len, picked), initial=0), range(len(picked) + 1)))
            self._shortish_cache = (indices, [widths[k] for k in indices], "\n".join(picked), starts)
        return self._shortish_cache

    def line_at(self, offset: int) -> int:
        """Index of the line holding ``offset`` (the last line for the end of text)."""
        return max(bisect_right(self.starts, offset) - 1, 0)
