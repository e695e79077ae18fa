"""The removal guard's setting: a document that would lose more than a share of its characters is left alone.

The guard itself is applied in one place, :func:`cleaner.decision.decide`:
repairs (mojibake turned back into text) shorten a document without losing
anything, so only removals count.
"""

from __future__ import annotations

import math

DEFAULT_MAX_REMOVAL = 0.8  # real 文库 pages can be mostly chrome: a 25-page preview around a short body


def check_share(value: float) -> float:
    """``value`` as a removal share, or ValueError: nan and inf would switch the guard off unseen."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) or not 0 <= value <= 1:
        raise ValueError(f"max_removal must be a number from 0 to 1, got {value!r}")
    return float(value)
