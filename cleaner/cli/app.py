"""The click group every command module registers on."""

from __future__ import annotations

import click

from .. import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleaner")
def cli() -> None:
    """Strip vendor boilerplate and watermarks from reports, keeping the body byte-exact."""
