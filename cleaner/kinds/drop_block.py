"""``drop-block``: remove a vendor block at the head or the tail of a document.

The block is found by position and context, never by one keyword:
- it must start within ``max_lead`` non-blank lines of the edge (a title may
  stand before it and stays, but not body that ``keep_between`` knows: a
  numbered heading or a sentence before it means the report has begun);
- it runs from the first cue line to the last cue line that follows with at
  most ``max_gap`` short lines in between (the vendor's name, a slogan), none
  of which may match ``keep_between`` (a sentence, a numbered heading: body
  that stands between two junk lines, such as a short last section between
  two page footers);
- lines matching ``absorb`` (separators, weak cues) that touch the block join
  it, unless they match ``keep_between``;
- a line longer than ``max_chars`` or matching ``protect`` (a report title)
  is never part of a block and ends it.
If ``vendor`` is given, its named group ``name`` is collected from the whole
document (e.g. the vendor in "酷乐文行整理，咨询QQ…"), and a line consisting
of just that name counts as a cue.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import islice
from typing import Any

from ..lines import Lines
from ..schema import Param
from .base import Finder, Kind, Marks, any_of
from .cues import trigger_set
from .scan import Scanner

SCHEMA = {
    "edge": Param("str", "Which end of the document the block sits at.", required=True, choices=("head", "tail")),
    "cues": Param("patterns", "Lines matching any of these are vendor cue lines.", required=True),
    "window": Param("int", "How many non-blank lines from the edge are looked at.", default=30, minimum=1),
    "max_lead": Param("int", "Non-blank lines allowed between the edge and the first cue line.", default=2, minimum=0),
    "max_gap": Param("int", "Non-cue lines allowed between two cue lines of one block.", default=3, minimum=0),
    "max_chars": Param("int", "A longer line (stripped) is body and ends the block.", default=80, minimum=1),
    "absorb": Param("patterns", "Lines joined to the block when they touch it.", default=()),
    "protect": Param("patterns", "Lines never part of a block (report titles).", default=()),
    "keep_between": Param(
        "patterns",
        "Lines that end a block when they stand between its cue lines (body sentences, headings).",
        default=(),
    ),
    "vendor": Param("pattern", "Finds vendor names (group 'name') anywhere in the document.", default=None),
    "vendor_triggers": Param(
        "literals",
        "Strings one of which every vendor match holds (as for triggers): only the text before them is tried.",
    ),
    "vendor_reach": Param(
        "int",
        "At most this many non-space characters of a vendor match stand before its trigger.",
        default=0,
        minimum=0,
    ),
}


def build(params: Mapping[str, Any]) -> Finder:
    edge: str = params["edge"]
    window: int = params["window"]
    max_lead: int = params["max_lead"]
    max_gap: int = params["max_gap"]
    max_chars: int = params["max_chars"]
    is_cue_text = any_of(params["cues"])
    is_absorbed = any_of(params["absorb"])
    is_protected = any_of(params["protect"])
    is_kept_between = any_of(params["keep_between"])
    vendor_triggers = trigger_set(params["vendor_triggers"], "match.vendor_triggers")
    vendor = (
        Scanner(params["vendor"], vendor_triggers, params["vendor_reach"]) if params["vendor"] is not None else None
    )

    def find(lines: Lines) -> Marks:
        marks = Marks()
        claimed = lines.claimed
        contents = lines.contents
        order = range(len(contents)) if edge == "head" else range(len(contents) - 1, -1, -1)
        # The non-blank lines from the edge, (index, stripped content), read as far as needed.
        pending = islice(((k, text) for k in order if (text := contents[k].strip())), window)
        near = list(islice(pending, max_lead + 1))
        names: set[str] | None = None
        fit: dict[int, bool] = {}
        cue: dict[int, bool] = {}

        def vendor_names() -> set[str]:
            nonlocal names
            if names is None:
                found = vendor.finditer(lines.text) if vendor is not None else ()
                names = {m.group("name").strip() for m in found} - {""}
            return names

        def fits(i: int) -> bool:
            if i not in fit:
                text = near[i][1]
                fit[i] = len(text) <= max_chars and not is_protected(text)
            return fit[i]

        def is_cue(i: int) -> bool:
            if i not in cue:
                text = near[i][1]
                # A line another rule removes is junk too; the vendor names (a scan
                # of the whole text) only when the patterns say no.
                cue[i] = near[i][0] in claimed or (fits(i) and (is_cue_text(text) or text in vendor_names()))
            return cue[i]

        def bridgeable(i: int) -> bool:
            # A line between two cue lines goes with them only if it could be the vendor's.
            return fits(i) and not is_kept_between(near[i][1])

        def absorbable(i: int) -> bool:
            return bridgeable(i) and is_absorbed(near[i][1])

        # The block starts within max_lead lines of the edge (most documents stop here).
        first = next((i for i in range(len(near)) if is_cue(i)), None)
        if first is None:
            return marks
        if any((i and is_protected(near[i][1])) or is_cue_text(near[i][1]) for i in range(first)):
            # The report has begun before it (a title, then 一、基本情况), or the title before it
            # says the cue (关于打击倒卖活动的工作报告): the cue is the report's own matter.
            return marks
        near += pending  # up to `window` lines
        last = first
        for i in range(first + 1, len(near)):
            if i - last - 1 > max_gap:
                break  # any later cue lies too far from the block
            if is_cue(i):
                if not all(bridgeable(j) for j in range(last + 1, i)):
                    break
                last = i
        while last + 1 < len(near) and absorbable(last + 1):
            last += 1
        while first > 0 and absorbable(first - 1):
            first -= 1
        lo, hi = sorted((near[first][0], near[last][0]))
        marks.lines.extend(range(lo, hi + 1))
        return marks

    return find


KIND = Kind(
    "drop-block",
    "Remove a vendor block at the head or tail, decided by position and cues.",
    SCHEMA,
    build,
    sees_claimed=True,
)
