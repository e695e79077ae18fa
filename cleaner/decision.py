"""One decision per document: clean, guard, count, provenance; and Stats that add up across shards.

Every loop that moves documents (files, JSONL, Parquet, review, the ``--jobs``
pool, Ray, the pipeline adapters) calls :func:`decide` and nothing else: the
removal guard, the counts and the audit record are worked out here, once, so
that every engine gives the same answer for the same text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .edits import CleanResult, Edit
from .kinds.fix_cjk_mojibake import beyond_repair as count_beyond_repair

if TYPE_CHECKING:
    from .engine import Cleaner

PROVENANCE_VERSION = 1  # the shape of the audit record; bump when its fields change
PROVENANCE_FIELD = "cleaner_provenance"  # the record field (JSONL) or column (Parquet) that holds it


@dataclass(frozen=True, slots=True)
class Decision:
    """What happens to one text.

    ``text`` is what to write: the cleaned text, or the original when the guard
    refused. ``edits`` are the edits applied (in offsets of the original; empty
    when refused); ``proposed`` keeps what the rules wanted when the guard
    refused it, for review to show.
    """

    text: str
    edits: tuple[Edit, ...]
    counts: Mapping[str, int]  # edits per rule (applied ones only)
    removed_chars: int  # characters the applied removals took away (repairs do not count)
    refused: str | None = None  # why the removal guard left the text unchanged
    kept: tuple[tuple[str, str], ...] = ()  # (rule, line) a keep pattern saved
    beyond_repair: int = 0  # mojibake spots no rule can repair, left as they are
    reason: str = ""  # one line saying what happened
    proposed: CleanResult | None = None  # the refused result (only when refused)
    meta: Mapping[str, Any] | None = None  # the caller's record fields, carried untouched

    @property
    def changed(self) -> bool:
        return bool(self.edits)

    @property
    def kept_lines(self) -> int:
        return len(self.kept)

    def result(self, original: str) -> CleanResult:
        """The decision as the engine's :class:`CleanResult` for ``original`` (the text decided on)."""
        return CleanResult(original=original, text=self.text, edits=self.edits, refused=self.refused, kept=self.kept)

    def provenance(self, cleaner: Cleaner) -> dict[str, Any]:
        """The per-record audit: enough to undo the clean (see :func:`undo`)."""
        return {
            "version": PROVENANCE_VERSION,
            "cleaner": _package_version(),
            "rules_version": cleaner.rules_version,
            "rules": sorted(self.counts),
            "removed_chars": self.removed_chars,
            "beyond_repair": self.beyond_repair,
            "refused": self.refused,
            "edits": [
                {"rule": e.rule, "start": e.start, "end": e.end, "text": e.text, "replacement": e.replacement}
                for e in self.edits
            ],
        }


def decide(cleaner: Cleaner, text: str, meta: Mapping[str, Any] | None = None) -> Decision:
    """Clean ``text`` with ``cleaner`` and apply its removal guard (``cleaner.max_removal``).

    Pure: the same cleaner and text give the same decision in any process.
    ``meta`` (a record's other fields) is carried on the decision; no rule reads it.
    """
    result = cleaner.propose(text)
    lost = count_beyond_repair(result.text)
    removed = sum(len(e.text) for e in result.edits if e.is_removal)
    guard = cleaner.max_removal
    if result.edits and guard is not None and text and removed / len(text) > guard:
        share = removed / len(text)
        refused = f"would remove {share:.0%} of the text (more than --max-removal {guard:.0%}); left unchanged"
        return Decision(
            text, (), {}, 0, refused, result.kept, count_beyond_repair(text), f"refused: {refused}", result, meta
        )
    counts: dict[str, int] = {}
    for edit in result.edits:
        counts[edit.rule] = counts.get(edit.rule, 0) + 1
    if counts:
        reason = f"{len(result.edits)} edit(s), {removed} character(s) removed: " + ", ".join(
            f"{rule} {n}" for rule, n in sorted(counts.items())
        )
    else:
        reason = "unchanged"
    return Decision(result.text, result.edits, counts, removed, None, result.kept, lost, reason, None, meta)


def undo(text: str, provenance: Mapping[str, Any]) -> str:
    """The original of ``text`` (a cleaned text) from its provenance record.

    The edits are in original offsets and hold the original text of each span,
    so walking them in order rebuilds the original around what was kept.
    """
    parts: list[str] = []
    pos = 0  # in the cleaned text
    last = 0  # end of the previous edit, in the original
    for edit in provenance["edits"]:
        start, end, old, new = int(edit["start"]), int(edit["end"]), str(edit["text"]), str(edit["replacement"])
        keep = start - last  # untouched characters between the previous edit and this one
        at = pos + keep
        if keep < 0 or end - start != len(old) or at + len(new) > len(text) or text[at : at + len(new)] != new:
            raise ValueError("the provenance record does not match this text")
        parts.append(text[pos : pos + keep])
        parts.append(old)
        pos += keep + len(new)
        last = end
    parts.append(text[pos:])
    return "".join(parts)


@dataclass(slots=True)
class Stats:
    """Counts over decided documents; ``a + b`` of two shards equals the stats of both together."""

    documents: int = 0
    changed: int = 0
    refused: int = 0
    chars_in: int = 0
    chars_removed: int = 0
    kept: int = 0  # lines keep patterns saved
    beyond_repair: int = 0
    rules: dict[str, int] = field(default_factory=dict)

    def add(self, decision: Decision, original_chars: int = 0) -> None:
        self.documents += 1
        self.changed += decision.changed
        self.refused += decision.refused is not None
        self.chars_in += original_chars
        self.chars_removed += decision.removed_chars
        self.kept += len(decision.kept)
        self.beyond_repair += decision.beyond_repair
        for rule, n in decision.counts.items():
            self.rules[rule] = self.rules.get(rule, 0) + n

    def merge(self, other: Stats) -> None:
        """Add ``other``'s counts into these."""
        self.documents += other.documents
        self.changed += other.changed
        self.refused += other.refused
        self.chars_in += other.chars_in
        self.chars_removed += other.chars_removed
        self.kept += other.kept
        self.beyond_repair += other.beyond_repair
        for rule, n in other.rules.items():
            self.rules[rule] = self.rules.get(rule, 0) + n

    def __add__(self, other: Stats) -> Stats:
        total = Stats()
        total.merge(self)
        total.merge(other)
        return total

    @classmethod
    def of(cls, decisions: Iterable[tuple[Decision, str]]) -> Stats:
        """The stats of ``(decision, original)`` pairs."""
        stats = cls()
        for decision, original in decisions:
            stats.add(decision, len(original))
        return stats

    @property
    def edits(self) -> int:
        return sum(self.rules.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "changed": self.changed,
            "refused": self.refused,
            "chars_in": self.chars_in,
            "chars_removed": self.chars_removed,
            "kept": self.kept,
            "beyond_repair": self.beyond_repair,
            "edits": self.edits,
            "rules": dict(sorted(self.rules.items())),
        }


def _package_version() -> str:
    from . import __version__

    return __version__
