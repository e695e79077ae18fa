"""A column of texts through :func:`decide`: what every batch engine (Ray, HF, data-juicer) shares.

A record whose text is missing (None, a Parquet null) is carried through
untouched and left out of the stats, as the JSONL path copies a record without
its text field; so is a text on which a user's rule ran past its time budget.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..budget import RuleTimeout
from ..decision import Stats, decide
from ..engine import Cleaner


@dataclass(slots=True)
class CleanedTexts:
    texts: list[str | None]
    provenance: list[str | None] | None  # the audit of each record as JSON (None for a missing text)
    stats: Stats = field(default_factory=Stats)
    missing: int = 0  # records without a text, carried through
    timed_out: int = 0  # texts a rule ran past its time budget on, carried through unchanged


def clean_texts(cleaner: Cleaner, texts: Sequence[str | None], *, provenance: bool = False) -> CleanedTexts:
    """Decide every text of a batch with ``cleaner`` (its removal guard included)."""
    out: list[str | None] = []
    audits: list[str | None] | None = [] if provenance else None
    stats = Stats()
    missing = timed_out = 0
    for text in texts:
        if text is None:
            missing += 1
        else:
            try:
                decision = decide(cleaner, text)
            except RuleTimeout:
                timed_out += 1
            else:
                stats.add(decision, len(text))
                out.append(decision.text)
                if audits is not None:
                    # JSON keeps one column type whatever a batch holds (an Arrow struct would not:
                    # a batch without refusals types ``refused`` as null).
                    audits.append(json.dumps(decision.provenance(cleaner), ensure_ascii=False))
                continue
        out.append(text)  # no decision: the record goes through as it came
        if audits is not None:
            audits.append(None)
    return CleanedTexts(out, audits, stats, missing, timed_out)


def stats_from_dict(data: dict[str, object]) -> Stats:
    """The inverse of :meth:`Stats.as_dict` (the derived ``edits`` total is dropped)."""
    rules = data.get("rules", {})
    assert isinstance(rules, dict)
    values = {k: int(v) for k, v in data.items() if k not in ("rules", "edits") and isinstance(v, int)}
    return Stats(**values, rules={str(k): int(v) for k, v in rules.items()})
