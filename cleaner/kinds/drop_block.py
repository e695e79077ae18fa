"""``drop-block``: remove a vendor block at the head or the tail of a document.

The block is found by position and context, never by one keyword:
- it must start within ``max_lead`` non-blank lines of the edge (a title may
  stand before it and stays);
- it runs from the first cue line to the last cue line that follows with at
  most ``max_gap`` short lines in between (the vendor's name, a slogan);
- lines matching ``absorb`` (separators, weak cues) that touch the block join it;
- a line longer than ``max_chars`` or matching ``protect`` (a report title)
  is never part of a block and ends it.
If ``vendor`` is given, its named group ``name`` is collected from the whole
document (e.g. the vendor in "酷乐文行整理，咨询QQ…"), and a line consisting
of just that name counts as a cue.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..lines import Line, Lines
from ..schema import Param
from .base import Finder, Kind, Marks, any_search

SCHEMA = {
    "edge": Param("str", "Which end of the document the block sits at.", required=True, choices=("head", "tail")),
    "cues": Param("patterns", "Lines matching any of these are vendor cue lines.", required=True),
    "window": Param("int", "How many non-blank lines from the edge are looked at.", default=30, minimum=1),
    "max_lead": Param("int", "Non-blank lines allowed between the edge and the first cue line.", default=2, minimum=0),
    "max_gap": Param("int", "Non-cue lines allowed between two cue lines of one block.", default=3, minimum=0),
    "max_chars": Param("int", "A longer line (stripped) is body and ends the block.", default=80, minimum=1),
    "absorb": Param("patterns", "Lines joined to the block when they touch it.", default=()),
    "protect": Param("patterns", "Lines never part of a block (report titles).", default=()),
    "vendor": Param("pattern", "Finds vendor names (group 'name') anywhere in the document.", default=None),
}


def build(params: Mapping[str, Any]) -> Finder:
    edge: str = params["edge"]
    cues = params["cues"]
    window: int = params["window"]
    max_lead: int = params["max_lead"]
    max_gap: int = params["max_gap"]
    max_chars: int = params["max_chars"]
    absorb = params["absorb"]
    protect = params["protect"]
    vendor: re.Pattern[str] | None = params["vendor"]

    def find(lines: Lines) -> Marks:
        marks = Marks()
        ordered = [line for line in lines if not line.is_blank]
        if edge == "tail":
            ordered.reverse()
        near = ordered[:window]
        if not near:
            return marks
        names: set[str] = set()
        if vendor is not None:
            names = {m.group("name").strip() for m in vendor.finditer(lines.text)} - {""}

        def fits(line: Line) -> bool:
            text = line.content.strip()
            return len(text) <= max_chars and not any_search(protect, text)

        def is_cue(line: Line) -> bool:
            text = line.content.strip()
            return fits(line) and (text in names or any_search(cues, text))

        def absorbable(line: Line) -> bool:
            return fits(line) and any_search(absorb, line.content.strip())

        cue_at = [k for k, line in enumerate(near) if is_cue(line)]
        if not cue_at or cue_at[0] > max_lead:
            return marks
        first = last = cue_at[0]
        for k in cue_at[1:]:
            gap = near[last + 1 : k]
            if len(gap) > max_gap or not all(fits(line) for line in gap):
                break
            last = k
        while last + 1 < len(near) and absorbable(near[last + 1]):
            last += 1
        while first > 0 and absorbable(near[first - 1]):
            first -= 1
        lo, hi = sorted((near[first].index, near[last].index))
        marks.lines.extend(range(lo, hi + 1))
        return marks

    return find


KIND = Kind("drop-block", "Remove a vendor block at the head or tail, decided by position and cues.", SCHEMA, build)
