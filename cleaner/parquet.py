"""Parquet corpora: one text column cleaned, every other column carried through with its type.

The file is read in batches of rows (``ParquetFile.iter_batches`` without
pre-buffering) and written with a ``ParquetWriter`` as it goes, so memory
holds a few batches and one output row group (at most ``ROW_GROUP_BYTES``)
whatever the file's size. Output row groups follow the input's: the same
rows in each, unless one is larger than ``ROW_GROUP_BYTES``, which is split.
Every text goes through :func:`cleaner.decision.decide` (via
:func:`cleaner.corpus.decide_texts`, in worker processes when ``jobs > 1``).

A null or non-string text is not an error of the file: the record is kept
unchanged and reported once per kind with a count and its first row numbers
(0-based, as pyarrow and pandas count). Writes are atomic, as for the other
formats: a temporary file beside the target replaces it at the end.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .batch import Mode, Outcome
from .corpus import REFUSED, Problems, decide_texts
from .decision import PROVENANCE_FIELD, Decision, Stats
from .engine import Cleaner
from .files import Source, forget_temp, in_place_target, keep_owner, temp_beside
from .names import shown
from .parallel import ordered_map

if TYPE_CHECKING:
    import pyarrow as pa

SUFFIX = ".parquet"
BATCH_ROWS = 512  # rows decided per task: a few MB of text, enough to amortise a worker round trip
ROW_GROUP_BYTES = 64 << 20  # an output row group is written once it holds this much
READ_BUFFER = 1 << 20  # bytes pyarrow reads at a time (no pre-buffering of whole row groups)


def is_parquet(path: Path) -> bool:
    return path.name.endswith(SUFFIX)


def pyarrow_modules() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise OSError("reading .parquet needs pyarrow: pip install 'cleaner[parquet]'") from None
    return pa, pq


def provenance_type() -> pa.DataType:
    """The provenance column's type: :meth:`Decision.provenance` as a struct, its fields typed once
    (inferring them per batch would give a null column where no record was refused)."""
    pa, _ = pyarrow_modules()
    edit = pa.struct(
        [
            ("rule", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("text", pa.string()),
            ("replacement", pa.string()),
        ]
    )
    return pa.struct(
        [
            ("version", pa.int32()),
            ("cleaner", pa.string()),
            ("rules_version", pa.string()),
            ("rules", pa.list_(pa.string())),
            ("removed_chars", pa.int64()),
            ("beyond_repair", pa.int64()),
            ("refused", pa.string()),
            ("edits", pa.list_(edit)),
        ]
    )


def _is_text_type(pa: Any, kind: pa.DataType) -> bool:
    if pa.types.is_dictionary(kind):
        return _is_text_type(pa, kind.value_type)
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind))


def iter_texts(path: Path, text_field: str = "text") -> Iterator[tuple[int, str | None, str | None]]:
    """``(row, text, None)``, or ``(row, None, problem)`` for a row without a text, for every row of ``path``.

    Raises OSError when the file cannot be read as Parquet.
    """
    pa, pq = pyarrow_modules()
    try:
        pf = pq.ParquetFile(path, pre_buffer=False, buffer_size=READ_BUFFER)
        schema = pf.schema_arrow
        index = schema.get_field_index(text_field)
        problem = None
        if index < 0:
            problem = f"no column {text_field!r}"
        elif not _is_text_type(pa, schema.field(index).type):
            problem = f"column {text_field!r} is {schema.field(index).type}, not text"
        row = 0
        for batch in pf.iter_batches(batch_size=BATCH_ROWS, use_threads=False):
            texts = [None] * batch.num_rows if problem else batch.column(index).to_pylist()
            for text in texts:
                yield row, text, None if text is not None else problem or f"{text_field!r} null"
                row += 1
    except pa.ArrowException as exc:
        raise OSError(f"not a Parquet file or a corrupt one ({exc})") from None


@dataclass(slots=True)
class _Batch:
    group: int  # the input row group it comes from
    first_row: int  # 0-based, in the file
    batch: pa.RecordBatch
    texts: list[Any]  # the text column as Python values (None where null or not text)


def open_parquet(source: Source) -> tuple[Any, Any, Any] | Outcome:
    """pyarrow, pyarrow.parquet and the file opened for streaming, or the Outcome that says why not."""
    try:
        pa, pq = pyarrow_modules()
        pf = pq.ParquetFile(source.path, pre_buffer=False, buffer_size=READ_BUFFER)
    except OSError as exc:
        return Outcome(source, error=f"cannot read: {exc.strerror or exc}")
    except pa.ArrowException as exc:
        return Outcome(source, error=f"cannot read: not a Parquet file ({exc})")
    return pa, pq, pf


def process_parquet(
    source: Source,
    cleaner: Cleaner,
    mode: Mode,
    output_dir: Path | None = None,
    *,
    text_field: str = "text",
    provenance: bool = False,
    jobs: int = 1,
    on_bytes: Callable[[int], None] | None = None,
) -> Outcome:
    """Clean ``text_field`` of every row of the Parquet file ``source``; never raises on bad input."""
    if mode is Mode.STDOUT:
        return Outcome(source, error="a Parquet file is not printed: use --output-dir, --in-place or --check")
    opened = open_parquet(source)
    if isinstance(opened, Outcome):
        return opened
    pa, pq, pf = opened
    target: Path | None = None
    if mode is Mode.IN_PLACE:
        try:
            target = Path(in_place_target(source.path))
        except OSError as exc:
            return Outcome(source, error=f"cannot write: {exc.strerror or exc}")
    elif mode is Mode.OUTPUT_DIR:
        assert output_dir is not None
        target = output_dir / source.relative
    run = _Run(pa, pf, text_field, cleaner if provenance else None)
    tmp: str | None = None
    writer: Any = None
    try:
        if target is not None:
            fd, tmp, keep = temp_beside(target, ".tmp", make_folders=True)
            os.close(fd)
            writer = pq.ParquetWriter(tmp, run.schema, compression=compression_of(pf))
        buffered: list[Any] = []  # record batches of the output row group being gathered
        group = 0
        for decisions in ordered_map(decide_texts, run.payloads(), cleaner, jobs):
            batch = run.pending.pop(0)  # read before its decisions came back
            out = run.merge(batch, decisions)
            if writer is not None:
                if buffered and (batch.group != group or sum(b.nbytes for b in buffered) >= ROW_GROUP_BYTES):
                    _write_group(pa, writer, buffered)
                    buffered = []
                buffered.append(out)
                group = batch.group
            if on_bytes is not None:
                on_bytes(run.bytes_of(batch))
        if writer is not None:
            if buffered:
                _write_group(pa, writer, buffered)
            writer.close()
            assert target is not None and tmp is not None
            if mode is Mode.IN_PLACE and not run.changed:
                os.unlink(tmp)  # nothing changed: leave the file untouched
            else:
                if not run.changed:
                    shutil.copyfile(source.path, tmp)  # an unchanged corpus is copied byte for byte
                if mode is Mode.IN_PLACE:
                    with open(tmp, "rb") as fh:
                        os.fsync(fh.fileno())  # the original is about to be replaced
                    keep_owner(tmp, target)
                if keep is not None:
                    os.chmod(tmp, keep)
                os.replace(tmp, target)
    except pa.ArrowException as exc:
        return run.outcome(source, error=f"cannot read: {exc}", written=False)
    except OSError as exc:
        where = f" {shown(target)}" if target is not None and target != source.path else ""
        return run.outcome(source, error=f"cannot write{where}: {exc.strerror or exc}", written=False)
    finally:
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.close()
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            forget_temp(tmp)
    return run.outcome(source)


def _write_group(pa: Any, writer: Any, batches: list[pa.RecordBatch]) -> None:
    """``batches`` as one row group."""
    table = pa.Table.from_batches(batches)
    writer.write_table(table, row_group_size=max(1, table.num_rows))


def compression_of(pf: Any) -> str:
    """The input's codec, so the output is about as large (snappy, pyarrow's default, when unknown)."""
    meta = pf.metadata
    if meta.num_row_groups and meta.num_columns:
        codec = str(meta.row_group(0).column(0).compression).lower()
        if codec in ("snappy", "gzip", "brotli", "lz4", "zstd", "none", "uncompressed"):
            return "none" if codec == "uncompressed" else codec
    return "snappy"


class _Run:
    """One file's schema, batches and counts."""

    def __init__(self, pa: Any, pf: Any, text_field: str, provenance: Cleaner | None) -> None:
        self.pa, self.pf, self.field, self.provenance = pa, pf, text_field, provenance
        schema = pf.schema_arrow
        self.index = schema.get_field_index(text_field)  # -1 when absent
        self.column_problem: str | None = None
        if self.index < 0:
            self.column_problem = f"no column {text_field!r}, copied unchanged"
        elif not _is_text_type(pa, schema.field(self.index).type):
            kind = schema.field(self.index).type
            self.column_problem = f"column {text_field!r} is {kind}, not text; copied unchanged"
        if provenance is not None:
            # A file cleaned before gets its audit column replaced, not a second one.
            at = schema.get_field_index(PROVENANCE_FIELD)
            if at >= 0:
                schema = schema.remove(at)
            schema = schema.append(pa.field(PROVENANCE_FIELD, provenance_type()))
        self.schema = schema
        self.stats = Stats()
        self.problems = Problems("row")
        self.records = 0
        self.changed = False
        meta = pf.metadata
        self.group_bytes = [
            sum(meta.row_group(i).column(j).total_compressed_size for j in range(meta.num_columns))
            for i in range(meta.num_row_groups)
        ]
        self.group_rows = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        self.pending: list[_Batch] = []  # read, not yet merged (ordered_map reads a few ahead)

    def _read(self) -> Iterator[_Batch]:
        row = 0
        for group in range(self.pf.num_row_groups):
            for batch in self.pf.iter_batches(batch_size=BATCH_ROWS, row_groups=[group], use_threads=False):
                texts = [None] * batch.num_rows if self.column_problem else batch.column(self.index).to_pylist()
                yield _Batch(group, row, batch, texts)
                row += batch.num_rows

    def payloads(self) -> Iterator[list[str]]:
        """The texts to decide, batch by batch (the batches wait in ``pending`` for their decisions)."""
        for batch in self._read():
            self.pending.append(batch)
            yield [t for t in batch.texts if isinstance(t, str)]

    def bytes_of(self, batch: _Batch) -> int:
        rows = self.group_rows[batch.group] or 1
        return int(self.group_bytes[batch.group] * batch.batch.num_rows // rows)

    def merge(self, batch: _Batch, decisions: list[Decision | str]) -> pa.RecordBatch:
        """``batch`` with its cleaned texts (and audit column); counts and problems added."""
        pa = self.pa
        self.records += batch.batch.num_rows
        out_texts: list[Any] = []
        audits: list[dict[str, Any] | None] = []
        changed = False
        it = iter(decisions)
        for offset, text in enumerate(batch.texts):
            if not isinstance(text, str):
                kind = self.column_problem or f"{self.field!r} null, copied unchanged"
                self.problems.add(kind, batch.first_row + offset)
                out_texts.append(text)
                audits.append(None)
                continue
            decision = next(it)
            if isinstance(decision, str):  # no decision (a rule ran past its time budget): kept as it was
                self.problems.add(decision.replace("; left unchanged", ", copied unchanged"), batch.first_row + offset)
                out_texts.append(text)
                audits.append(None)
                continue
            self.stats.add(decision, len(text))
            if decision.refused:
                self.problems.add(f"refused by the removal guard ({REFUSED}), left unchanged", batch.first_row + offset)
            changed = changed or decision.changed
            out_texts.append(decision.text)
            audits.append(decision.provenance(self.provenance) if self.provenance is not None else None)
        columns = list(batch.batch.columns)
        names = list(batch.batch.schema.names)
        if changed:
            kind = batch.batch.schema.field(self.index).type
            if pa.types.is_dictionary(kind):
                columns[self.index] = pa.array(out_texts, type=kind.value_type).cast(kind)
            else:
                columns[self.index] = pa.array(out_texts, type=kind)
        if self.provenance is not None:
            if PROVENANCE_FIELD in names:
                at = names.index(PROVENANCE_FIELD)
                del columns[at], names[at]
            columns.append(pa.array(audits, type=provenance_type()))
        self.changed = self.changed or changed or self.provenance is not None
        return pa.RecordBatch.from_arrays(columns, schema=self.schema)

    def outcome(self, source: Source, error: str | None = None, written: bool = True) -> Outcome:
        # A file that could not be written (or read to its end) reports no removals.
        stats = self.stats if written else replace(self.stats, changed=0, chars_removed=0, rules={})
        try:
            size = source.path.stat().st_size
        except OSError:
            size = 0
        return Outcome(
            source,
            error=error,
            changed=self.changed and written,
            size=size,
            stats=stats,
            records=self.records,
            problems=self.problems.messages(),
            problem_count=self.problems.total,
        )
