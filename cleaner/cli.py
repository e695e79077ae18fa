"""The command line: parse, call the engine, render. Exit codes: 0 done, 1 changes
found under --check, 2 usage, rule-file or input errors (the other files still run)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from . import __version__
from .batch import Mode, Outcome, process
from .engine import Cleaner
from .files import DEFAULT_INCLUDE, Source, iter_sources
from .rules import RuleError, load_rules_collecting, select_rules

EXIT_OK, EXIT_CHANGES, EXIT_ERROR = 0, 1, 2
STDIN = Path("-")


def _split_ids(values: Sequence[str]) -> list[str]:
    return [part.strip() for v in values for part in v.split(",") if part.strip()]


def _err(message: str) -> None:
    click.echo(message, err=True)


def build_cleaner(rule_dirs: Sequence[Path], select: Sequence[str], ignore: Sequence[str]) -> Cleaner:
    """Load and check the rules; raise click.exceptions.Exit(2) after reporting every error."""
    rules, errors = load_rules_collecting(*rule_dirs)
    for error in errors:
        _err(f"error: {error}")
    if errors:
        raise click.exceptions.Exit(EXIT_ERROR)
    try:
        chosen = select_rules(rules, _split_ids(select), _split_ids(ignore))
    except KeyError as exc:
        _err(f"error: {exc.args[0]}")
        raise click.exceptions.Exit(EXIT_ERROR) from None
    return Cleaner(chosen, select=[r.id for r in chosen])


rule_options = [
    click.option("--select", multiple=True, metavar="RULE", help="Run only these rules (repeat or comma-separate)."),
    click.option("--ignore", multiple=True, metavar="RULE", help="Skip these rules."),
    click.option(
        "--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path), metavar="DIR",
        help="Add a folder of rule files (a rule with a bundled id replaces it).",
    ),
]


def with_rule_options(func):  # type: ignore[no-untyped-def]
    for option in reversed(rule_options):
        func = option(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleaner")
def cli() -> None:
    """Strip vendor boilerplate and watermarks from reports, keeping the body byte-exact."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--in-place", "-i", is_flag=True, help="Rewrite files (atomically) instead of printing.")
@click.option("--output-dir", "-o", type=click.Path(file_okay=False, path_type=Path), help="Write cleaned copies here, mirroring the inputs.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change.")
@click.option("--encoding", metavar="CODEC", help="Force the input encoding instead of detecting it.")
@click.option("--include", multiple=True, metavar="GLOB", help=f"Files to take from folders (default: {' '.join(DEFAULT_INCLUDE)}).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Files to leave out of folders.")
@click.option("--quiet", "-q", is_flag=True, help="No summary on stderr.")
@with_rule_options
def clean(
    paths: tuple[Path, ...],
    in_place: bool,
    output_dir: Path | None,
    check: bool,
    encoding: str | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    quiet: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    rule_dirs: tuple[Path, ...],
) -> None:
    """Clean FILES and folders (stdin when none or '-'); print the result unless told otherwise."""
    if sum((in_place, output_dir is not None, check)) > 1:
        raise click.UsageError("choose one of --in-place, --output-dir and --check")
    cleaner = build_cleaner(rule_dirs, select, ignore)
    mode = Mode.IN_PLACE if in_place else Mode.OUTPUT_DIR if output_dir else Mode.CHECK if check else Mode.STDOUT
    targets = list(paths) or [STDIN]
    if STDIN in targets and mode in (Mode.IN_PLACE, Mode.OUTPUT_DIR):
        raise click.UsageError("stdin cannot be cleaned --in-place or into --output-dir")
    outcomes: list[Outcome] = []
    missing = [p for p in targets if p != STDIN and not p.exists()]
    for path in missing:
        _err(f"error: {path}: no such file or folder")
    files = [p for p in targets if p not in missing]
    for source in _sources(files, include or DEFAULT_INCLUDE, exclude):
        outcome = _process_stdin(cleaner, mode, encoding) if source.path == STDIN else process(source, cleaner, mode, output_dir, encoding)
        outcomes.append(outcome)
        if outcome.error:
            _err(f"error: {outcome.source.path}: {outcome.error}")
        elif outcome.output is not None:
            sys.stdout.buffer.write(outcome.output)
            sys.stdout.buffer.flush()
        if check and outcome.status == "changed" and not quiet:
            _err(f"would clean {outcome.source.path}")
    if mode is not Mode.STDOUT and not quiet:
        _err(_summary(outcomes, mode))
    failed = bool(missing) or any(o.status == "failed" for o in outcomes)
    changed = any(o.status == "changed" for o in outcomes)
    raise click.exceptions.Exit(EXIT_ERROR if failed else EXIT_CHANGES if check and changed else EXIT_OK)


