"""The command line: parse, call the engine, render.

Exit codes: 0 done or nothing to do; 1 changes found (--check, diff) or a
failing rule example; 2 usage, rule-file or input errors (the other files
still run). Each command lives in its own module, imported when it runs
(see ``app.COMMANDS``).
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from .app import cli
from .common import EXIT_ERROR, EXIT_OK, err

__all__ = ["cli", "main"]


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
        err("aborted")
        return 130
    return code if isinstance(code, int) else EXIT_OK
