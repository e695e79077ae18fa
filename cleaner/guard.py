"""The removal guard: a document that would lose more than a share of its characters is left alone.

One definition for the CLI, the Python API and every engine: repairs (mojibake
turned back into text) shorten a document without losing anything, so only
removals count.
"""

from __future__ import annotations

import math

from .edits import CleanResult

DEFAULT_MAX_REMOVAL = 0.8  # real 文库 pages can be mostly chrome: a 25-page preview around a short body


def check_share(value: float) -> float:
    """``value`` as a removal share, or ValueError: nan and inf would switch the guard off unseen."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) or not 0 <= value <= 1:
        raise ValueError(f"max_removal must be a number from 0 to 1, got {value!r}")
    return float(value)


def removed_chars(result: CleanResult) -> int:
    return sum(len(e.text) for e in result.edits if e.is_removal)


def removed_share(result: CleanResult) -> float:
    """Share of the original characters that the edits take away."""
    if not result.original:
        return 0.0
    return removed_chars(result) / len(result.original)


def guard_message(result: CleanResult, max_removal: float | None) -> str | None:
    if max_removal is None:
        return None
    share = removed_share(result)
    if result.edits and share > max_removal:
        return f"would remove {share:.0%} of the text (more than --max-removal {max_removal:.0%}); left unchanged"
    return None
