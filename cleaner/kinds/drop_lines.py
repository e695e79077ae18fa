"""``drop-lines``: remove every line whose content matches a pattern.

Patterns are written as whole-line templates (``^…$``) in the rule file; a
length cap keeps report paragraphs out of reach whatever they mention.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..lines import Lines
from ..schema import Param
from .base import Finder, Kind, Marks, any_search

SCHEMA = {
    "patterns": Param("patterns", "Searched in each line's content (without its terminator).", required=True),
    "max_chars": Param("int", "Lines longer than this (stripped) are never removed.", default=80, minimum=1),
    "unless": Param("patterns", "Lines matching any of these are kept.", default=()),
}


def build(params: Mapping[str, Any]) -> Finder:
    patterns = params["patterns"]
    max_chars: int = params["max_chars"]
    unless = params["unless"]

    def find(lines: Lines) -> Marks:
        marks = Marks()
        for line in lines:
            content = line.content.strip()
            if not content or len(content) > max_chars:
                continue
            if any_search(patterns, line.content) and not any_search(unless, line.content):
                marks.lines.append(line.index)
        return marks

    return find


KIND = Kind("drop-lines", "Remove lines that match a whole-line template.", SCHEMA, build)
