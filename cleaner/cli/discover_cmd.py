"""``cleaner discover``: learn an unknown vendor's boilerplate from a corpus and propose rules."""

from __future__ import annotations

import re
from pathlib import Path

import click

from ..discover import Discovery, Settings, discover, write_proposals
from ..discover.pipeline import DEFAULT_MIN_SHARE
from ..rules import RuleError
from .common import EXIT_ERROR, EXIT_OK, STDIN, collect_sources, err, input_options, split_ids

MAX_ERRORS_SHOWN = 20


@click.command("discover")
@input_options
@click.option(
    "--min-docs", type=click.IntRange(min=2), metavar="N", help="A candidate appears in at least N documents."
)
@click.option(
    "--min-share",
    type=click.FloatRange(min=0, max=1, min_open=True),
    metavar="SHARE",
    help=f"A candidate appears in at least this share of the documents (default {DEFAULT_MIN_SHARE}).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Write one rule file per proposal here.",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes.")
@click.option(
    "--text-field",
    default="text",
    show_default=True,
    help="The field (column) holding the text in JSONL and Parquet records.",
)
@click.option(
    "--name", metavar="SLUG", help="Goes into the rule ids, discovered-SLUG-…-N (default: from the first PATH)."
)
@click.option("--top", type=click.IntRange(min=1), default=40, show_default=True, help="Rows shown per table.")
@click.option(
    "--ignore",
    "ignore",
    multiple=True,
    metavar="RULE",
    help="Bundled rules not to count as covering a line (repeatable or comma-separated), as for clean.",
)
def discover_command(
    paths: tuple[Path, ...],
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    encoding: str | None,
    min_docs: int | None,
    min_share: float | None,
    out_dir: Path | None,
    jobs: int,
    text_field: str,
    name: str | None,
    top: int,
    ignore: tuple[str, ...],
) -> None:
    """Find lines many documents of PATHS share (folders of *.txt/*.md, .jsonl/.gz/.zst, .parquet) and propose rules.

    Prints a ranked table on stdout; common headings are listed apart and never proposed.
    """
    if not paths or STDIN in paths:
        raise click.UsageError("give the corpus as files or folders (stdin is not read)")
    if min_share is not None and min_share != min_share:  # nan passes FloatRange
        raise click.BadParameter("nan is not a share", param_hint="--min-share")
    if min_docs is not None and min_share is not None:
        raise click.UsageError("choose one of --min-docs and --min-share")
    slug = name if name is not None else slug_of(paths[0])
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        raise click.UsageError(f"--name must be lower-case letters, digits and dashes, got {slug!r}")
    found, missing = collect_sources(paths, include, exclude)
    sources = list(found)  # discover reads the sources twice (count, then survey): a list, not an iterator
    settings = Settings(
        min_docs=min_docs,
        min_share=min_share if min_share is not None else DEFAULT_MIN_SHARE,
        jobs=jobs,
        text_field=text_field,
        encoding=encoding,
        name=slug,
    )
    from ..engine import Cleaner

    try:
        bundled = Cleaner(ignore=split_ids(ignore), max_removal=None)
    except KeyError as exc:
        raise click.UsageError(str(exc.args[0])) from None
    result = discover(sources, settings, bundled)
    for error in result.errors[:MAX_ERRORS_SHOWN]:
        err(f"error: {error}")
    if len(result.errors) > MAX_ERRORS_SHOWN:
        err(f"error: … and {len(result.errors) - MAX_ERRORS_SHOWN} more")
    render(result, top)
    if out_dir is not None and result.proposals:
        try:
            written = write_proposals(result.proposals, out_dir)
        except (OSError, RuleError) as exc:
            err(f"error: {exc}")
            raise click.exceptions.Exit(EXIT_ERROR) from None
        err(f"wrote {len(written)} rule file(s) to {out_dir}; check them with: cleaner rules test {out_dir}")
    elif out_dir is not None:
        err("nothing to write: no proposals")
    if out_dir is not None:
        warn_stale(out_dir, slug, {p.id for p in result.proposals})
    raise click.exceptions.Exit(EXIT_ERROR if missing or result.errors else EXIT_OK)


def warn_stale(out_dir: Path, slug: str, current: set[str]) -> None:
    """Rule files an earlier run wrote for this corpus name stay in force with --rules; say so."""
    stale = sorted(p.name for p in out_dir.glob(f"discovered-{slug}-*.toml") if p.stem not in current)
    if stale:
        err(f"warning: {out_dir} still holds rule files from an earlier run: {', '.join(stale)}")


def slug_of(path: Path) -> str:
    """A rule-id slug from a corpus path: its name without suffixes, ASCII lower-case."""
    stem = Path(path.resolve().name if path.name in ("", ".", "..") else path.name)
    while stem.suffix:
        stem = stem.with_suffix("")
    slug = re.sub(r"[^a-z0-9]+", "-", str(stem).lower()).strip("-")
    return slug or "corpus"


def render(result: Discovery, top: int) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=False)
    if not console.is_terminal:
        console = Console(soft_wrap=False, width=160)  # piped: fold long lines less than at 80 columns
    copies = f" ({result.copies} more left out as copies of an earlier body)" if result.copies else ""
    console.print(
        f"{result.docs} documents{copies}; a candidate is a line in at least {result.threshold} of them; "
        f"{len(result.proposals)} rule(s) proposed."
    )
    junk = [c for c in result.candidates if c.body is None]
    body = [c for c in result.candidates if c.body is not None]
    table = Table(title="candidates", box=None, header_style="bold", title_justify="left")
    for column in ("#", "line", "docs", "where", "example", "bundled rule", "proposal"):
        table.add_column(column, overflow="fold")
    for rank, c in enumerate(junk[:top], 1):
        covered = ", ".join(c.covered_by) + ("" if c.covered else " (partly)") if c.covered_by else "—"
        table.add_row(
            str(rank),
            c.display,
            f"{c.docs} ({100 * c.docs / max(result.docs, 1):.0f}%)",
            c.where,
            Path(c.example).name,
            covered,
            c.proposal,
        )
    if junk:
        console.print(table)
    else:
        console.print("no candidates: no line outside the common headings is shared by enough documents")
    if body:
        apart = Table(title="common headings, not proposed", box=None, header_style="bold", title_justify="left")
        for column in ("line", "docs", "where", "why it is body"):
            apart.add_column(column, overflow="fold")
        for c in body[:top]:
            assert c.body is not None
            apart.add_row(c.display, str(c.docs), c.where, c.body.name)
        console.print(apart)
