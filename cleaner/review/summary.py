"""The end-of-run tally: files changed, unchanged and failed, and edits per rule."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rich import box
from rich.console import Console
from rich.table import Table


@dataclass(slots=True)
class Tally:
    """The same categories and numbers as ``clean``'s summary (cleaner.summary.Summary) for the same files:
    files changed / unchanged / refused / failed, the edits clean would make per rule, records."""

    changed: int = 0
    unchanged: int = 0
    refused: int = 0  # clean would leave them unchanged (the removal guard): their edits are not counted
    failed: int = 0
    records: int = 0
    records_changed: int = 0
    problems: int = 0  # records clean would copy through unchanged with a problem (malformed, no text)
    kept: int = 0  # lines keep patterns saved, as clean counts them
    rules: Counter[str] = field(default_factory=Counter)

    def count(self, *, failed: bool, changed: bool, refused: bool = False) -> None:
        """One file: failed if anything in it failed, else refused, else changed if anything would change."""
        if failed:
            self.failed += 1
        elif refused:
            self.refused += 1
        elif changed:
            self.changed += 1
        else:
            self.unchanged += 1

    def line(self) -> str:
        """The totals in words, as in the HTML report."""
        text = (
            f"{self.changed + self.unchanged + self.refused + self.failed} file(s): {self.changed} changed, "
            f"{self.unchanged} unchanged, {self.refused} refused by the removal guard, {self.failed} failed; "
            f"{self.edits} edit(s)"
        )
        if self.records:
            text += f"; {self.records_changed} of {self.records} record(s) changed"
        if self.problems:
            text += f", {self.problems} copied unchanged with a problem"
        if self.kept:
            text += f"; {self.kept} line(s) kept by keep patterns"
        return text

    @property
    def edits(self) -> int:
        return sum(self.rules.values())


def render_summary(console: Console, tally: Tally, title: str = "cleaner diff") -> None:
    table = Table(title=title, title_justify="left", title_style="bold", box=box.ROUNDED, show_header=False)
    table.add_column("what", no_wrap=True)
    table.add_column("count", justify="right", no_wrap=True)
    table.add_row("files changed", str(tally.changed), style="yellow" if tally.changed else "")
    table.add_row("files unchanged", str(tally.unchanged))
    table.add_row("files refused", str(tally.refused), style="bold red" if tally.refused else "")
    table.add_row("files failed", str(tally.failed), style="bold red" if tally.failed else "")
    if tally.records:
        table.add_row("records changed", f"{tally.records_changed} of {tally.records}")
    if tally.problems:
        table.add_row("records with a problem", str(tally.problems), style="bold red")
    if tally.kept:
        table.add_row("lines kept", str(tally.kept))
    if tally.rules:
        table.add_section()
        # Most frequent first: the rule doing the most work is the one to review first.
        for rule, count in sorted(tally.rules.items(), key=lambda item: (-item[1], item[0])):
            table.add_row(rule, str(count), style="magenta")
        table.add_section()
        table.add_row("edits", str(tally.edits), style="bold")
    console.print(table)
