"""Cleaning a JSONL corpus as a stream: one field per record, everything else kept.

Records are read in batches, cleaned (in worker processes when ``jobs > 1``)
and written in order to a temporary file that replaces the target at the end,
so an interrupted run never leaves half a corpus. Memory holds a bounded
number of batches whatever the corpus size.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, BinaryIO

from .batch import Mode, Outcome
from .budget import RuleTimeout
from .decision import PROVENANCE_FIELD, Decision, Stats, decide
from .engine import Cleaner
from .files import Source, forget_temp, in_place_target, keep_owner, temp_beside
from .jsonl import Record, dump_record, is_gzip, iter_records, open_binary
from .names import shown
from .parallel import ordered_map
from .zstd import TruncatedZstd

BATCH_RECORDS = 256


def decide_texts(cleaner: Cleaner, texts: list[str]) -> list[Decision | str]:
    """Each text's decision, or why it has none (a rule ran past its time budget: copied unchanged).

    A module-level function, so that worker processes can run it (JSONL and Parquet alike).
    """
    out: list[Decision | str] = []
    for text in texts:
        try:
            out.append(decide(cleaner, text))
        except RuleTimeout as exc:
            out.append(str(exc))
    return out


def _batches(records: Iterator[Record], size: int) -> Iterator[list[Record]]:
    batch: list[Record] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def process_jsonl(
    source: Source,
    cleaner: Cleaner,
    mode: Mode,
    output_dir: Path | None = None,
    *,
    text_field: str = "text",
    provenance: bool = False,
    jobs: int = 1,
    sink: BinaryIO | None = None,
    stdin: BinaryIO | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> Outcome:
    """Clean every record's ``text_field``; malformed lines are reported and copied through."""
    target: Path | None = None
    if mode is Mode.IN_PLACE:
        try:
            target = Path(in_place_target(source.path))  # through a symbolic link; not a hard-linked file
        except OSError as exc:
            return Outcome(source, error=f"cannot write: {exc.strerror or exc}")
    elif mode is Mode.OUTPUT_DIR:
        assert output_dir is not None
        target = output_dir / source.relative
    try:
        reader: IO[bytes] | _Reading = stdin if stdin is not None else _Reading(open_binary(source.path))
    except OSError as exc:
        return Outcome(source, error=f"cannot read: {exc.strerror or exc}")
    writer: IO[bytes] | None = None
    tmp: str | None = None
    keep: int | None = None  # the mode of the file the output replaces
    stats = _Stats()
    try:
        if target is not None:
            # The temporary file is compressed as the target is (by the target's name).
            fd, tmp, keep = temp_beside(target, ".tmp.gz" if is_gzip(target) else ".tmp", make_folders=True)
            os.close(fd)
            writer = open_binary(Path(tmp), "wb", like=target)
        elif mode is Mode.STDOUT:
            writer = sink
        with reader:
            batches = _batches(iter_records(reader, text_field), BATCH_RECORDS)

            def payloads() -> Iterator[list[str]]:
                for batch in batches:
                    pending.append(batch)
                    yield [r.text for r in batch if r.text is not None]

            pending: list[list[Record]] = []
            for decisions in ordered_map(decide_texts, payloads(), cleaner, jobs):
                batch = pending.pop(0)
                lines = stats.merge(batch, iter(decisions), text_field, cleaner if provenance else None)
                if on_bytes is not None:
                    on_bytes(sum(len(r.raw) for r in batch))
                if writer is not None:
                    writer.write(b"".join(lines))
        if writer is not None and writer is not sink:
            writer.close()
            assert target is not None and tmp is not None
            if mode is Mode.IN_PLACE and not stats.changed:
                os.unlink(tmp)  # nothing changed: leave the file untouched
            else:
                if mode is Mode.IN_PLACE:
                    _flush_to_disk(tmp)  # the original is about to be replaced
                    keep_owner(tmp, target)
                if keep is not None:
                    os.chmod(tmp, keep)  # after chown, which clears set-id bits
                os.replace(tmp, target)
    except ReadError as exc:
        # A truncated or corrupt .gz or .zst, a plain file named so: this file fails, the run goes on.
        return stats.outcome(source, error=f"cannot read: {exc}", written=False)
    except OSError as exc:
        where = f" {shown(target)}" if target is not None and target != source.path else ""
        return stats.outcome(source, error=f"cannot write{where}: {exc.strerror or exc}", written=False)
    finally:
        if writer is not None and writer is not sink:
            writer.close()
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            forget_temp(tmp)
    return stats.outcome(source)


class ReadError(Exception):
    """Reading the corpus failed (not writing it): a truncated or corrupt gzip or zstd stream, an I/O error."""


