"""The removal policy: turn marked lines and spans into edits, healing blank lines.

- A removed line goes with its terminator.
- Blank lines enclosed between removed lines belong to the removal.
- Blank lines left at the very start by a removal are dropped; blank lines
  left at the end collapse to the document's final newline (none if it had none).
- Where a removal joins two runs of blank lines, the result is no longer than
  the longer run.
- Nothing else is touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise

from .edits import Edit
from .lines import Lines


def tidy(
    lines: Lines,
    removed: Mapping[int, str],
    spans: Iterable[tuple[int, int, str, str, str]],
    reasons: Mapping[int, str] | None = None,
) -> list[Edit]:
    """Edits for one phase. ``removed`` maps line index to rule id (``reasons``, to the
    evidence that decided it); spans are ``(start, end, replacement, rule, reason)`` and
    are dropped where they touch a removed line."""
    text = lines.text
    # Offsets and contents, not Line objects: a document may have a million lines.
    contents, starts, ends = lines.contents, lines.starts, lines.ends
    n = len(contents)
    why = reasons or {}
    # Each line gone maps to (rule, reason); healed blank lines share their neighbour's.
    gone: dict[int, tuple[str, str]] = {k: (rule, why.get(k, "")) for k, rule in removed.items()}
    # Blank lines between two removed lines belong to the removal.
    order = sorted(gone)
    for a, b in pairwise(order):
        if b - a > 1 and all(not contents[k].strip() for k in range(a + 1, b)):
            for k in range(a + 1, b):
                gone[k] = gone[a]
    runs = _runs(sorted(gone))
    cut_terminator_of: int | None = None
    ends_with_newline = bool(n) and ends[n - 1] > starts[n - 1] + len(contents[n - 1])
    for lo, hi in runs:
        before = _blank_run(contents, gone, lo - 1, -1)
        after = _blank_run(contents, gone, hi + 1, +1)
        cause = gone[lo]
        if lo - len(before) == 0:
            heal = before + after  # nothing but blanks before: all of them go
        elif hi + len(after) == n - 1:
            heal = before + after  # trailing blanks collapse to the final newline
            if not ends_with_newline:
                cut_terminator_of = lo - len(before) - 1
        else:
            heal = after[: min(len(before), len(after))]
        for k in heal:
            gone[k] = gone.get(k, cause)
    edits: list[Edit] = []
    for lo, hi in _runs(sorted(gone)):
        start, k = starts[lo], lo
        while k <= hi:
            cause, j = gone[k], k
            while j + 1 <= hi and gone[j + 1] == cause:
                j += 1
            s = start if k == lo else starts[k]
            edits.append(Edit(cause[0], s, ends[j], text[s : ends[j]], reason=cause[1]))
            k = j + 1
    cut = (0, 0)  # the terminator taken from the last kept line, if any
    if cut_terminator_of is not None and cut_terminator_of >= 0:
        keep_end = ends[cut_terminator_of]
        keep_stop = starts[cut_terminator_of] + len(contents[cut_terminator_of])
        # The document had no final newline: the last kept line loses the one it gained.
        following = next(e for e in edits if e.start == keep_end)
        edits.remove(following)
        edits.append(
            Edit(following.rule, keep_stop, following.end, text[keep_stop : following.end], reason=following.reason)
        )
        cut = (keep_stop, keep_end)
    last_end = -1
    for start, end, replacement, rule, reason in sorted(spans):
        first, last = lines.line_at(start), lines.line_at(max(start, end - 1))
        if start < last_end or any(k in gone for k in range(first, last + 1)) or (start < cut[1] and end > cut[0]):
            continue  # inside a removed line or the cut terminator, or overlapping a span already taken
        edits.append(Edit(rule, start, end, text[start:end], replacement, reason))
        last_end = end
    edits.sort(key=lambda e: (e.start, e.end))
    return edits


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for k in indices:
        if runs and runs[-1][1] == k - 1:
            runs[-1] = (runs[-1][0], k)
        else:
            runs.append((k, k))
    return runs


def _blank_run(contents: list[str], gone: Mapping[int, object], k: int, step: int) -> list[int]:
    out: list[int] = []
    while 0 <= k < len(contents) and k not in gone and not contents[k].strip():
        out.append(k)
        k += step
    return out
