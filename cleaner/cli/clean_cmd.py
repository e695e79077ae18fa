"""``cleaner clean``: print, rewrite, mirror or check."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from ..batch import Mode, Outcome, process
from .app import cli
from .common import EXIT_CHANGES, EXIT_ERROR, EXIT_OK, STDIN, build_cleaner, collect_sources, err, input_options, rule_options


@cli.command()
@input_options
@click.option("--in-place", "-i", is_flag=True, help="Rewrite files (atomically) instead of printing.")
@click.option("--output-dir", "-o", type=click.Path(file_okay=False, path_type=Path), help="Write cleaned copies here, mirroring the inputs.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change.")
@click.option("--quiet", "-q", is_flag=True, help="No summary on stderr.")
@rule_options
def clean(
    paths: tuple[Path, ...],
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    encoding: str | None,
    in_place: bool,
    output_dir: Path | None,
    check: bool,
    quiet: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    rule_dirs: tuple[Path, ...],
) -> None:
    """Clean PATHS (files and folders; stdin when none or '-'); print the result unless told otherwise."""
    if sum((in_place, output_dir is not None, check)) > 1:
        raise click.UsageError("choose one of --in-place, --output-dir and --check")
    mode = Mode.IN_PLACE if in_place else Mode.OUTPUT_DIR if output_dir else Mode.CHECK if check else Mode.STDOUT
    if (not paths or STDIN in paths) and mode in (Mode.IN_PLACE, Mode.OUTPUT_DIR):
        raise click.UsageError("stdin cannot be cleaned --in-place or into --output-dir")
    cleaner = build_cleaner(rule_dirs, select, ignore)
    sources, missing = collect_sources(paths, include, exclude)
    outcomes: list[Outcome] = []
    for source in sources:
        outcome = process(source, cleaner, mode, output_dir, encoding, stdin=sys.stdin.buffer if source.path == STDIN else None)
        outcomes.append(outcome)
        if outcome.error:
            err(f"error: {outcome.source.path}: {outcome.error}")
        elif outcome.output is not None:
            sys.stdout.buffer.write(outcome.output)
            sys.stdout.buffer.flush()
        if check and outcome.status == "changed" and not quiet:
            err(f"would clean {outcome.source.path}")
    if mode is not Mode.STDOUT and not quiet:
        err(summary_line(outcomes, mode))
    failed = bool(missing) or any(o.status == "failed" for o in outcomes)
    changed = any(o.status == "changed" for o in outcomes)
    raise click.exceptions.Exit(EXIT_ERROR if failed else EXIT_CHANGES if check and changed else EXIT_OK)


def summary_line(outcomes: Sequence[Outcome], mode: Mode) -> str:
    changed = sum(o.status == "changed" for o in outcomes)
    unchanged = sum(o.status == "unchanged" for o in outcomes)
    failed = sum(o.status == "failed" for o in outcomes)
    verb = "would be cleaned" if mode is Mode.CHECK else "cleaned"
    edits = sum(len(o.result.edits) for o in outcomes if o.result is not None)
    return f"{changed} file(s) {verb}, {unchanged} unchanged, {failed} failed; {edits} edit(s)."
