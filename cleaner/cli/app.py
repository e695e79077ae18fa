"""The top-level click group. Commands are imported only when run, so that
``cleaner clean`` on one file does not pay for the review and discover code."""

from __future__ import annotations

import importlib

import click

from .. import __version__

# name -> "module:attribute", relative to this package.
COMMANDS = {
    "clean": "clean_cmd:clean",
    "diff": "review_cmd:diff",
    "explain": "review_cmd:explain",
    "discover": "discover_cmd:discover_command",
    "rules": "rules_cmd:rules",
    "undo": "undo_cmd:undo_command",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command = getattr(importlib.import_module(f"{__package__}.{module}"), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleaner")
def cli() -> None:
    """Strip vendor boilerplate and watermarks from reports, keeping the body byte-exact."""
