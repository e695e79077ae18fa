"""Pass 2: what the frequent lines look like and where they stand.

For the few keys pass 1 found frequent (``tracked``), collect per key: the
normalised text, positions (head / tail / middle), the shapes of the raw
lines with their digit runs, and the first documents (by ordinal) holding
it, kept whole as examples. Per edge it also records which candidate lines
stand next to each other in the run of candidates nearest that edge: those
pairs are what block proposals are made of.

Merging is order-independent (sums, minima, maxima, smallest ordinals), so
the survey of a split corpus equals the survey of the whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from .bodylike import body_sign
from .corpus import Item, Reader
from .normalize import countable_form, line_key, split_lines, visible
from .shape import Shape, ShapeStats, shape_of

EDGE_LINES = 10  # a line within this many non-blank lines of an edge stands at the head or tail
MAX_LEAD = 3  # non-candidate lines (a title) allowed between an edge and its block
EXAMPLE_DOCS = 3  # documents kept whole per key, for examples and the bundled-rule check

HEAD, TAIL, MIDDLE = "head", "tail", "middle"
EDGES = (HEAD, TAIL)


@dataclass(slots=True)
class KeyStats:
    text: str  # the normalised line
    positions: Counter[str] = field(default_factory=Counter)  # per occurrence
    shapes: dict[Shape, ShapeStats] = field(default_factory=dict)
    examples: list[int] = field(default_factory=list)  # smallest ordinals, at most EXAMPLE_DOCS

    def merge(self, other: KeyStats) -> None:
        self.positions.update(other.positions)
        for shape, stats in other.shapes.items():
            mine = self.shapes.get(shape)
            self.shapes[shape] = stats if mine is None else mine.merge(stats)
        self.examples = sorted(set(self.examples) | set(other.examples))[:EXAMPLE_DOCS]


@dataclass(frozen=True, slots=True)
class ExampleDoc:
    ordinal: int
    label: str
    text: str


@dataclass(slots=True)
class Survey:
    keys: dict[int, KeyStats] = field(default_factory=dict)
    # (edge, a, b): documents where candidate b follows candidate a in the run at that edge
    adjacent: Counter[tuple[str, int, int]] = field(default_factory=Counter)
    # (edge, key): documents where the key is in the run at that edge
    in_run: Counter[tuple[str, int]] = field(default_factory=Counter)
    # (edge, key): most lines seen between the edge and the run holding the key
    lead: dict[tuple[str, int], int] = field(default_factory=dict)
    docs: dict[int, ExampleDoc] = field(default_factory=dict)

    def merge(self, other: Survey) -> None:
        for key, stats in other.keys.items():
            mine = self.keys.get(key)
            if mine is None:
                self.keys[key] = stats
            else:
                mine.merge(stats)
        self.adjacent.update(other.adjacent)
        self.in_run.update(other.in_run)
        for k, v in other.lead.items():
            self.lead[k] = max(v, self.lead.get(k, 0))
        self.docs.update(other.docs)
        self.prune_docs()

    def prune_docs(self) -> None:
        # Keep only the documents some key still uses as an example.
        wanted = {o for stats in self.keys.values() for o in stats.examples}
        for ordinal in [o for o in self.docs if o not in wanted]:
            del self.docs[ordinal]


def position(rank: int, total: int) -> str:
    """Where the ``rank``-th of ``total`` non-blank lines stands; the nearer edge wins."""
    from_head, from_tail = rank, total - 1 - rank
    if min(from_head, from_tail) >= EDGE_LINES:
        return MIDDLE
    return HEAD if from_head <= from_tail else TAIL


def survey_batch(reader: Reader, tracked: Collection[int], job: tuple[Sequence[Item], Collection[int]]) -> Survey:
    """Survey one batch; ``job`` is its items and the ordinals pass 1 found to be copies."""
    items, skip = job
    survey = Survey()
    candidate: dict[int, bool] = {}  # key -> frequent and not body-like (cached per key)
    for item in items:
        if item.ordinal in skip:
            continue
        text, _ = reader.load(item)  # errors were reported by pass 1
        if text is None:
            continue
        _survey_doc(survey, tracked, candidate, item, text)
    survey.prune_docs()
    return survey


def _survey_doc(survey: Survey, tracked: Collection[int], candidate: dict[int, bool], item: Item, text: str) -> None:
    nonblank: list[int | None] = []  # per non-blank line: its key when it is a candidate
    occurrences: list[tuple[int, int, str, str]] = []  # (rank, key, normalised, raw) of tracked lines
    keys_in_doc: dict[int, str] = {}
    for raw in split_lines(text):
        normalized = countable_form(raw)
        if normalized is None:
            if not visible(raw).strip():
                continue  # blank
            nonblank.append(None)
            continue
        key = line_key(normalized)
        if key not in tracked:
            nonblank.append(None)
            continue
        if key not in candidate:
            candidate[key] = body_sign(normalized) is None
        nonblank.append(key if candidate[key] else None)
        occurrences.append((len(nonblank) - 1, key, normalized, raw))
        keys_in_doc[key] = normalized
    total = len(nonblank)
    for rank, key, normalized, raw in occurrences:
        stats = survey.keys.get(key)
        if stats is None:
            stats = survey.keys[key] = KeyStats(normalized)
        stats.positions[position(rank, total)] += 1
        shape, shape_stats = shape_of(raw)
        mine = stats.shapes.get(shape)
        stats.shapes[shape] = shape_stats if mine is None else mine.merge(shape_stats)
    for key in keys_in_doc:
        stats = survey.keys[key]
        if len(stats.examples) < EXAMPLE_DOCS:  # items come in ordinal order within a batch
            stats.examples.append(item.ordinal)
            survey.docs[item.ordinal] = ExampleDoc(item.ordinal, item.label, text)
    for edge in EDGES:
        _edge_run(survey, edge, nonblank if edge == HEAD else nonblank[::-1])


def _edge_run(survey: Survey, edge: str, ordered: list[int | None]) -> None:
    """Record the run of candidate lines nearest ``edge`` (after at most MAX_LEAD other lines)."""
    lead = 0
    while lead < len(ordered) and lead < MAX_LEAD and ordered[lead] is None:
        lead += 1
    run: list[int] = []
    for key in ordered[lead:]:
        if key is None:
            break
        run.append(key)
    if not run:
        return
    if edge == TAIL:
        run.reverse()  # pairs are always recorded in document order
    for key in dict.fromkeys(run):
        survey.in_run[(edge, key)] += 1
        survey.lead[(edge, key)] = max(lead, survey.lead.get((edge, key), 0))
    for a, b in pairwise(run):
        if a != b:
            survey.adjacent[(edge, a, b)] += 1
