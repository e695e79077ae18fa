"""The documents of a corpus: text files, JSONL (.gz, .zst) records and Parquet rows, read one at a time.

The main process only lists documents (a path, one raw JSONL line, or one
Parquet row's text, which pyarrow has decoded already); the workers read and
decode files and lines, so ``--jobs`` spreads the decoding too. Every
document gets an ordinal, its place in the corpus: examples are chosen by
ordinal, which makes the result independent of how the work was split.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from ..document import DecodeError, decode
from ..files import Source
from ..jsonl import is_jsonl, iter_records, open_binary
from ..parquet import is_parquet, iter_texts


@dataclass(frozen=True, slots=True)
class Item:
    """One document to read: a file (``path``), one JSONL line (``raw``) or one Parquet row (``text`` or ``error``)."""

    ordinal: int
    label: str  # shown to the user: the path, path:line for a record, path:row N for a Parquet row
    path: str | None = None
    raw: bytes | None = None
    text: str | None = None
    error: str | None = None  # a Parquet row without a text


@dataclass(frozen=True, slots=True)
class Reader:
    """How a worker turns an item into text."""

    text_field: str = "text"
    encoding: str | None = None

    def load(self, item: Item) -> tuple[str | None, str | None]:
        """``(text, None)`` or ``(None, error)``; never raises on bad input."""
        if item.text is not None or item.error is not None:
            return item.text, item.error
        if item.raw is not None:
            record = next(iter_records(io.BytesIO(item.raw), self.text_field))
            return (record.text, None) if record.text is not None else (None, record.error)
        assert item.path is not None
        try:
            data = Path(item.path).read_bytes()
        except OSError as exc:
            return None, f"cannot read: {exc.strerror or exc}"
        try:
            return decode(data, self.encoding).text, None
        except DecodeError as exc:
            return None, str(exc)


def iter_items(
    sources: Iterable[Source], errors: list[str] | None = None, text_field: str = "text", start: int = 0
) -> Iterator[Item]:
    """Every document of ``sources`` in order, numbered from ``start``; a JSONL file yields one
    item per line, a Parquet file one per row (its ``text_field`` column).

    A corpus file that cannot be opened or read to its end is reported in
    ``errors`` (when given) and the other sources go on.
    """
    ordinal = start
    for source in sources:
        if is_parquet(source.path):
            try:
                for row, text, error in iter_texts(source.path, text_field):
                    yield Item(ordinal, f"{source.path}:row {row}", text=text, error=error)
                    ordinal += 1
            except OSError as exc:
                if errors is not None:
                    errors.append(f"{source.path}: cannot read: {exc}")
            continue
        if not is_jsonl(source.path):
            yield Item(ordinal, str(source.path), path=str(source.path))
            ordinal += 1
            continue
        try:
            with open_binary(source.path) as stream:
                for lineno, raw in enumerate(stream, 1):
                    if not raw.strip():
                        continue  # blank lines between records are not documents
                    yield Item(ordinal, f"{source.path}:{lineno}", raw=raw)
                    ordinal += 1
        except (OSError, EOFError, zlib.error) as exc:
            if errors is not None:
                errors.append(f"{source.path}: cannot read: {exc}")


def batched(items: Iterable[Item], largest: int, first: int = 16) -> Iterator[list[Item]]:
    """Batches of ``first`` items, doubling up to ``largest``.

    Small batches first keep every worker busy on a small corpus; large ones
    later keep the overhead per document low on a big one. The sizes depend on
    nothing but the corpus, so the batches are the same for any ``--jobs``.
    """
    iterator = iter(items)
    size = min(first, largest)
    while batch := list(islice(iterator, size)):
        yield batch
        size = min(size * 2, largest)
