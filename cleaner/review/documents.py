"""The documents a review looks at: a text file is one; a JSONL or Parquet corpus is one per record.

A record is labelled ``corpus.jsonl#12`` (its line in the corpus) and its
offsets refer to its text field. Nothing is written; every failure becomes a
document with an error, never an exception, so the other documents still go.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ..batch import Mode, process
from ..budget import RuleTimeout
from ..corpus import read_message
from ..decision import Decision, decide
from ..document import Document
from ..edits import CleanResult
from ..engine import Cleaner
from ..files import STDIN, Source
from ..jsonl import is_jsonl, iter_records, open_binary
from ..names import shown
from ..parquet import is_parquet, iter_texts


@dataclass(frozen=True, slots=True)
class Reviewed:
    source: Source
    label: str  # what to call it: the path as given, ``stdin``, or ``path#record``
    document: Document | None = None
    result: CleanResult | None = None
    error: str | None = None
    record: int | None = None  # JSONL: the record's line in the corpus
    refused: str | None = None  # the cleaner's removal guard refused ``result``: clean would leave it unchanged

    @property
    def is_record(self) -> bool:
        return self.record is not None


def label_of(source: Source) -> str:
    """The name shown for ``source``: control characters and undecodable bytes escaped."""
    return "stdin" if source.path == STDIN else shown(source.path)


def iter_documents(
    source: Source,
    cleaner: Cleaner,
    *,
    encoding: str | None = None,
    text_field: str = "text",
    stdin: BinaryIO | None = None,
) -> Iterator[Reviewed]:
    """Clean ``source`` without writing: one document for a text file, one per record for JSONL."""
    if source.path != STDIN and is_jsonl(source.path):
        yield from _records(source, cleaner, text_field)
        return
    if source.path != STDIN and is_parquet(source.path):
        yield from _rows(source, cleaner, text_field)
        return
    outcome = process(source, cleaner, Mode.CHECK, encoding=encoding, stdin=stdin if source.path == STDIN else None)
    if outcome.error is not None or outcome.decision is None or outcome.document is None:
        yield Reviewed(source, label_of(source), error=outcome.error or "could not be read")
    else:
        decision, document = outcome.decision, outcome.document
        yield Reviewed(source, label_of(source), document, _shown(decision, document.text), refused=decision.refused)


def _records(source: Source, cleaner: Cleaner, text_field: str) -> Iterator[Reviewed]:
    try:
        reader = open_binary(source.path)
    except OSError as exc:
        yield Reviewed(source, label_of(source), error=f"cannot read: {exc.strerror or exc}")
        return
    try:
        with reader:
            for record in iter_records(reader, text_field):
                label = f"{label_of(source)}#{record.lineno}"
                if record.text is None:
                    yield Reviewed(source, label, error=record.error or "no text", record=record.lineno)
                    continue
                # JSON text is Unicode: a record has no encoding of its own.
                document = Document(record.text, "utf-8")
                try:
                    decision = decide(cleaner, record.text)
                except RuleTimeout as exc:  # this record only; the corpus goes on
                    yield Reviewed(source, label, error=str(exc), record=record.lineno)
                    continue
                result = _shown(decision, record.text)
                yield Reviewed(source, label, document, result, record=record.lineno, refused=decision.refused)
    except (OSError, EOFError, zlib.error) as exc:  # a truncated or corrupt .gz: said as clean says it
        yield Reviewed(source, label_of(source), error=f"cannot read: {read_message(exc)}")


def _rows(source: Source, cleaner: Cleaner, text_field: str) -> Iterator[Reviewed]:
    """A Parquet file's rows, labelled ``path#row`` (0-based, as pyarrow counts)."""
    try:
        for row, text, error in iter_texts(source.path, text_field):
            label = f"{label_of(source)}#{row}"
            if text is None:
                yield Reviewed(source, label, error=error or "no text", record=row)
                continue
            try:
                decision = decide(cleaner, text)
            except RuleTimeout as exc:  # this row only; the file goes on
                yield Reviewed(source, label, error=str(exc), record=row)
                continue
            yield Reviewed(
                source, label, Document(text, "utf-8"), _shown(decision, text), record=row, refused=decision.refused
            )
    except OSError as exc:
        yield Reviewed(source, label_of(source), error=f"cannot read: {exc}")


def _shown(decision: Decision, original: str) -> CleanResult:
    """What a review shows: the edits the rules want, also when the guard refused them."""
    return decision.proposed if decision.proposed is not None else decision.result(original)
