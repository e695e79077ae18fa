"""Progress bar and closing tables on stderr (rich, imported only when used)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..summary import Summary
from .common import err

Advance = Callable[[int, int], None]
Log = Callable[[str], None]


BIG_INPUT = 8 << 20  # one input this large (a corpus, a big text) gets a bar of its own, by bytes
REFRESH = 10  # frames a second at most


@contextmanager
def progress_bar(
    files: int, total_bytes: Callable[[], int], enabled: bool = True
) -> Iterator[tuple[Advance, Log, bool]]:
    """Yield ``advance(files_done, bytes_done)``, ``log(message)`` for stderr lines, and whether a bar is live.

    A live bar shows only on a terminal, for more than one file or for one
    big input (a JSONL corpus advances by the bytes of each batch, a big text
    file rule by rule as it is cleaned); while it is live, messages go through
    its console so they do not tear it.
    """
    if not enabled or not sys.stderr.isatty() or files < 1:
        yield (lambda _files, _bytes: None), err, False
        return
    size = total_bytes()
    if files < 2 and size < BIG_INPUT:
        yield (lambda _files, _bytes: None), err, False
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

    columns = (
        TextColumn("cleaning"),
        BarColumn(),
        TextColumn(f"{{task.fields[files]}}/{files} files"),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        # The bar follows bytes (a 1 GB corpus is one file); the file count rides along.
        # The size pass (a stat per file) only when a bar will show it.
        task = progress.add_task("clean", total=max(size, 1), files=0)
        done = [0]
        drawn = [time.monotonic()]

        def advance(n_files: int, n_bytes: int) -> None:
            done[0] += n_files
            # Drawn on a move too, at most REFRESH times a second: while one big text is
            # cleaned, the main thread leaves rich's refresh thread little time to draw.
            now = time.monotonic()
            due = now - drawn[0] >= 1 / REFRESH
            if due:
                drawn[0] = now
            progress.update(task, advance=n_bytes, files=done[0], refresh=due)

        yield advance, lambda message: progress.console.print(message, markup=False, highlight=False), True


def print_rule_table(summary: Summary) -> None:
    """Removals per rule, on stderr; nothing when nothing was removed."""
    if not summary.rules:
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("rule")
    table.add_column("edits", justify="right")
    for rule, count in sorted(summary.rules.items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row(rule, str(count))
    Console(stderr=True).print(table)
