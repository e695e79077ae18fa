"""``drop-repeated-lines``: remove a cue-bearing short line that recurs in a document.

Repetition alone never condemns a line (reports repeat headings); the line
must also carry a vendor cue such as a contact handle.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..lines import Lines
from ..schema import Param
from .base import Finder, Kind, Marks, any_of
from .cues import TRIGGERS_DOC, trigger_set

SCHEMA = {
    "cues": Param("patterns", "A line is a candidate only if it matches one of these.", required=True),
    "min_count": Param("int", "How many copies make a line repeated.", default=2, minimum=2),
    "max_chars": Param("int", "Longer lines (stripped) are never candidates.", default=60, minimum=1),
    "fold": Param("pattern", "Characters ignored when comparing copies.", default=r"\s+"),
    "triggers": Param("literals", TRIGGERS_DOC),
}


def build(params: Mapping[str, Any]) -> Finder:
    cues = params["cues"]
    min_count: int = params["min_count"]
    max_chars: int = params["max_chars"]
    fold = params["fold"]
    is_cue = any_of(cues)
    triggers = trigger_set(params["triggers"])  # lines without one are never candidates

    def find(lines: Lines) -> Marks:
        groups: dict[str, list[int]] = {}
        contents = lines.contents
        for k in triggers.short_lines(lines, max_chars) if triggers else lines.short(max_chars):
            content = contents[k].strip()
            if not is_cue(content):
                continue
            groups.setdefault(fold.sub("", content), []).append(k)
        marks = Marks()
        for indices in groups.values():
            if len(indices) >= min_count:
                marks.lines.extend(indices)
        marks.lines.sort()
        return marks

    return find


KIND = Kind("drop-repeated-lines", "Remove short cue-bearing lines that repeat in a document.", SCHEMA, build)
