"""What the commands share: exit codes, rule and input options, error output."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..batch import DEFAULT_MAX_REMOVAL
from ..config import ConfigError, load_config
from ..engine import Cleaner
from ..files import DEFAULT_INCLUDE, Source, is_stale_temp, iter_sources
from ..files import STDIN as STDIN  # re-exported for the commands
from ..globs import compile_globs
from ..guard import check_share
from ..keep import KeepError, compile_keep
from ..names import shown as shown  # re-exported for the commands
from ..rules import load_rules_collecting, select_rules

EXIT_OK, EXIT_CHANGES, EXIT_ERROR = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])


if TYPE_CHECKING:  # recent click types ParamType as a generic; older versions cannot be subscripted at run time
    _FloatParam = click.ParamType[float, Any]
else:
    _FloatParam = click.ParamType


class Share(_FloatParam):
    """A share from 0 to 1; nan and inf are refused (they would switch the removal guard off)."""

    name = "share"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            return check_share(float(value))
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number from 0 to 1", param, ctx)


SHARE = Share()


def selection_options(func: F) -> F:
    """What ``clean`` also takes to choose files and fields, so a review sees what a clean would."""
    options = [
        click.option(
            "--text-field",
            metavar="NAME",
            help="JSONL and Parquet: the field (column) holding the text (default: text).",
        ),
        click.option("--hidden", is_flag=True, help="Also take hidden files and folders."),
        click.option("--follow-links", is_flag=True, help="Follow symbolic links inside folders."),
        click.option(
            "--no-gitignore", is_flag=True, help="Walk files that .gitignore files of a git work tree leave out."
        ),
        click.option(
            "--force-exclude/--no-force-exclude",
            default=None,
            help="Apply --exclude (and the configuration's exclude) to files named on the command line too.",
        ),
        click.option(
            "--keep",
            multiple=True,
            metavar="REGEX",
            help="Never remove or edit a line matching this pattern, whatever the rules say (repeatable).",
        ),
        click.option("--verbose", "-v", is_flag=True, help="Say which configuration file and which rules are used."),
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False, exists=True, path_type=Path),
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


def prepare(
    options: dict[str, Any], *, lazy: bool = False, output_dir: Path | None = None, stale: list[str] | None = None
) -> Prepared:
    """Configuration file, then flags (flags win), exactly as ``clean`` reads them.

    ``lazy`` leaves folders to be walked as the sources are read.
    """
    if not options["paths"] and sys.stdin.isatty():
        # As cat users expect: say what it waits for instead of hanging silently (clean, diff, explain).
        ctx = click.get_current_context(silent=True)
        command = f"cleaner {ctx.info_name}" if ctx is not None and ctx.info_name else "cleaner"
        err(f"cleaner: reading the text from stdin (end with Ctrl-D; see `{command} --help` for files and folders)")
    try:
        config = load_config(options["config_path"])
    except ConfigError as exc:
        err(f"error: {exc}")
        raise click.exceptions.Exit(EXIT_ERROR) from None
    keep = [*config.keep, *options.get("keep", ())]
    try:
        compile_keep(keep)
    except KeepError as exc:
        err(f"error: --keep {keep[exc.index]!r}: {exc.message}")
        raise click.exceptions.Exit(EXIT_ERROR) from None
    cleaner = build_cleaner(
        options["rule_dirs"] or config.rules,
        options["select"] or config.select,
        options["ignore"] or config.ignore,
        keep,
    )
    if options.get("verbose"):
        err(f"configuration: {shown(config.path) if config.path else 'none found (defaults)'}")
        err(f"rules: {', '.join(r.id for r in cleaner.rules) or 'none'}")
        if keep:
            err(f"keep: {', '.join(keep)}")
    force = options.get("force_exclude")
    sources, missing = collect_sources(
        options["paths"],
        options["include"] or config.include,
        options["exclude"] or config.exclude,
        hidden=options["hidden"],
        follow_links=options["follow_links"],
        lazy=lazy,
        gitignore=not options.get("no_gitignore", False),
        force_exclude=force if force is not None else bool(config.force_exclude),
        exclude_root=config.path.parent if config.path is not None and not options["exclude"] else None,
        output_dir=output_dir,
        stale=stale,
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


def build_cleaner(
    rule_dirs: Sequence[Path], select: Sequence[str], ignore: Sequence[str], keep: Sequence[str] = ()
) -> Cleaner:
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
    # The removal guard is applied per document by the runner, which reports the refusal.
    return Cleaner(chosen, select=[r.id for r in chosen], keep=keep, max_removal=None)


def rule_options(func: F) -> F:
    """--select / --ignore / --rules."""
    options = [
        click.option(
            "--select", multiple=True, metavar="RULE", help="Run only these rules (repeat or comma-separate)."
        ),
        click.option("--ignore", multiple=True, metavar="RULE", help="Skip these rules."),
        click.option(
            "--rules",
            "rule_dirs",
            multiple=True,
            type=click.Path(path_type=Path),
            metavar="DIR",
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
        click.option(
            "--include",
            multiple=True,
            metavar="GLOB",
            help=f"Files to take from folders (default: {' '.join(DEFAULT_INCLUDE)}).",
        ),
        click.option("--exclude", multiple=True, metavar="GLOB", help="Files to leave out of folders."),
        click.option("--encoding", metavar="CODEC", help="Force the input encoding instead of detecting it."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def collect_sources(
    paths: Sequence[Path],
    include: Sequence[str],
    exclude: Sequence[str],
    *,
    hidden: bool = False,
    follow_links: bool = False,
    lazy: bool = False,
    gitignore: bool = False,
    force_exclude: bool = False,
    exclude_root: Path | None = None,
    output_dir: Path | None = None,
    stale: list[str] | None = None,
) -> tuple[list[Source] | Iterator[Source], list[Path]]:
    """Sources for the given paths (stdin when none) and the paths that do not exist.

    The sources are a list, or with ``lazy`` an iterator that walks the folders
    as it is read. The same file named twice (or reached twice) is given once.
    ``force_exclude`` applies ``exclude`` to files named directly too, by their
    path relative to ``exclude_root``. With ``output_dir``, the copies mirror
    the inputs relative to their common folder, the output folder is made now
    and never walked, and an output folder that would overwrite an input is a
    usage error (exit 2, nothing written).
    """
    targets = list(paths) or [STDIN]
    missing = [p for p in targets if p != STDIN and not os.path.lexists(p)]
    for path in missing:
        err(f"error: {shown(path)}: no such file or folder")
    present = [p for p in targets if p not in missing]
    base = mirror_base(present) if output_dir is not None else None
    skip: list[tuple[int, int]] = []
    if output_dir is not None and base is not None:
        skip.append(_prepare_output_dir(output_dir, base))
    if force_exclude and exclude:
        present = [p for p in present if p == STDIN or p.is_dir() or not _excluded(p, exclude, exclude_root)]
    several = len(present) > 1 or follow_links
    found = _walk(
        present,
        include or DEFAULT_INCLUDE,
        exclude,
        hidden,
        follow_links,
        gitignore,
        skip,
        set() if several else None,
        base,
        stale,
    )
    return (found if lazy else list(found)), missing


def mirror_base(paths: Sequence[Path]) -> Path | None:
    """The folder the --output-dir copies mirror: one folder argument itself, else the inputs' common folder.

    ``a/r.txt b/r.txt`` become ``a/r.txt`` and ``b/r.txt`` under the output
    folder; ``a b`` (folders) ``a/...`` and ``b/...``; files of one folder keep their names.
    """
    named = [p for p in paths if p != STDIN]
    if not named:
        return None
    if len(named) == 1 and named[0].is_dir():
        return Path(os.path.abspath(named[0]))
    parents = [os.path.abspath(p) if p.is_dir() else os.path.dirname(os.path.abspath(p)) for p in named]
    return Path(os.path.commonpath(parents))


def _prepare_output_dir(output_dir: Path, base: Path) -> tuple[int, int]:
    """Refuse an output folder that is the mirrored input folder; make it; its (device, inode)."""
    if os.path.realpath(output_dir) == os.path.realpath(base):
        err(
            f"error: --output-dir {shown(output_dir)} is the input folder: the copies would overwrite "
            "the originals; use --in-place to rewrite them"
        )
        raise click.exceptions.Exit(EXIT_ERROR)
    try:
        os.makedirs(output_dir, exist_ok=True)
        st = os.stat(output_dir)
    except OSError as exc:
        err(f"error: {shown(output_dir)}: cannot write: {exc.strerror or exc}")
        raise click.exceptions.Exit(EXIT_ERROR) from None
    return st.st_dev, st.st_ino


def _stale_beside(path: Path, checked: set[str], stale: list[str]) -> None:
    """Temporary files a killed run left beside a named file (one look per folder)."""
    folder = os.path.dirname(os.path.abspath(path))
    if folder in checked:
        return
    checked.add(folder)
    try:
        with os.scandir(folder) as it:
            stale.extend(e.path for e in it if e.name.startswith(".") and is_stale_temp(e.name))
    except OSError:
        pass


def report_stale(stale: list[str], remove: bool) -> None:
    """Say what temporary files killed runs left (or remove them, with --remove-stale)."""
    if not stale:
        return
    if remove:
        gone = 0
        for path in stale:
            try:
                os.unlink(path)
                gone += 1
            except OSError as exc:
                err(f"error: {shown(path)}: cannot remove: {exc.strerror or exc}")
        err(f"removed {gone} temporary file(s) left by an interrupted run")
        return
    shown_paths = ", ".join(shown(p) for p in stale[:5]) + (", …" if len(stale) > 5 else "")
    err(
        f"warning: {len(stale)} temporary file(s) left by an interrupted run: {shown_paths} (--remove-stale removes them)"
    )


def _excluded(path: Path, exclude: Sequence[str], root: Path | None) -> bool:
    globs = compile_globs(tuple(exclude))
    full = os.path.abspath(path)
    where = os.path.abspath(root or Path.cwd())
    rel = os.path.relpath(full, where) if full.startswith(where + os.sep) else path.name
    return globs.matches(Path(rel).as_posix()) or globs.matches(path.name)


def _walk(
    paths: Sequence[Path],
    include: Sequence[str],
    exclude: Sequence[str],
    hidden: bool,
    follow_links: bool,
    gitignore: bool,
    skip: Sequence[tuple[int, int]],
    seen: set[tuple[int, int]] | None,
    base: Path | None,
    stale: list[str] | None = None,
) -> Iterator[Source]:
    folders_checked: set[str] = set()
    for path in paths:
        if path == STDIN:
            yield Source(STDIN, Path("stdin"))
            continue
        if stale is not None and not path.is_dir():
            _stale_beside(path, folders_checked, stale)
        found = iter_sources(
            [path],
            include,
            exclude,
            follow_links=follow_links,
            hidden=hidden,
            gitignore=gitignore,
            skip_dirs=skip,
            seen=seen,
            stale=stale,
        )
        if base is None:
            yield from found
            continue
        anchor = os.path.abspath(path) if path.is_dir() else os.path.dirname(os.path.abspath(path))
        lead = Path(os.path.relpath(anchor, base))
        for source in found:
            yield Source(source.path, lead / source.relative) if lead != Path(".") else source
