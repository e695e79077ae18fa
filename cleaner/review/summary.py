"""The end-of-run tally: files changed, unchanged and failed, and edits per rule."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rich import box
from rich.console import Console
from rich.table import Table


@dataclass(slots=True)
class Tally:
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    rules: Counter[str] = field(default_factory=Counter)

    def count(self, *, failed: bool, changed: bool) -> None:
        """One file: failed if anything in it failed, else changed if anything would change."""
        if failed:
            self.failed += 1
        elif changed:
            self.changed += 1
        else:
            self.unchanged += 1

    @property
    def edits(self) -> int:
        return sum(self.rules.values())


def render_summary(console: Console, tally: Tally, title: str = "cleaner diff") -> None:
    table = Table(title=title, title_justify="left", title_style="bold", box=box.ROUNDED, show_header=False)
    table.add_column("what", no_wrap=True)
    table.add_column("count", justify="right", no_wrap=True)
    table.add_row("files changed", str(tally.changed), style="yellow" if tally.changed else "")
    table.add_row("files unchanged", str(tally.unchanged))
    table.add_row("files failed", str(tally.failed), style="bold red" if tally.failed else "")
    if tally.rules:
        table.add_section()
        # Most frequent first: the rule doing the most work is the one to review first.
        for rule, count in sorted(tally.rules.items(), key=lambda item: (-item[1], item[0])):
            table.add_row(rule, str(count), style="magenta")
        table.add_section()
        table.add_row("edits", str(tally.edits), style="bold")
    console.print(table)
