"""Whole-line regular expressions for candidate lines, built from their shapes.

Literal text is ``re.escape``'d, whitespace runs become ``\\s*``, and digit
runs become ``[0-9０-９]{m,n}`` when their value varies across documents (a
QQ number, a page number) or stay literal when it does not (a year in a
slogan); a separator run of one symbol becomes ``={3,}``. A key seen with several shapes (full-width in some files) gets one
alternative per shape, the most frequent first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .shape import DIGIT_CLASS, DIGITS, SPACE, SYMBOLS, Shape, ShapeStats

# A varying number is allowed this many digits fewer or more than seen, so
# that the next document's number (a longer QQ number, page 100) still matches.
DIGIT_SLACK = 2
MAX_SHAPES = 3  # rarer spellings of a line are left to the user


def shape_regex(shape: Shape, stats: ShapeStats) -> str:
    """The body of a pattern for one shape (without anchors)."""
    out: list[str] = []
    runs = iter(stats.runs)
    for part in shape:
        if part == SPACE:
            out.append(r"\s*")
        elif part == DIGITS:
            run = next(runs)
            if run.varies:
                lo, hi = max(1, run.min_len - DIGIT_SLACK), run.max_len + DIGIT_SLACK
                out.append(f"{DIGIT_CLASS}{{{lo},{hi}}}")
            elif run.min_raw == run.max_raw:
                out.append(re.escape(run.min_raw))
            else:  # the same number, written in full-width in some documents
                out.append(
                    f"{DIGIT_CLASS}{{{run.min_len}}}"
                    if run.min_len == run.max_len
                    else f"{DIGIT_CLASS}{{{run.min_len},{run.max_len}}}"
                )
        elif part.startswith(SYMBOLS):
            out.append(re.escape(part[len(SYMBOLS) :]) + "{3,}")
        else:
            out.append(re.escape(part))
    return "".join(out)


def line_pattern(shapes: Mapping[Shape, ShapeStats]) -> str:
    """An anchored whole-line pattern ``^\\s*…\\s*$`` matching every common shape."""
    ranked = sorted(shapes.items(), key=lambda item: (-item[1].count, item[0]))[:MAX_SHAPES]
    bodies = list(dict.fromkeys(shape_regex(shape, stats) for shape, stats in ranked))
    body = bodies[0] if len(bodies) == 1 else "(?:" + "|".join(bodies) + ")"
    return rf"^\s*{body}\s*$"
