"""``cleaner clean --engine ray``: a folder of Parquet or JSONL files through Ray Data, Parquet out."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import click

from ..summary import Summary
from .common import EXIT_ERROR, EXIT_OK, err, prepare, shown
from .progress import print_rule_table

PARQUET = (".parquet",)
JSONL = (".jsonl", ".jsonl.gz", ".jsonl.zst")
RAY_INCLUDE = ("*.parquet", "*.jsonl", "*.jsonl.gz", "*.jsonl.zst")


def clean_with_ray(options: dict[str, Any], output_dir: Path) -> None:
    """Read every Parquet/JSONL file under PATHS with Ray Data, clean, write Parquet under ``output_dir``."""
    try:
        import ray
        import ray.data
        from pyarrow import fs as pafs

        from ..ray import clean_dataset, write_parquet
    except ImportError as exc:
        err(f"error: --engine ray needs the ray extra (pip install 'cleaner[ray]'): {exc}")
        raise click.exceptions.Exit(EXIT_ERROR) from None
    if not options["include"]:
        options = {**options, "include": RAY_INCLUDE}  # Ray reads tables: no .txt files
    run_ = prepare(options, output_dir=output_dir)
    paths = [s.path for s in run_.sources]
    parquet = [str(p) for p in paths if p.name.endswith(PARQUET)]
    jsonl = [str(p) for p in paths if p.name.endswith(JSONL)]
    others = [p for p in paths if str(p) not in parquet and str(p) not in jsonl]
    for path in others:
        err(f"error: {shown(path)}: --engine ray reads Parquet and JSONL files only")
    if not parquet and not jsonl:
        err("error: no Parquet or JSONL file to clean")
        raise click.exceptions.Exit(EXIT_ERROR)
    earlier = sorted(output_dir.glob("part-*.parquet"))
    if earlier:
        # Ray names its output files by task; an earlier run's parts would mix with this run's.
        err(f"error: {shown(output_dir)} holds part files of an earlier run ({earlier[0].name}…); use an empty folder")
        raise click.exceptions.Exit(EXIT_ERROR)
    address = options["ray_address"]
    # Ray's own status lines would bury the summary; its warnings and errors still show.
    os.environ.setdefault("RAY_DATA_DISABLE_PROGRESS_BARS", "1")
    if address:
        ray.init(address=address, logging_level=logging.WARNING, log_to_driver=False)
    else:
        ray.init(num_cpus=run_.jobs, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False)
    logging.getLogger("ray.data").setLevel(logging.WARNING)  # Ray Data logs each stage at INFO
    try:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.execution_options.preserve_order = True  # the output keeps the input's record order
        local = pafs.LocalFileSystem()  # not fsspec's: its HTTP filesystem fails to import for local paths
        parts = []
        if parquet:
            parts.append(ray.data.read_parquet(parquet, filesystem=local))
        if jsonl:
            parts.append(ray.data.read_json(jsonl, filesystem=local))
        ds = parts[0] if len(parts) == 1 else parts[0].union(*parts[1:])
        cleaner = run_.cleaner.with_guard(run_.max_removal)
        try:
            cleaned = clean_dataset(
                ds,
                run_.text_field,
                cleaner,
                options["provenance"],
                stats=True,
                concurrency=None if address else run_.jobs,
            )
            stats, missing, records = write_parquet(cleaned, str(output_dir.resolve()))
        except ValueError as exc:
            err(f"error: {exc}")
            raise click.exceptions.Exit(EXIT_ERROR) from None
    finally:
        ray.shutdown()
    summary = Summary(
        changed=len(parquet) + len(jsonl),
        skipped=len(run_.missing),
        failed=len(others),
        records=records,
        records_changed=stats.changed,
        problems=missing + stats.refused,
        stats=stats,
    )
    if options["report"] is not None:
        summary.write_json(options["report"])
    if not options["quiet"]:
        if missing:
            err(
                f"warning: {missing} record(s) copied unchanged: no {run_.text_field!r} text,"
                " or a rule ran past its time budget on it"
            )
        if stats.refused:
            err(f"refused: {stats.refused} record(s) losing more than --max-removal, left unchanged")
        err(summary.line(f"read with Ray, cleaned into {shown(output_dir)}"))
        print_rule_table(summary)
    failed = summary.skipped or summary.failed or summary.problems
    raise click.exceptions.Exit(EXIT_ERROR if failed else EXIT_OK)
