"""Discover in parts: a corpus surveyed shard by shard gives the proposals of one pass over all of it.

Each step takes one shard (a list of sources) and returns data that pickles,
so the shards can be counted and surveyed in separate processes, on other
machines or as Ray tasks; only the merges run in one place:

1. :func:`count_shard` on every shard -> :class:`ShardCounts`; :func:`merge_counts`
   in shard order -> the :class:`Counts` of the whole corpus;
2. :func:`plan` -> the frequent lines to survey and the copies to leave out;
3. :func:`survey_shard` on every shard -> :class:`Survey`; they merge in any order;
4. :func:`finish` -> the :class:`Discovery`, as :func:`cleaner.discover.discover` gives it.

Shard ``i`` numbers its documents from ``i << SHARD_BITS``: ordinals keep
corpus order across shards, and every choice made by ordinal (the first copy of
a body counts, examples are the first documents holding a line) comes out as
in one pass. A copy of a body first met in an earlier shard was counted by its
own shard; each shard keeps the keys of the first document of every body it
holds (8 bytes a countable line), so that the merge can take such a copy back out.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial

from ..engine import Cleaner
from ..files import Source
from .corpus import Item, Reader, batched, iter_items
from .count import BatchKeys, Counts, count_batch
from .docview import DocView
from .parallel import map_batches
from .propose import Candidate, Proposal, make_candidates, mark_covered, propose
from .survey import Survey, survey_batch

SHARD_BITS = 40  # documents per shard at most: 10^12
BATCH_DOCS = 256  # documents per batch handed to a worker
MAX_TRACKED = 500  # most frequent lines surveyed in pass 2


@dataclass(slots=True)
class ShardCounts:
    """Pass 1 over one shard: its counts, and the keys of each body's first document in it."""

    shard: int
    counts: Counts = field(default_factory=Counts)
    firsts: dict[int, tuple[int, array]] = field(default_factory=dict)  # type: ignore[type-arg]  # fingerprint -> (ordinal, keys)

    def add(self, batch: BatchKeys) -> None:
        bodies = self.counts._bodies
        for doc in batch.docs:
            if doc.fingerprint is not None and doc.fingerprint not in bodies:
                self.firsts[doc.fingerprint] = (doc.ordinal, doc.keys)
        self.counts.add(batch)


@dataclass(frozen=True, slots=True)
class Plan:
    """What pass 2 needs from pass 1: the lines to survey and the documents that are copies."""

    threshold: int
    tracked: frozenset[int]
    duplicates: frozenset[int]


def _items(
    sources: Sequence[Source], reader: Reader, shard: int, errors: list[str] | None = None
) -> Iterator[list[Item]]:
    return batched(iter_items(sources, errors, reader.text_field, start=shard << SHARD_BITS), BATCH_DOCS)


def count_shard(
    sources: Sequence[Source], reader: Reader, shard: int = 0, jobs: int = 1, *, keep_firsts: bool = True
) -> ShardCounts:
    """Pass 1 over one shard (``jobs`` worker processes). ``keep_firsts``: keep what a merge with
    other shards needs (a single pass over the whole corpus does not)."""
    errors: list[str] = []
    part = ShardCounts(shard)
    for batch in map_batches(partial(count_batch, reader), _items(sources, reader, shard, errors), jobs):
        if keep_firsts:
            part.add(batch)
        else:
            part.counts.add(batch)
    part.counts.errors.extend(errors)
    return part


def merge_counts(parts: Iterable[ShardCounts]) -> Counts:
    """The counts of the whole corpus from its shards' (given in shard order)."""
    ordered = sorted(parts, key=lambda p: p.shard)
    if len(ordered) == 1:
        return ordered[0].counts
    total = Counts()
    last = -1
    for part in ordered:
        if part.shard == last:
            raise ValueError(f"shard {part.shard} given twice")
        last = part.shard
        counts = part.counts
        total.errors.extend(counts.errors)
        total.duplicates |= counts.duplicates
        total.docs += counts.docs
        total.df.update(counts.df)
        for fingerprint, (ordinal, keys) in part.firsts.items():
            if fingerprint in total._bodies:  # a copy of a body an earlier shard holds: not counted after all
                total.duplicates.add(ordinal)
                total.docs -= 1
                total.df.subtract(keys)
        total._bodies |= counts._bodies
    for key in [k for k, n in total.df.items() if n <= 0]:
        del total.df[key]
    return total


def plan(counts: Counts, threshold: int) -> Plan:
    tracked = frozenset(key for key, _ in counts.frequent(threshold, MAX_TRACKED))
    return Plan(threshold, tracked, frozenset(counts.duplicates))


def survey_shard(sources: Sequence[Source], reader: Reader, todo: Plan, shard: int = 0, jobs: int = 1) -> Survey:
    """Pass 2 over one shard (``jobs`` worker processes)."""
    survey = Survey()
    # Each batch carries the copies among its own documents, not the whole set.
    work = ((batch, {i.ordinal for i in batch} & todo.duplicates) for batch in _items(sources, reader, shard))
    for piece in map_batches(partial(survey_batch, reader, todo.tracked), work, jobs):
        survey.merge(piece)
    return survey


def finish(
    counts: Counts, todo: Plan, surveys: Iterable[Survey], name: str, bundled: Cleaner | None = None
) -> tuple[list[Candidate], list[Proposal]]:
    """The candidates and proposals from the merged counts and the shards' surveys (in any order)."""
    survey = Survey()
    for piece in surveys:
        survey.merge(piece)
    views = {ordinal: DocView.of(doc) for ordinal, doc in survey.docs.items()}
    candidates = make_candidates(survey, counts.df, views)
    mark_covered(candidates, survey, views, bundled or Cleaner(max_removal=None))
    proposals = propose(candidates, survey, views, todo.threshold, counts.docs, name)
    return candidates, proposals
