"""A document seen as lines, with the offsets every kind and the tidy step share.

Only ``\\r\\n``, ``\\n`` and ``\\r`` end a line. ``str.splitlines`` is not used:
it also splits on U+0085, U+2028 and friends, which appear inside mojibake
and would shift every offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

_LINE_END = re.compile(r"\r\n|\r|\n")


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

    @cached_property
    def all(self) -> tuple[Line, ...]:
        text = self.text
        out: list[Line] = []
        pos = 0
        if "\r" not in text:
            # Fast path: the common case, one find per line.
            n = len(text)
            while pos < n:
                nl = text.find("\n", pos)
                if nl < 0:
                    out.append(Line(len(out), pos, n, n, text[pos:]))
                    break
                out.append(Line(len(out), pos, nl, nl + 1, text[pos:nl]))
                pos = nl + 1
            return tuple(out)
        for m in _LINE_END.finditer(text):
            out.append(Line(len(out), pos, m.start(), m.end(), text[pos : m.start()]))
            pos = m.end()
        if pos < len(text):
            out.append(Line(len(out), pos, len(text), len(text), text[pos:]))
        return tuple(out)

    def __len__(self) -> int:
        return len(self.all)

    def __getitem__(self, index: int) -> Line:
        return self.all[index]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.all)

    def line_at(self, offset: int) -> int:
        """Index of the line holding ``offset`` (the last line for the end of text)."""
        lo, hi = 0, len(self.all) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.all[mid].start <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo
