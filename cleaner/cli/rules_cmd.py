"""``cleaner rules``: list, show and test rule files."""

from __future__ import annotations

from pathlib import Path

import click

from ..names import shown
from ..patterns import backtracking_patterns
from ..rules import load_rules_collecting
from .common import EXIT_CHANGES, EXIT_ERROR, EXIT_OK, err


@click.group(invoke_without_command=True)
@click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Add a folder of rule files.",
)
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
        err(f"error: {error}")
    raise click.exceptions.Exit(EXIT_ERROR if errors else EXIT_OK)


@rules.command("show")
@click.argument("rule_id")
@click.pass_obj
def rules_show(rule_dirs: tuple[Path, ...], rule_id: str) -> None:
    """Print one rule's file: its parameters and examples."""
    loaded, _ = load_rules_collecting(*rule_dirs)
    for rule in loaded:
        if rule.id == rule_id:
            click.echo(Path(rule.source).read_text(encoding="utf-8"), nl=False)
            raise click.exceptions.Exit(EXIT_OK)
    err(f"error: unknown rule id {rule_id}; valid ids: {', '.join(r.id for r in loaded)}")
    raise click.exceptions.Exit(EXIT_ERROR)


@rules.command("test")
@click.argument("dirs", nargs=-1, type=click.Path(path_type=Path))
def rules_test(dirs: tuple[Path, ...]) -> None:
    """Run the examples of the rules in DIRS (the bundled rules when none); report like a test runner."""
    from ..examples import check_rules

    loaded, errors = load_rules_collecting(*dirs, bundled=not dirs)
    for error in errors:
        err(f"error: {error}")
    bad = bool(errors)
    for folder in dirs:
        if folder.is_dir() and not any(p.name != "vocabulary.toml" for p in folder.glob("*.toml")):
            err(f"error: {shown(folder)}: no rule files (*.toml) there")
            bad = True
    if not loaded and not bad:
        err("error: no rules to test")
        bad = True
    if dirs:
        for rule in loaded:
            for key in backtracking_patterns(rule.params):
                err(
                    f"note: {shown(rule.source)}: {key}: runs on Python's backtracking engine (RE2 cannot express it); a pattern that nests repeats can hang on long lines"
                )
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
    raise click.exceptions.Exit(EXIT_ERROR if bad else EXIT_CHANGES if failed else EXIT_OK)
