"""``cleaner clean``: print, rewrite, mirror or check files, folders and JSONL corpora."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..batch import DEFAULT_MAX_REMOVAL, Mode
from ..config import ConfigError, load_config
from ..runner import Settings, run
from ..summary import Summary
from .app import cli
from .common import (
    EXIT_CHANGES,
    EXIT_ERROR,
    EXIT_OK,
    STDIN,
    build_cleaner,
    collect_sources,
    err,
    input_options,
    rule_options,
)
from .progress import progress_bar, print_rule_table


@cli.command()
@input_options
@click.option("--in-place", "-i", is_flag=True, help="Rewrite files (atomically) instead of printing.")
@click.option("--output-dir", "-o", type=click.Path(file_okay=False, path_type=Path), help="Write cleaned copies here, mirroring the inputs.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
@click.option("--max-removal", type=click.FloatRange(0, 1), help=f"Refuse to rewrite a document losing more than this share of its characters (default {DEFAULT_MAX_REMOVAL}).")
@click.option("--text-field", metavar="NAME", help="JSONL: the field to clean in every record (default: text).")
@click.option("--provenance", is_flag=True, help="JSONL: add a 'cleaner_rules' field listing the rules that fired.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="Write the run's summary and per-file counts as JSON.")
@click.option("--hidden", is_flag=True, help="Also take hidden files and folders.")
@click.option("--follow-links", is_flag=True, help="Follow symbolic links inside folders.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Read this configuration file instead of searching for one.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary on stderr.")
@rule_options
def clean(
    paths: tuple[Path, ...],
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    encoding: str | None,
    in_place: bool,
    output_dir: Path | None,
    check: bool,
    jobs: int | None,
    max_removal: float | None,
    text_field: str | None,
    provenance: bool,
    report: Path | None,
    hidden: bool,
    follow_links: bool,
    config_path: Path | None,
    quiet: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    rule_dirs: tuple[Path, ...],
) -> None:
    """Clean PATHS (files, folders, .jsonl/.jsonl.gz corpora; stdin when none or '-').

    Prints the cleaned text unless --in-place, --output-dir or --check is given.
    """
    if sum((in_place, output_dir is not None, check)) > 1:
        raise click.UsageError("choose one of --in-place, --output-dir and --check")
    mode = Mode.IN_PLACE if in_place else Mode.OUTPUT_DIR if output_dir else Mode.CHECK if check else Mode.STDOUT
    if (not paths or STDIN in paths) and mode in (Mode.IN_PLACE, Mode.OUTPUT_DIR):
        raise click.UsageError("stdin cannot be cleaned --in-place or into --output-dir")
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        err(f"error: {exc}")
        raise click.exceptions.Exit(EXIT_ERROR) from None
    # Command-line flags win over the configuration file.
    cleaner = build_cleaner(rule_dirs or config.rules, select or config.select, ignore or config.ignore)
    sources, missing = collect_sources(
        paths, include or config.include, exclude or config.exclude, hidden=hidden, follow_links=follow_links
    )
    from ..parallel import default_jobs

    settings = Settings(
        mode=mode,
        output_dir=output_dir,
        encoding=encoding,
        max_removal=max_removal if max_removal is not None else config.max_removal if config.max_removal is not None else DEFAULT_MAX_REMOVAL,
        jobs=jobs or config.jobs or default_jobs(),
        text_field=text_field or config.text_field or "text",
        provenance=provenance,
    )
    summary = Summary(skipped=len(missing))
    total_bytes = sum(_size(s.path) for s in sources)
    with progress_bar(len(sources), total_bytes, enabled=not quiet) as (advance, log):
        for outcome in run(sources, cleaner, settings, stdin=sys.stdin.buffer, sink=sys.stdout.buffer, progress=advance):
            summary.add(outcome)
            name = outcome.source.path if outcome.source.path != STDIN else "stdin"
            if outcome.error:
                log(f"error: {name}: {outcome.error}")
            if outcome.refused:
                log(f"refused: {name}: {outcome.refused}")
            for problem in outcome.problems:
                log(f"warning: {name}: {problem}")
            if outcome.output is not None:
                sys.stdout.buffer.write(outcome.output)
                sys.stdout.buffer.flush()
            if check and outcome.status == "changed" and not quiet:
                log(f"would clean {name}")
    if report is not None:
        summary.write_json(report)
    if mode is not Mode.STDOUT and not quiet:
        err(summary.line("would be cleaned" if mode is Mode.CHECK else "cleaned"))
        print_rule_table(summary)
    failed = summary.skipped or summary.failed or summary.refused or summary.problems
    raise click.exceptions.Exit(EXIT_ERROR if failed else EXIT_CHANGES if check and summary.changed else EXIT_OK)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size if path != STDIN else 0
    except OSError:
        return 0
