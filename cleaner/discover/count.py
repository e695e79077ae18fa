"""Pass 1: in how many distinct documents does each normalised line appear?

Only 8-byte digests are kept (see :func:`.normalize.line_key`), each counted
once per document. A document whose body repeats an earlier one (the same
report uploaded twice, wrapped by two vendors) is not counted again: its
body lines would otherwise look shared. Workers return each document's keys
and the main process adds them up in corpus order, so ``--jobs N`` gives
exactly the one-job result.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .corpus import Item, Reader
from .normalize import MAX_LINE_CHARS, countable_form, line_key, split_lines

# A body fingerprint needs this many long lines: with fewer, one long vendor
# notice could make unrelated documents look like copies of each other.
FINGERPRINT_LINES = 2


@dataclass(frozen=True, slots=True)
class DocKeys:
    ordinal: int
    fingerprint: int | None  # identifies the body; None when it has too few long lines
    keys: array  # type: ignore[type-arg]  # unsigned 64-bit keys of its countable lines, each once


@dataclass(frozen=True, slots=True)
class BatchKeys:
    docs: tuple[DocKeys, ...]
    errors: tuple[str, ...]


@dataclass(slots=True)
class Counts:
    docs: int = 0  # distinct documents counted
    df: Counter[int] = field(default_factory=Counter)  # key -> documents holding it
    duplicates: set[int] = field(default_factory=set)  # ordinals of documents repeating an earlier body
    errors: list[str] = field(default_factory=list)  # "label: message", in corpus order
    _bodies: set[int] = field(default_factory=set)

    def add(self, batch: BatchKeys) -> None:
        """Add one batch; batches must come in corpus order (the first copy of a body counts)."""
        self.errors.extend(batch.errors)
        for doc in batch.docs:
            if doc.fingerprint is not None:
                if doc.fingerprint in self._bodies:
                    self.duplicates.add(doc.ordinal)
                    continue
                self._bodies.add(doc.fingerprint)
            self.docs += 1
            self.df.update(doc.keys)

    def frequent(self, threshold: int, limit: int) -> list[tuple[int, int]]:
        """``(key, docs)`` of lines in at least ``threshold`` documents, most frequent first.

        Ties are broken by key, so the choice never depends on counting order.
        """
        hits = [(key, n) for key, n in self.df.items() if n >= threshold]
        hits.sort(key=lambda kn: (-kn[1], kn[0]))
        return hits[:limit]


def doc_keys(text: str) -> tuple[set[int], int | None]:
    """The keys of the countable lines of one document, and its body fingerprint.

    The fingerprint is the digest of its long lines as written (no rule
    removes them), sorted, so a vendor's wrapper around the same report does
    not change it.
    """
    keys: set[int] = set()
    long_lines: set[str] = set()
    for line in split_lines(text):
        normalized = countable_form(line)
        if normalized is not None:
            keys.add(line_key(normalized))
        elif len(line) > MAX_LINE_CHARS:
            long_lines.add(line.strip())
    fingerprint = line_key("\n".join(sorted(long_lines))) if len(long_lines) >= FINGERPRINT_LINES else None
    return keys, fingerprint


def count_batch(reader: Reader, items: Sequence[Item]) -> BatchKeys:
    docs: list[DocKeys] = []
    errors: list[str] = []
    for item in items:
        text, error = reader.load(item)
        if text is None:
            errors.append(f"{item.label}: {error}")
            continue
        keys, fingerprint = doc_keys(text)
        docs.append(DocKeys(item.ordinal, fingerprint, array("Q", sorted(keys))))
    return BatchKeys(tuple(docs), tuple(errors))
