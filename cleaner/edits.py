"""Edits: the single source of truth for what cleaning did to a text.

An :class:`Edit` replaces ``original[start:end]`` with ``replacement`` (empty
for a removal). A :class:`CleanResult` holds the cleaned text and the sorted,
non-overlapping edits that turn the original into it; the preview, explain,
statistics and ``--check`` all read these edits and never re-diff.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Edit:
    """One change: ``text`` at ``[start, end)`` of the original becomes ``replacement``."""

    rule: str
    start: int
    end: int
    text: str
    replacement: str = ""
    reason: str = ""  # the evidence that decided it, for rules that weigh evidence

    @property
    def is_removal(self) -> bool:
        return self.replacement == ""


@dataclass(frozen=True, slots=True)
class CleanResult:
    """The cleaned text of one document and the edits that produced it."""

    original: str
    text: str
    edits: tuple[Edit, ...]
    # The removal guard tripped: nothing was applied (text == original, no edits); why.
    refused: str | None = None
    # Lines a keep pattern saved: (the rule that wanted them, the line's text).
    kept: tuple[tuple[str, str], ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.edits)

    def rule_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for edit in self.edits:
            counts[edit.rule] = counts.get(edit.rule, 0) + 1
        return counts


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply sorted, non-overlapping edits to ``text``."""
    parts: list[str] = []
    pos = 0
    for edit in edits:
        parts.append(text[pos : edit.start])
        parts.append(edit.replacement)
        pos = edit.end
    parts.append(text[pos:])
    return "".join(parts)


def compose(original: str, first: Sequence[Edit], second: Iterable[Edit], mid: str | None = None) -> list[Edit]:
    """Express ``second`` (edits on ``apply_edits(original, first)``) in original offsets.

    The result applied to ``original`` gives the same text as applying
    ``first`` and then ``second``. Where a later edit overlaps an earlier one,
    the two merge into one edit that carries the later rule id (a contact line
    removed after its zero-width characters were stripped is reported once,
    as a contact line).
    """
    second = list(second)
    if not first:
        return second
    if not second:
        return list(first)
    if mid is None:  # the text ``second`` was found in, unless the caller has it
        mid = apply_edits(original, first)
    # Offsets of each earlier edit in the intermediate text.
    mid_starts: list[int] = []
    shift = 0
    for edit in first:
        mid_starts.append(edit.start + shift)
        shift += len(edit.replacement) - (edit.end - edit.start)
    mid_ends = [s + len(e.replacement) for s, e in zip(mid_starts, first)]
    shifts_after: list[int] = []  # total shift once edit k has been applied
    shift = 0
    for edit in first:
        shift += len(edit.replacement) - (edit.end - edit.start)
        shifts_after.append(shift)
    count = len(first)

    def to_original(pos: int, after_deletions: bool) -> int:
        # ``pos`` lies outside every replaced region of ``first``; a deletion
        # sitting exactly at ``pos`` maps before it for an end, after it for a start.
        k = bisect_left(mid_ends, pos)
        while k < count and mid_ends[k] == pos and (after_deletions or mid_starts[k] < pos):
            k += 1
        return pos - (shifts_after[k - 1] if k else 0)

    def hits_of(edit: Edit) -> list[int]:
        s, e = edit.start, edit.end
        hits: list[int] = []
        j = bisect_left(mid_ends, s)
        while j < count and mid_starts[j] <= e:
            ms, me = mid_starts[j], mid_ends[j]
            if (ms < e and me > s) if ms != me else (s < ms < e):
                hits.append(j)
            j += 1
        return hits

    # Later edits touching the same earlier edit merge with it into one cluster.
    clusters: list[tuple[list[Edit], list[int]]] = []
    for edit in second:
        hits = hits_of(edit)
        if hits and clusters and clusters[-1][1] and hits[0] <= clusters[-1][1][-1]:
            clusters[-1][0].append(edit)
            clusters[-1][1].extend(h for h in hits if h > clusters[-1][1][-1])
        else:
            clusters.append(([edit], hits))

    merged_away: set[int] = set()
    out: list[Edit] = []
    for edits, hits in clusters:
        s, e = edits[0].start, edits[-1].end
        if not hits:
            (edit,) = edits
            o_start, o_end = to_original(s, True), to_original(e, False)
            out.append(Edit(edit.rule, o_start, o_end, original[o_start:o_end], edit.replacement, edit.reason))
            continue
        first_hit, last_hit = hits[0], hits[-1]
        m_start = min(s, mid_starts[first_hit])
        m_end = max(e, mid_ends[last_hit])
        o_start = first[first_hit].start if mid_starts[first_hit] <= s else to_original(s, True)
        o_end = first[last_hit].end if mid_ends[last_hit] >= e else to_original(e, False)
        parts = [mid[m_start:s]]
        for k, edit in enumerate(edits):
            parts.append(edit.replacement)
            parts.append(mid[edit.end : edits[k + 1].start] if k + 1 < len(edits) else mid[e:m_end])
        out.append(Edit(edits[0].rule, o_start, o_end, original[o_start:o_end], "".join(parts), edits[0].reason))
        merged_away.update(hits)
    out.extend(edit for k, edit in enumerate(first) if k not in merged_away)
    out.sort(key=lambda x: (x.start, x.end))
    return out
