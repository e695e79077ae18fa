"""The whole discovery: two passes over the corpus, then proposals.

Pass 1 counts hashed lines; pass 2 surveys only the most frequent ones and
keeps a few example documents for them. Both passes run over batches of
documents, in-process or with ``jobs`` worker processes; their merged results
do not depend on the split, so proposals are the same for any ``jobs``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..engine import Cleaner
from ..files import Source
from .corpus import Reader
from .propose import Candidate, Proposal
from .shards import count_shard, finish, merge_counts, plan, survey_shard

DEFAULT_MIN_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class Settings:
    min_docs: int | None = None  # overrides min_share when given
    min_share: float = DEFAULT_MIN_SHARE
    jobs: int = 1
    text_field: str = "text"
    encoding: str | None = None
    name: str = "corpus"  # goes into the rule ids: discovered-<name>-<where>-<n>

    def threshold(self, docs: int) -> int:
        """Documents a line must appear in to be a candidate (never fewer than 2)."""
        if self.min_docs is not None:
            return max(2, self.min_docs)
        return max(2, math.ceil(self.min_share * docs))


@dataclass(frozen=True, slots=True)
class Discovery:
    docs: int  # distinct documents counted
    copies: int  # documents left out as copies of an earlier body
    threshold: int
    candidates: tuple[Candidate, ...]  # most frequent first; body-like ones have ``body`` set
    proposals: tuple[Proposal, ...]
    errors: tuple[str, ...]  # documents or files that could not be read


def discover(sources: Sequence[Source], settings: Settings = Settings(), bundled: Cleaner | None = None) -> Discovery:
    """Discover on ``sources`` in one pass (see :func:`discover_shards` for a corpus in parts)."""
    return discover_shards([sources], settings, bundled)


def discover_shards(
    shards: Sequence[Sequence[Source]], settings: Settings = Settings(), bundled: Cleaner | None = None
) -> Discovery:
    """Discover on a corpus given as shards: the same result as one pass over all their sources in order.

    The shards run one after the other here; :mod:`.shards` has the steps to run them elsewhere.
    """
    reader = Reader(settings.text_field, settings.encoding)
    single = len(shards) == 1
    counts = merge_counts(
        count_shard(sources, reader, i, settings.jobs, keep_firsts=not single) for i, sources in enumerate(shards)
    )
    errors = tuple(counts.errors)
    threshold = settings.threshold(counts.docs)
    todo = plan(counts, threshold)
    if not todo.tracked:
        return Discovery(counts.docs, len(counts.duplicates), threshold, (), (), errors)
    surveys = (survey_shard(sources, reader, todo, i, settings.jobs) for i, sources in enumerate(shards))
    candidates, proposals = finish(counts, todo, surveys, settings.name, bundled)
    return Discovery(counts.docs, len(counts.duplicates), threshold, tuple(candidates), tuple(proposals), errors)
