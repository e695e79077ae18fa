"""``cleaner diff`` and ``cleaner explain``: review what cleaning would do, writing nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..batch import DEFAULT_MAX_REMOVAL
from ..review import FORMATS, run_diff
from ..review.documents import iter_documents
from ..review.explain import Entry, render_json, render_text
from ..review.explain import explain as explain_edits
from .common import EXIT_ERROR, EXIT_OK, SHARE, err, input_options, prepare, rule_options, selection_options, shown


@click.command()
@input_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="pretty",
    show_default=True,
    help="pretty: each edit in context, for reading; unified: a patch for patch -p1 / git apply.",
)
@click.option(
    "--context",
    "-U",
    "context",
    type=click.IntRange(min=0),
    metavar="N",
    help="Lines of context (default: 1 for pretty, 3 for unified).",
)
@click.option(
    "--color/--no-color", default=None, help="Force colour on or off (default: on a terminal, unless NO_COLOR is set)."
)
@click.option(
    "--html",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="REPORT.html",
    help="Also write a self-contained HTML report.",
)
@click.option(
    "--max-removal",
    type=SHARE,
    help=f"Flag documents that clean would refuse to rewrite (losing more than this share; default {DEFAULT_MAX_REMOVAL}).",
)
@click.option("--quiet", "-q", is_flag=True, help="No summary on stderr.")
@selection_options
@rule_options
def diff(**options: Any) -> None:
    """Show what cleaning PATHS would remove, writing nothing; exit 1 if anything would change, 2 on errors.

    The pretty view prints each changed file with its counts per rule: whole
    removed lines as '-' rows with their rule id and a line of body around
    them, edits inside a line as a short window ([-removed-], {+repair+}).
    JSONL corpora are reviewed record by record (FILE#LINE).

    The unified format is a standard patch (paths relative to the current
    folder) that patch -p1 and git apply apply to give the cleaned files
    byte for byte; each file's lines are in its own encoding (UTF-8 with or
    without BOM, GB18030). UTF-16/32 files and JSONL records cannot be
    expressed as such a patch and are reported as errors.
    """
    run = prepare(options)
    code = run_diff(
        list(run.sources),
        run.cleaner,
        fmt=options["fmt"],
        color=options["color"],
        html=options["html"],
        encoding=options["encoding"],
        context=options["context"],
        text_field=run.text_field,
        max_removal=run.max_removal,
        quiet=options["quiet"],
        missing=run.missing,
    )
    raise click.exceptions.Exit(code)


@click.command()
@input_options
@click.option(
    "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True, help="Output format."
)
@selection_options
@rule_options
def explain(**options: Any) -> None:
    """List every edit: line:column, rule id and the removed text (escaped; a repair as old → new).

    With several documents each line starts with the path (FILE#LINE for a
    JSONL record). --format json gives an array of objects with path, record
    (JSONL line, else null), rule, kind, start, end (character offsets into
    the decoded original text), line, column, text and replacement.
    Exit 0, or 2 if something could not be read.
    """
    run = prepare(options)
    sources = list(run.sources)
    entries: list[Entry] = []
    failed = bool(run.missing)
    several = len(sources) > 1
    for source in sources:
        for doc in iter_documents(
            source, run.cleaner, encoding=options["encoding"], text_field=run.text_field, stdin=sys.stdin.buffer
        ):
            if doc.error is not None or doc.result is None:
                err(f"error: {doc.label}: {doc.error}")
                failed = True
                continue
            found = explain_edits(doc.result, doc.label if not doc.is_record else shown(source.path), doc.record)
            if options["fmt"] == "text":
                # Streamed document by document; the path leads each line when there is more than one.
                sys.stdout.write(render_text(found, with_path=several or doc.is_record))
                for rule, line in doc.result.kept:
                    sys.stdout.write(f"{doc.label}: kept by a keep pattern (wanted by {rule}): {line!r}\n")
                sys.stdout.flush()
            else:
                entries.extend(found)
    if options["fmt"] == "json":
        sys.stdout.buffer.write(render_json(entries).encode("utf-8"))
        sys.stdout.buffer.flush()
    raise click.exceptions.Exit(EXIT_ERROR if failed else EXIT_OK)
