"""``drop-lines``: remove every line whose content matches a pattern.

Patterns are written as whole-line templates (``^…$``) in the rule file; a
length cap keeps report paragraphs out of reach whatever they mention.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..lines import Lines
from ..schema import Param
from .base import Finder, Kind, Marks, any_of
from .cues import TRIGGERS_DOC, trigger_set

SCHEMA = {
    "patterns": Param("patterns", "Searched in each line's content (without its terminator).", required=True),
    "max_chars": Param("int", "Lines longer than this (stripped) are never removed.", default=80, minimum=1),
    "unless": Param("patterns", "Lines matching any of these are kept.", default=()),
    "triggers": Param("literals", TRIGGERS_DOC),
}


def build(params: Mapping[str, Any]) -> Finder:
    patterns = params["patterns"]
    max_chars: int = params["max_chars"]
    matches, excepted = any_of(patterns), any_of(params["unless"])  # one search each, not one per pattern
    triggers = trigger_set(params["triggers"])  # only lines holding one are looked at

    def find(lines: Lines) -> Marks:
        marks = Marks()
        contents = lines.contents
        for k in triggers.short_lines(lines, max_chars) if triggers else lines.short(max_chars):
            content = contents[k]
            if matches(content) and not excepted(content):
                marks.lines.append(k)
        return marks

    return find


KIND = Kind("drop-lines", "Remove lines that match a whole-line template.", SCHEMA, build)
