"""``strip-inline``: remove spans inside lines (markers, invisible characters).

A line left with nothing but whitespace goes whole. Optionally, a marker
alone on a line between the two halves of a split paragraph joins them again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..lines import Line, Lines
from ..schema import Param
from .base import Finder, Kind, Marks, Span, gated, union
from .cues import TRIGGERS_DOC, trigger_set

SCHEMA = {
    "patterns": Param("patterns", "Spans to remove, searched in each line's content.", required=True),
    "join_when_previous": Param(
        "pattern",
        "When a line holds only markers and the previous line matches this "
        "(a paragraph cut mid-sentence), the two halves are joined again.",
    ),
    "join_min_previous_chars": Param(
        "int", "The previous line must be at least this long to join.", default=20, minimum=0
    ),
    "join_unless_next": Param("pattern", "Never join when the next line matches this (a heading).", default=None),
    "require": Param("patterns", "A span is removed only if it also holds a match of each of these.", default=()),
    "triggers": Param("literals", TRIGGERS_DOC),
}

# What can make a match inside a line differ from one in the whole text: anchors, word
# boundaries, look-arounds, conditionals. Read from the source, conservatively: an escaped
# "^" or a class such as [^…] also counts, which only turns the whole-text search off.
_CONTEXT = re.compile(r"[\^$]|\\[bBAZ]|\(\?(?:[=!<(]|[a-zA-Z-]*m)")


def line_local(pattern: re.Pattern[str]) -> bool:
    """True when a match inside a line is also a match inside the whole text."""
    return _CONTEXT.search(pattern.pattern) is None and not pattern.flags & re.MULTILINE


def build(params: Mapping[str, Any]) -> Finder:
    patterns: tuple[re.Pattern[str], ...] = params["patterns"]
    combined = union(patterns, "match.patterns")
    triggers = trigger_set(params["triggers"])  # only lines holding one are looked at
    all_local = all(line_local(p) for p in patterns)
    join_prev: re.Pattern[str] | None = params["join_when_previous"]
    join_min: int = params["join_min_previous_chars"]
    join_unless: re.Pattern[str] | None = params["join_unless_next"]
    require: tuple[re.Pattern[str], ...] = params["require"]

    def wanted(m: re.Match[str]) -> bool:
        return m.end() > m.start() and all(r.search(m.group()) for r in require)

    def joins(lines: Lines, line: Line) -> bool:
        if join_prev is None or line.index == 0 or line.index + 1 >= len(lines):
            return False
        prev, nxt = lines[line.index - 1], lines[line.index + 1]
        if prev.is_blank or nxt.is_blank or len(prev.content.strip()) < join_min:
            return False
        if not join_prev.search(prev.content):
            return False
        return not (join_unless is not None and join_unless.search(nxt.content))

    def find(lines: Lines) -> Marks:
        marks = Marks()
        # Without triggers, a search of the whole text decides whether the lines are looked
        # at at all, but only for patterns whose line matches are also matches in the whole
        # text (no anchors or look-arounds: "$" in the whole text is its end).
        if triggers is None and all_local and not combined.search(lines.text):
            return marks
        for k in triggers.lines(lines) if triggers else range(len(lines)):
            line = lines[k]
            found = [m for m in combined.finditer(line.content) if wanted(m)]
            if not found:
                continue
            rest = "".join(line.content[a:b] for a, b in _gaps(found, len(line.content)))
            if not rest.strip():
                if joins(lines, line):
                    # Drop the previous terminator and this whole line: the halves meet.
                    marks.spans.append(Span(lines[line.index - 1].stop, line.end))
                else:
                    marks.lines.append(line.index)
                continue
            marks.spans.extend(Span(line.start + m.start(), line.start + m.end()) for m in found)
        return marks

    return gated(find, triggers)


def _gaps(found: list[re.Match[str]], size: int) -> list[tuple[int, int]]:
    """The stretches of a line between the spans found."""
    out, pos = [], 0
    for m in found:
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, size))
    return out


KIND = Kind("strip-inline", "Remove spans inside lines; a line left empty goes whole.", SCHEMA, build)