class _Reading:
    """Wraps the corpus reader so a failure while reading is told apart from one while writing."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw

    def __iter__(self) -> Iterator[bytes]:
        it = iter(self.raw)
        while True:
            try:
                line = next(it)
            except StopIteration:
                return
            except (EOFError, OSError, zlib.error) as exc:
                raise ReadError(read_message(exc)) from None
            yield line

    def __enter__(self) -> _Reading:
        return self

    def __exit__(self, *exc: object) -> None:
        self.raw.close()


def read_message(exc: BaseException) -> str:
    """What went wrong reading a corpus, in the words every command uses."""
    if isinstance(exc, TruncatedZstd):
        return str(exc)
    if isinstance(exc, EOFError):
        return "the compressed stream ends early (a truncated .gz)"
    if isinstance(exc, gzip.BadGzipFile) and str(exc).startswith("Not a gzipped file"):
        return f"not a gzip file ({exc})"
    if isinstance(exc, (gzip.BadGzipFile, zlib.error)):  # a failed CRC or length check, damaged deflate data
        return f"corrupt gzip data ({exc})"
    return str(getattr(exc, "strerror", None) or exc)


def _flush_to_disk(path: str) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


FIRST_LINES_SHOWN = 5
REFUSED = "losing more than --max-removal"


class Problems:
    """Problem records grouped by kind: a count and the first few line numbers each, so that
    100,000 bad lines make one message (and bounded memory), not 100,000. ``unit`` names
    where a record is: a JSONL line (1-based) or a Parquet row (0-based, as pyarrow counts)."""

    def __init__(self, unit: str = "line") -> None:
        self.unit = unit
        self.kinds: dict[str, list[int]] = {}
        self.counts: dict[str, int] = {}

    def add(self, kind: str, lineno: int) -> None:
        lines = self.kinds.setdefault(kind, [])
        if len(lines) < FIRST_LINES_SHOWN:
            lines.append(lineno)
        self.counts[kind] = self.counts.get(kind, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def messages(self) -> tuple[str, ...]:
        out = []
        for kind, lines in self.kinds.items():
            n = self.counts[kind]
            if n == 1:
                out.append(f"{self.unit} {lines[0]}: {kind}")
                continue
            where = ", ".join(map(str, lines)) + (", …" if n > len(lines) else "")
            out.append(f"{n} records: {kind} ({self.unit}s {where})")
        return tuple(out)


class _Stats:
    """A corpus's counts as its records go by: the records' Stats, the problems, whether any line changed."""

    def __init__(self) -> None:
        self.size = self.records = 0
        self.stats = Stats()
        self.problems = Problems()
        self.changed = False

    def merge(
        self, batch: list[Record], decisions: Iterator[Decision | str], field: str, provenance: Cleaner | None
    ) -> list[bytes]:
        """The output lines of ``batch``; ``provenance``: the cleaner whose audit each record gets."""
        lines: list[bytes] = []
        for record in batch:
            self.size += len(record.raw)
            self.records += 1
            if record.text is None or record.data is None:
                if record.error != "empty line" or record.raw.strip():
                    self.problems.add(f"{_kind_of(record.error)}, copied unchanged", record.lineno)
                lines.append(record.raw)
                continue
            decision = next(decisions)
            if isinstance(decision, str):  # no decision: the record goes through as it was
                self.problems.add(decision.replace("; left unchanged", ", copied unchanged"), record.lineno)
                lines.append(record.raw)
                continue
            self.stats.add(decision, len(record.text))
            if decision.refused:
                self.problems.add(f"refused by the removal guard ({REFUSED}), left unchanged", record.lineno)
            if not decision.changed and not provenance:
                lines.append(record.raw)  # untouched records keep their exact bytes
                continue
            data = dict(record.data)
            data[field] = decision.text
            if provenance:
                data[PROVENANCE_FIELD] = decision.provenance(provenance)
            new = dump_record(data, record.raw)
            self.changed = self.changed or new != record.raw
            lines.append(new)
        return lines

    def outcome(self, source: Source, error: str | None = None, written: bool = True) -> Outcome:
        # A file that could not be written (or read to its end) reports no removals.
        stats = self.stats if written else replace(self.stats, changed=0, chars_removed=0, rules={})
        return Outcome(
            source,
            error=error,
            changed=self.changed and written,
            size=self.size,
            stats=stats,
            records=self.records,
            problems=self.problems.messages(),
            problem_count=self.problems.total,
        )


def _kind_of(error: str | None) -> str:
    """A problem's kind, without the details that differ from line to line (a JSON error's position)."""
    if error is None:
        return "malformed"
    if error.startswith("not JSON"):
        return "not JSON"
    return error
