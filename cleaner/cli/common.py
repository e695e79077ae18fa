"""What the commands share: exit codes, rule and input options, error output."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, overload

import click

from ..batch import DEFAULT_MAX_REMOVAL
from ..config import ConfigError, load_config
from ..engine import Cleaner
from ..files import DEFAULT_INCLUDE, STDIN, Source, iter_sources
from ..rules import load_rules_collecting, select_rules

EXIT_OK, EXIT_CHANGES, EXIT_ERROR = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])


def selection_options(func: F) -> F:
    """What ``clean`` also takes to choose files and fields, so a review sees what a clean would."""
    options = [
        click.option("--text-field", metavar="NAME", help="JSONL: the field to review in every record (default: text)."),
        click.option("--hidden", is_flag=True, help="Also take hidden files and folders."),
        click.option("--follow-links", is_flag=True, help="Follow symbolic links inside folders."),
        click.option(
            "--config", "config_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
            help="Read this configuration file instead of searching for one.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@dataclass(frozen=True, slots=True)
class Prepared:
    """Everything a command needs once the configuration file and the flags are merged."""

    cleaner: Cleaner
    sources: list[Source] | Iterator[Source]  # an iterator (a lazy walk) when asked for
    missing: list[Path]
    text_field: str
    max_removal: float
    jobs: int


def prepare(options: dict[str, Any], *, lazy: bool = False) -> Prepared:
    """Configuration file, then flags (flags win), exactly as ``clean`` reads them.

    ``lazy`` leaves folders to be walked as the sources are read.
    """
    try:
        config = load_config(options["config_path"])
    except ConfigError as exc:
        err(f"error: {exc}")
        raise click.exceptions.Exit(EXIT_ERROR) from None
    cleaner = build_cleaner(
        options["rule_dirs"] or config.rules, options["select"] or config.select, options["ignore"] or config.ignore
    )
    sources, missing = collect_sources(
        options["paths"],
        options["include"] or config.include,
        options["exclude"] or config.exclude,
        hidden=options["hidden"],
        follow_links=options["follow_links"],
        lazy=lazy,
    )
    max_removal = options.get("max_removal")
    if max_removal is None:
        max_removal = config.max_removal if config.max_removal is not None else DEFAULT_MAX_REMOVAL
    from ..parallel import default_jobs

    jobs = options.get("jobs") or config.jobs or default_jobs()
    return Prepared(cleaner, sources, missing, options["text_field"] or config.text_field or "text", max_removal, jobs)


def err(message: str) -> None:
    """Status and errors go to stderr, never mixed into cleaned text."""
    click.echo(message, err=True)


def split_ids(values: Sequence[str]) -> list[str]:
    return [part.strip() for v in values for part in v.split(",") if part.strip()]


def build_cleaner(rule_dirs: Sequence[Path], select: Sequence[str], ignore: Sequence[str]) -> Cleaner:
    """Load and check the rules; report every error and exit 2 if there is any."""
    rules, errors = load_rules_collecting(*rule_dirs)
    for error in errors:
        err(f"error: {error}")
    if errors:
        raise click.exceptions.Exit(EXIT_ERROR)
    try:
        chosen = select_rules(rules, split_ids(select), split_ids(ignore))
    except KeyError as exc:
        err(f"error: {exc.args[0]}")
        raise click.exceptions.Exit(EXIT_ERROR) from None
    return Cleaner(chosen, select=[r.id for r in chosen])


def rule_options(func: F) -> F:
    """--select / --ignore / --rules."""
    options = [
        click.option("--select", multiple=True, metavar="RULE", help="Run only these rules (repeat or comma-separate)."),
        click.option("--ignore", multiple=True, metavar="RULE", help="Skip these rules."),
        click.option(
            "--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path), metavar="DIR",
            help="Add a folder of rule files (a rule with a bundled id replaces it).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def input_options(func: F) -> F:
    """PATHS... and the options that pick files out of folders."""
    options = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option("--include", multiple=True, metavar="GLOB", help=f"Files to take from folders (default: {' '.join(DEFAULT_INCLUDE)})."),
        click.option("--exclude", multiple=True, metavar="GLOB", help="Files to leave out of folders."),
        click.option("--encoding", metavar="CODEC", help="Force the input encoding instead of detecting it."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@overload
def collect_sources(
    paths: Sequence[Path], include: Sequence[str], exclude: Sequence[str], *,
    hidden: bool = ..., follow_links: bool = ..., lazy: Literal[False] = ...,
) -> tuple[list[Source], list[Path]]: ...
@overload
def collect_sources(
    paths: Sequence[Path], include: Sequence[str], exclude: Sequence[str], *,
    hidden: bool = ..., follow_links: bool = ..., lazy: bool,
) -> tuple[list[Source] | Iterator[Source], list[Path]]: ...
def collect_sources(
    paths: Sequence[Path],
    include: Sequence[str],
    exclude: Sequence[str],
    *,
    hidden: bool = False,
    follow_links: bool = False,
    lazy: bool = False,
) -> tuple[list[Source] | Iterator[Source], list[Path]]:
    """Sources for the given paths (stdin when none) and the paths that do not exist.

    The sources are a list, or with ``lazy`` an iterator that walks the folders as it is read.
    """
    targets = list(paths) or [STDIN]
    missing = [p for p in targets if p != STDIN and not p.exists()]
    for path in missing:
        err(f"error: {path}: no such file or folder")
    found = _walk([p for p in targets if p not in missing], include or DEFAULT_INCLUDE, exclude, hidden, follow_links)
    return (found if lazy else list(found)), missing


def _walk(
    paths: Sequence[Path], include: Sequence[str], exclude: Sequence[str], hidden: bool, follow_links: bool
) -> Iterator[Source]:
    for path in paths:
        if path == STDIN:
            yield Source(STDIN, Path("stdin"))
        else:
            yield from iter_sources([path], include, exclude, follow_links=follow_links, hidden=hidden)
