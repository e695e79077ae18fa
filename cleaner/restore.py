"""Undoing a clean: the original texts of a corpus cleaned with ``--provenance``.

Each record's audit (:data:`cleaner.decision.PROVENANCE_FIELD`) holds its
edits in original offsets with the text each took away, so
:func:`cleaner.decision.undo` rebuilds the original from the cleaned text
alone. A JSONL record gets its text back and loses the audit field, written in
the style of its line; a Parquet file gets its text column back and loses the
audit column, every other column as it was. A record without an audit (a line
the clean copied through as malformed) is copied as it is and reported; one
whose audit does not match its text is left as it is and reported.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO

from .batch import Mode, Outcome
from .corpus import Problems
from .decision import PROVENANCE_FIELD, undo
from .files import Source, forget_temp, in_place_target, keep_owner, temp_beside
from .jsonl import dump_record, is_gzip, iter_records, open_binary
from .names import shown
from .parquet import BATCH_ROWS, compression_of, is_parquet, open_parquet

NO_AUDIT = f"no {PROVENANCE_FIELD}, copied unchanged"
MISMATCH = f"{PROVENANCE_FIELD} does not match the text, left unchanged"


def restore_record(data: dict[str, Any], text_field: str = "text") -> tuple[dict[str, Any], str | None]:
    """``data`` as it was before the clean, or ``data`` itself and why it cannot be undone."""
    audit = data.get(PROVENANCE_FIELD)
    text = data.get(text_field)
    if not isinstance(audit, dict) or not isinstance(text, str):
        return data, NO_AUDIT
    try:
        original = undo(text, audit)
    except (ValueError, KeyError, TypeError):
        return data, MISMATCH
    out = {k: v for k, v in data.items() if k != PROVENANCE_FIELD}
    out[text_field] = original
    return out, None


class _Counts:
    def __init__(self, unit: str) -> None:
        self.records = self.restored = 0
        self.problems = Problems(unit)

    def outcome(self, source: Source, size: int, error: str | None = None) -> Outcome:
        return Outcome(
            source,
            error=error,
            changed=self.restored > 0 and error is None,
            size=size,
            records=self.records,
            problems=self.problems.messages(),
            problem_count=self.problems.total,
        )


@contextlib.contextmanager
def _replacing(target: Path, durable: bool) -> Iterator[str]:
    """A temporary file beside ``target`` that replaces it when the block ends without an error."""
    fd, tmp, keep = temp_beside(target, ".tmp.gz" if is_gzip(target) else ".tmp", make_folders=True)
    os.close(fd)
    try:
        yield tmp
        if durable:
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            keep_owner(tmp, target)
        if keep is not None:
            os.chmod(tmp, keep)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        forget_temp(tmp)


def _target(source: Source, mode: Mode, output_dir: Path | None) -> Path | None:
    if mode is Mode.IN_PLACE:
        return Path(in_place_target(source.path))
    if mode is Mode.OUTPUT_DIR:
        assert output_dir is not None
        return output_dir / source.relative
    return None


def restore_file(
    source: Source,
    mode: Mode,
    output_dir: Path | None = None,
    *,
    text_field: str = "text",
    sink: BinaryIO | None = None,
) -> Outcome:
    """Undo the clean of one JSONL (``.jsonl``, ``.gz``, ``.zst``) or Parquet file; never raises on bad input.

    ``mode``: STDOUT (JSONL only, to ``sink``), IN_PLACE or OUTPUT_DIR (mirrored under ``output_dir``).
    """
    try:
        size = source.path.stat().st_size
        target = _target(source, mode, output_dir)
    except OSError as exc:
        return Outcome(source, error=f"cannot read: {exc.strerror or exc}")
    if is_parquet(source.path):
        return _restore_parquet(source, target, mode, text_field, size)
    counts = _Counts("line")
    where = f" {shown(target)}" if target is not None and target != source.path else ""
    try:
        reader = open_binary(source.path)
    except OSError as exc:
        return Outcome(source, error=f"cannot read: {exc.strerror or exc}")
    try:
        with reader:
            if target is None:
                assert sink is not None
                _restore_lines(reader, sink, text_field, counts)
            else:
                with (
                    _replacing(target, durable=mode is Mode.IN_PLACE) as tmp,
                    open_binary(Path(tmp), "wb", like=target) as writer,
                ):
                    _restore_lines(reader, writer, text_field, counts)
    except _ReadError as exc:
        return counts.outcome(source, size, f"cannot read: {exc}")
    except OSError as exc:
        return counts.outcome(source, size, f"cannot write{where}: {exc.strerror or exc}")
    return counts.outcome(source, size)


class _ReadError(Exception):
    pass


def _lines(reader: IO[bytes]) -> Iterator[bytes]:
    it = iter(reader)
    while True:
        try:
            line = next(it)
        except StopIteration:
            return
        except (EOFError, OSError) as exc:  # a truncated or corrupt .gz/.zst
            raise _ReadError(str(exc)) from None
        yield line


def _restore_lines(reader: IO[bytes], writer: IO[bytes] | BinaryIO, text_field: str, counts: _Counts) -> None:
    for record in iter_records(_lines(reader), text_field):
        counts.records += 1
        if record.data is None:
            if record.raw.strip():
                counts.problems.add(NO_AUDIT, record.lineno)
            writer.write(record.raw)
            continue
        data, problem = restore_record(record.data, text_field)
        if problem is not None:
            counts.problems.add(problem, record.lineno)
            writer.write(record.raw)
            continue
        counts.restored += 1
        writer.write(dump_record(data, record.raw))


def _restore_parquet(source: Source, target: Path | None, mode: Mode, text_field: str, size: int) -> Outcome:
    if target is None:
        return Outcome(source, error="a Parquet file is not printed: use --output-dir or --in-place")
    counts = _Counts("row")
    opened = open_parquet(source)
    if isinstance(opened, Outcome):
        return opened
    pa, pq, pf = opened
    schema = pf.schema_arrow
    text_at, audit_at = schema.get_field_index(text_field), schema.get_field_index(PROVENANCE_FIELD)
    if text_at < 0 or audit_at < 0:
        missing = text_field if text_at < 0 else PROVENANCE_FIELD
        return Outcome(source, error=f"no column {missing!r}: nothing to undo", size=size)
    out_schema = schema.remove(audit_at)
    kind = schema.field(text_at).type
    row = 0
    try:
        with _replacing(target, durable=mode is Mode.IN_PLACE) as tmp:
            writer = pq.ParquetWriter(tmp, out_schema, compression=compression_of(pf))
            try:
                for group in range(pf.num_row_groups):
                    pieces = []
                    for batch in pf.iter_batches(batch_size=BATCH_ROWS, row_groups=[group], use_threads=False):
                        texts = batch.column(text_at).to_pylist()
                        audits = batch.column(audit_at).to_pylist()
                        for i, (text, audit) in enumerate(zip(texts, audits)):
                            counts.records += 1
                            data, problem = restore_record({text_field: text, PROVENANCE_FIELD: audit}, text_field)
                            if problem is not None:
                                counts.problems.add(problem, row + i)
                                continue
                            counts.restored += 1
                            texts[i] = data[text_field]
                        row += batch.num_rows
                        columns = list(batch.columns)
                        if pa.types.is_dictionary(kind):
                            columns[text_at] = pa.array(texts, type=kind.value_type).cast(kind)
                        else:
                            columns[text_at] = pa.array(texts, type=kind)
                        del columns[audit_at]
                        pieces.append(pa.RecordBatch.from_arrays(columns, schema=out_schema))
                    if pieces:  # one row group out per row group in, as the clean wrote them
                        table = pa.Table.from_batches(pieces)
                        writer.write_table(table, row_group_size=max(1, table.num_rows))
            finally:
                writer.close()
    except pa.ArrowException as exc:
        return counts.outcome(source, size, f"cannot read: {exc}")
    except OSError as exc:
        where = f" {shown(target)}" if target != source.path else ""
        return counts.outcome(source, size, f"cannot write{where}: {exc.strerror or exc}")
    return counts.outcome(source, size)
