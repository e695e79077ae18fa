"""``cleaner undo``: give a corpus cleaned with --provenance its original texts back."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..batch import Mode
from ..jsonl import is_jsonl
from ..parquet import is_parquet
from .common import EXIT_ERROR, EXIT_OK, STDIN, collect_sources, err, shown

CORPORA = ("*.jsonl", "*.jsonl.gz", "*.jsonl.zst", "*.parquet")


@click.command("undo")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--in-place", "-i", is_flag=True, help="Rewrite the files (atomically) instead of printing.")
@click.option(
    "--output-dir",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the restored copies here, mirroring the inputs.",
)
@click.option("--text-field", default="text", show_default=True, help="The field (column) the clean changed.")
def undo_command(paths: tuple[Path, ...], in_place: bool, output_dir: Path | None, text_field: str) -> None:
    """Restore the original texts of JSONL (.jsonl/.gz/.zst) or Parquet files cleaned with --provenance.

    Each record's cleaner_provenance holds the spans its clean removed; the text is rebuilt from them and the
    audit field (column) is dropped. JSONL is printed unless --in-place or --output-dir is given.
    """
    if in_place and output_dir is not None:
        raise click.UsageError("choose one of --in-place and --output-dir")
    if STDIN in paths:
        raise click.UsageError("give the corpus as files or folders (stdin is not read)")
    from ..restore import restore_file

    mode = Mode.IN_PLACE if in_place else Mode.OUTPUT_DIR if output_dir is not None else Mode.STDOUT
    found, missing = collect_sources(paths, CORPORA, (), output_dir=output_dir)
    failed = bool(missing)
    files = records = restored = 0
    for source in found:
        name = shown(source.path)
        if not (is_jsonl(source.path) or is_parquet(source.path)):
            err(f"error: {name}: not a JSONL or Parquet corpus")
            failed = True
            continue
        outcome = restore_file(source, mode, output_dir, text_field=text_field, sink=sys.stdout.buffer)
        sys.stdout.buffer.flush()
        files += 1
        records += outcome.records
        restored += outcome.records - outcome.problem_count if outcome.error is None else 0
        if outcome.error is not None:
            err(f"error: {name}: {outcome.error}")
            failed = True
        for problem in outcome.problems:
            err(f"warning: {name}: {problem}")
        failed = failed or outcome.problem_count > 0
    if mode is not Mode.STDOUT:
        err(f"{restored} of {records} record(s) restored in {files} file(s).")
    raise click.exceptions.Exit(EXIT_ERROR if failed else EXIT_OK)
