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
from functools import partial

from ..engine import Cleaner
from ..files import Source
from .corpus import Reader, batched, iter_items
from .count import Counts, count_batch
from .docview import DocView
from .parallel import map_batches
from .propose import Candidate, Proposal, make_candidates, mark_covered, propose
from .survey import Survey, survey_batch

BATCH_DOCS = 256  # documents per batch handed to a worker
MAX_TRACKED = 500  # most frequent lines surveyed in pass 2
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
    reader = Reader(settings.text_field, settings.encoding)
    listing_errors: list[str] = []
    counts = Counts()
    batches = batched(iter_items(sources, listing_errors), BATCH_DOCS)
    for part in map_batches(partial(count_batch, reader), batches, settings.jobs):
        counts.add(part)
    errors = tuple(counts.errors + listing_errors)
    threshold = settings.threshold(counts.docs)
    tracked = frozenset(key for key, _ in counts.frequent(threshold, MAX_TRACKED))
    if not tracked:
        return Discovery(counts.docs, len(counts.duplicates), threshold, (), (), errors)
    survey = Survey()
    # Each batch carries the copies among its own documents, not the whole set.
    jobs = (
        (batch, {i.ordinal for i in batch} & counts.duplicates) for batch in batched(iter_items(sources), BATCH_DOCS)
    )
    for piece in map_batches(partial(survey_batch, reader, tracked), jobs, settings.jobs):
        survey.merge(piece)
    views = {ordinal: DocView.of(doc) for ordinal, doc in survey.docs.items()}
    candidates = make_candidates(survey, counts.df, views)
    mark_covered(candidates, survey, views, bundled or Cleaner(max_removal=None))
    proposals = propose(candidates, survey, views, threshold, counts.docs, settings.name)
    return Discovery(counts.docs, len(counts.duplicates), threshold, tuple(candidates), tuple(proposals), errors)
