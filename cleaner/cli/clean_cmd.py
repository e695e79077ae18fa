"""``cleaner clean``: print, rewrite, mirror or check files, folders and JSONL corpora."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..batch import DEFAULT_MAX_REMOVAL, Mode
from ..files import end_on_sigterm
from ..summary import Summary
from .common import (
    EXIT_CHANGES,
    EXIT_ERROR,
    EXIT_OK,
    SHARE,
    STDIN,
    err,
    input_options,
    prepare,
    report_stale,
    rule_options,
    selection_options,
    shown,
)
from .progress import print_rule_table, progress_bar


@click.command()
@input_options
@click.option("--in-place", "-i", is_flag=True, help="Rewrite files (atomically) instead of printing.")
@click.option(
    "--output-dir",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write cleaned copies here, mirroring the inputs.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change.")
@click.option("--diff", is_flag=True, help="Write nothing; preview the removals (as 'cleaner diff'); exit 1 if any.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="ray: clean Parquet/JSONL files with Ray Data into --output-dir as Parquet (the ray extra).",
)
@click.option("--ray-address", metavar="ADDRESS", help="--engine ray: join this cluster (default: start a local one).")
@click.option(
    "--max-removal",
    type=SHARE,
    help=f"Refuse to rewrite a document losing more than this share of its characters (default {DEFAULT_MAX_REMOVAL}).",
)
@click.option(
    "--provenance",
    is_flag=True,
    help="Add a per-record audit field (cleaner_provenance): rules, removed spans, versions; enough to undo.",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the run's summary and per-file counts as JSON.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary on stderr.")
@click.option(
    "--remove-stale", is_flag=True, help="Remove the temporary files that killed runs left beside the inputs."
)
@selection_options
@rule_options
def clean(**options: Any) -> None:
    """Clean PATHS (files, folders, .jsonl/.jsonl.gz/.jsonl.zst and .parquet corpora; stdin when none or '-').

    Prints the cleaned text unless --in-place, --output-dir, --check or --diff is given.
    """
    end_on_sigterm()  # a SIGTERMed run leaves no temporary file behind
    in_place, output_dir, check, diff = options["in_place"], options["output_dir"], options["check"], options["diff"]
    if sum((in_place, output_dir is not None, check, diff)) > 1:
        raise click.UsageError("choose one of --in-place, --output-dir, --check and --diff")
    mode = (
        Mode.IN_PLACE if in_place else Mode.OUTPUT_DIR if output_dir else Mode.CHECK if check or diff else Mode.STDOUT
    )
    paths = options["paths"]
    if options["engine"] == "ray" or options["ray_address"]:
        if options["engine"] != "ray" or output_dir is None or not paths or STDIN in paths:
            raise click.UsageError("--engine ray (and --ray-address) clean PATHS into --output-dir")
        from .ray_cmd import clean_with_ray

        clean_with_ray(options, output_dir)
    if (not paths or STDIN in paths) and mode in (Mode.IN_PLACE, Mode.OUTPUT_DIR):
        raise click.UsageError("stdin cannot be cleaned --in-place or into --output-dir")
    quiet = options["quiet"]
    # A live bar needs every file up front, for its total; without one, the
    # folders are walked as the workers clean, and never held in memory whole.
    bar = not quiet and sys.stderr.isatty()
    stale: list[str] = []  # temporary files killed runs left, met while walking
    run_ = prepare(options, lazy=not bar and not diff, output_dir=output_dir, stale=stale)
    if diff:
        from ..review import run_diff

        code = run_diff(
            list(run_.sources),
            run_.cleaner,
            encoding=options["encoding"],
            text_field=run_.text_field,
            max_removal=run_.max_removal,
            quiet=quiet,
            missing=run_.missing,
        )
        raise click.exceptions.Exit(code)
    from ..runner import Settings, run  # the pool and JSONL machinery, only when cleaning

    settings = Settings(
        mode=mode,
        output_dir=output_dir,
        encoding=options["encoding"],
        max_removal=run_.max_removal,
        jobs=run_.jobs,
        text_field=run_.text_field,
        provenance=options["provenance"],
        # On a terminal, print in its encoding (a GB18030 file would show as garbage);
        # into a file or a pipe, keep the input's own encoding.
        output_encoding=_terminal_encoding() if mode is Mode.STDOUT else None,
    )
    summary = Summary(skipped=len(run_.missing), keep_files=options["report"] is not None)
    sources = run_.sources

    def total_bytes() -> int:
        return sum(_size(s.path) for s in sources)

    files = len(sources) if isinstance(sources, list) else 0
    with progress_bar(files, total_bytes, enabled=bar) as (advance, log, live):
        progress = advance if live else None  # no bar: no callbacks, and the big groups of files
        for outcome in run(
            sources, run_.cleaner, settings, stdin=sys.stdin.buffer, sink=sys.stdout.buffer, progress=progress
        ):
            summary.add(outcome)
            name = shown(outcome.source.path) if outcome.source.path != STDIN else "stdin"
            if outcome.error:
                log(f"error: {name}: {outcome.error}")
            if outcome.refused:
                log(f"refused: {name}: {outcome.refused}")
            for problem in outcome.problems:  # grouped by kind: a few lines however many records
                log(f"warning: {name}: {problem}")
            if outcome.output is not None:
                sys.stdout.buffer.write(outcome.output)
                sys.stdout.buffer.flush()
            if check and outcome.status == "changed" and not quiet:
                log(f"would clean {name}")
    report_stale(stale, options["remove_stale"])
    if options["report"] is not None:
        summary.write_json(options["report"])
    if mode is not Mode.STDOUT and not quiet:
        err(summary.line("would be cleaned" if mode is Mode.CHECK else "cleaned"))
        print_rule_table(summary)
    failed = summary.skipped or summary.failed or summary.refused or summary.problems
    raise click.exceptions.Exit(EXIT_ERROR if failed else EXIT_CHANGES if check and summary.changed else EXIT_OK)


def _terminal_encoding() -> str | None:
    if not sys.stdout.isatty():
        return None
    return getattr(sys.stdout, "encoding", None) or "utf-8"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size if path != STDIN else 0
    except OSError:
        return 0
