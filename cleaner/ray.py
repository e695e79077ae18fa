"""Ray Data engine: clean a ``ray.data.Dataset`` with ``map_batches``, every column kept.

Each batch goes through :func:`cleaner.adapters.texts.clean_texts`, that is
:func:`cleaner.decision.decide` per record, so a record comes out exactly as
the single-process CLI writes it. The cleaner travels to the workers as its
rule specs and compiles once per actor (a class-based callable in an actor
pool), not once per batch.

Stats ride along as a column: with ``stats=True`` the first row of every batch
carries that batch's :class:`~cleaner.decision.Stats` as JSON (the other rows
null). Rows are never split or duplicated by Ray's re-blocking, so the sum of
the column is the whole run's stats; :func:`write_parquet` drops it and returns
the sum, :func:`dataset_stats` sums it without writing.

Needs the ``ray`` extra (``pip install 'cleaner[ray]'``).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq
import ray
import ray.data
from ray.data.datasource import Datasink

from .adapters.texts import clean_texts, stats_from_dict

# Ray Data imports fsspec's HTTP filesystem from several listing threads at once; imported here
# first, in one thread, the module is whole before they look (see the ray extra's aiohttp).
with contextlib.suppress(ImportError):
    importlib.import_module("fsspec.implementations.http")
from .decision import PROVENANCE_FIELD, Stats
from .engine import Cleaner

if TYPE_CHECKING:
    from ray.data import Dataset

STATS_FIELD = "_cleaner_stats"  # the per-batch stats column (stats=True); dropped by write_parquet
BATCH_SIZE = 256  # records per batch: large enough that Ray's per-batch cost is small beside the cleaning


class _CleanBatch:
    """The ``map_batches`` callable: built once per actor, so the rules compile once per worker."""

    def __init__(self, cleaner: Cleaner, text_field: str, provenance: bool, stats: bool) -> None:
        self.cleaner, self.text_field, self.provenance, self.stats = cleaner, text_field, provenance, stats

    def __call__(self, table: pa.Table) -> pa.Table:
        index = table.schema.get_field_index(self.text_field)
        column = table.schema.field(index)
        done = clean_texts(self.cleaner, table.column(index).to_pylist(), provenance=self.provenance)
        table = table.set_column(index, column, pa.array(done.texts, type=column.type))
        if done.provenance is not None:
            table = _put(table, PROVENANCE_FIELD, pa.array(done.provenance, type=pa.string()))
        if self.stats:
            first = json.dumps({**done.stats.as_dict(), "missing": done.missing + done.timed_out})
            rows = [first] + [None] * (table.num_rows - 1) if table.num_rows else []
            table = _put(table, STATS_FIELD, pa.array(rows, type=pa.string()))
        return table


def _put(table: pa.Table, name: str, values: pa.Array) -> pa.Table:
    """Set or add the column ``name``."""
    index = table.schema.get_field_index(name)
    if index >= 0:
        return table.set_column(index, name, values)
    return table.append_column(name, values)


def clean_dataset(
    ds: Dataset,
    text_field: str = "text",
    cleaner: Cleaner | None = None,
    provenance: bool = False,
    *,
    stats: bool = False,
    batch_size: int = BATCH_SIZE,
    concurrency: int | None = None,
) -> Dataset:
    """``ds`` with ``text_field`` cleaned in every record; every other column kept, with its type.

    ``cleaner``: the bundled rules with the default removal guard when None (as
    ``cleaner clean``). ``provenance`` adds the ``cleaner_provenance`` column (the
    audit of each record as JSON, enough to undo). ``stats`` adds the per-batch
    stats column that :func:`write_parquet` and :func:`dataset_stats` sum.
    ``concurrency``: the number of actors (default: the cluster's CPUs).
    """
    names = ds.schema().names if ds.schema() is not None else []
    if text_field not in names:
        raise ValueError(f"the dataset has no column {text_field!r} (columns: {', '.join(names) or 'none'})")
    if STATS_FIELD in names:
        raise ValueError(f"the dataset already has a {STATS_FIELD!r} column")
    if concurrency is None:
        concurrency = max(1, int(ray.cluster_resources().get("CPU", 1)))  # type: ignore[no-untyped-call, unused-ignore]  # typed only where ray is installed
    return ds.map_batches(
        _CleanBatch,
        fn_constructor_args=(cleaner if cleaner is not None else Cleaner(), text_field, provenance, stats),
        batch_format="pyarrow",
        batch_size=batch_size,
        # An autoscaling pool: a fixed one as large as the cluster would hold every CPU
        # and starve the tasks around it (reads, a repartition), which then never run.
        compute=ray.data.ActorPoolStrategy(min_size=1, max_size=concurrency),
        zero_copy_batch=True,
    )


def _sum_stats(values: Iterable[str | None], into: Stats) -> int:
    """Add the JSON stats in ``values`` into ``into``; the records without a text they counted."""
    missing = 0
    for value in values:
        if value is not None:
            data = json.loads(value)
            missing += int(data.pop("missing", 0))
            into.merge(stats_from_dict(data))
    return missing


def dataset_stats(ds: Dataset) -> Stats:
    """The sum of the stats column of a dataset cleaned with ``stats=True`` (this runs it)."""
    total = Stats()
    for batch in ds.select_columns([STATS_FIELD]).iter_batches(batch_format="pyarrow", batch_size=None):
        assert isinstance(batch, pa.Table)
        _sum_stats(batch.column(STATS_FIELD).to_pylist(), total)
    return total


class _StatsParquetSink(Datasink[tuple[Stats, int, int]]):  # type: ignore[misc, unused-ignore]
    """Writes each write task's blocks as one Parquet file and returns the stats it dropped.

    Ray's own ``write_parquet`` returns nothing; a write task's return value is the
    one channel Ray Data offers back to the driver, and only successful tasks count.
    """

    def __init__(self, path: str, filesystem: pafs.FileSystem | None) -> None:
        if filesystem is None:
            filesystem, path = pafs.FileSystem.from_uri(path) if "://" in path else (pafs.LocalFileSystem(), path)
        self.filesystem, self.path = filesystem, path.rstrip("/")
        self.run_id = uuid.uuid4().hex[:8]
        self.result: tuple[Stats, int, int] = (Stats(), 0, 0)

    def on_write_start(self, schema: Any = None) -> None:
        self.filesystem.create_dir(self.path, recursive=True)

    def write(self, blocks: Iterable[Any], ctx: Any) -> tuple[Stats, int, int]:
        stats, missing, rows = Stats(), 0, 0
        writer: pq.ParquetWriter | None = None
        name = f"{self.path}/part-{self.run_id}-{ctx.task_idx:05d}.parquet"
        try:
            for block in blocks:
                table = pa.table(block) if not isinstance(block, pa.Table) else block
                if table.num_rows == 0:
                    continue
                if STATS_FIELD in table.schema.names:
                    missing += _sum_stats(table.column(STATS_FIELD).to_pylist(), stats)
                    table = table.drop_columns([STATS_FIELD])
                if writer is None:
                    writer = pq.ParquetWriter(name, table.schema, filesystem=self.filesystem)
                writer.write_table(table.cast(writer.schema))
                rows += table.num_rows
        finally:
            if writer is not None:
                writer.close()
        return stats, missing, rows

    def on_write_complete(self, write_result: Any) -> None:
        total, missing, rows = Stats(), 0, 0
        for stats, m, r in write_result.write_returns:
            total.merge(stats)
            missing += m
            rows += r
        self.result = (total, missing, rows)


def write_parquet(ds: Dataset, path: str, *, filesystem: pafs.FileSystem | None = None) -> tuple[Stats, int, int]:
    """Write a cleaned dataset as Parquet files under ``path``: (stats, records left as they came, records).

    Records left as they came have no text, or one a user's rule ran past its time budget on.

    The stats column (``clean_dataset(..., stats=True)``) is summed and left out
    of the files. ``path`` is a local folder or a URI pyarrow knows (s3://…).
    """
    sink = _StatsParquetSink(path, filesystem)
    # Writing is light beside cleaning: the write tasks take no CPU slot from the cleaning actors,
    # or they would wait for the actors to finish and the run would not stream.
    ds.write_datasink(sink, ray_remote_args={"num_cpus": 0})
    return sink.result