def _sources(paths: Sequence[Path], include: Sequence[str], exclude: Sequence[str]):  # type: ignore[no-untyped-def]
    for path in paths:
        if path == STDIN:
            yield Source(STDIN, Path("stdin"))
        else:
            yield from iter_sources([path], include, exclude)


def _process_stdin(cleaner: Cleaner, mode: Mode, encoding: str | None) -> Outcome:
    from .batch import clean_bytes
    from .document import DecodeError

    source = Source(STDIN, Path("stdin"))
    try:
        doc, result = clean_bytes(sys.stdin.buffer.read(), cleaner, encoding)
    except DecodeError as exc:
        return Outcome(source, error=str(exc))
    output = doc.with_text(result.text).encode() if mode is Mode.STDOUT else None
    return Outcome(source, result, doc, output=output)


def _summary(outcomes: Sequence[Outcome], mode: Mode) -> str:
    changed = sum(o.status == "changed" for o in outcomes)
    unchanged = sum(o.status == "unchanged" for o in outcomes)
    failed = sum(o.status == "failed" for o in outcomes)
    verb = "would be cleaned" if mode is Mode.CHECK else "cleaned"
    removals = sum(len(o.result.edits) for o in outcomes if o.result is not None)
    return f"{changed} file(s) {verb}, {unchanged} unchanged, {failed} failed; {removals} edit(s)."


@cli.group(invoke_without_command=True)
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path), metavar="DIR", help="Add a folder of rule files.")
@click.pass_context
def rules(ctx: click.Context, rule_dirs: tuple[Path, ...]) -> None:
    """List the rules with their summaries."""
    ctx.obj = rule_dirs
    if ctx.invoked_subcommand is not None:
        return
    from rich.console import Console
    from rich.table import Table

    loaded, errors = load_rules_collecting(*rule_dirs)
    table = Table(box=None, show_header=True, header_style="bold")
    for column in ("id", "kind", "phase", "summary"):
        table.add_column(column, overflow="fold")
    for rule in loaded:
        table.add_row(rule.id, rule.kind.name, rule.phase, rule.summary + ("" if rule.enabled else " (disabled)"))
    Console(soft_wrap=False).print(table)
    for error in errors:
        _err(f"error: {error}")
    raise click.exceptions.Exit(EXIT_ERROR if errors else EXIT_OK)


@rules.command("show")
@click.argument("rule_id")
@click.pass_obj
def rules_show(rule_dirs: tuple[Path, ...], rule_id: str) -> None:
    """Print one rule's file: its parameters and examples."""
    loaded, errors = load_rules_collecting(*rule_dirs)
    for rule in loaded:
        if rule.id == rule_id:
            click.echo(Path(rule.source).read_text(encoding="utf-8"), nl=False)
            raise click.exceptions.Exit(EXIT_OK)
    _err(f"error: unknown rule id {rule_id}; valid ids: {', '.join(r.id for r in loaded)}")
    raise click.exceptions.Exit(EXIT_ERROR)


@rules.command("test")
@click.argument("dirs", nargs=-1, type=click.Path(path_type=Path))
def rules_test(dirs: tuple[Path, ...]) -> None:
    """Run the examples of the rules in DIRS (the bundled rules when none)."""
    from .examples import check_rules

    loaded, errors = load_rules_collecting(*dirs, bundled=not dirs)
    for error in errors:
        _err(f"error: {error}")
    passed = failed = 0
    for rule, example, failure in check_rules(loaded):
        if failure is None:
            passed += 1
            continue
        failed += 1
        click.echo(f"FAILED {rule.id} :: {example.name}: {failure.message}")
        click.echo(f"  expected: {failure.expected!r}")
        click.echo(f"  got:      {failure.got!r}")
    click.echo(f"{passed} passed, {failed} failed")
    raise click.exceptions.Exit(EXIT_ERROR if errors else EXIT_CHANGES if failed else EXIT_OK)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code instead of exiting (usable from hooks and tests)."""
    try:
        # Outside standalone mode click returns the code of an Exit instead of raising it.
        code = cli.main(args=list(argv) if argv is not None else None, prog_name="cleaner", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except click.exceptions.Abort:
        _err("aborted")
        return 130
    return code if isinstance(code, int) else EXIT_OK
