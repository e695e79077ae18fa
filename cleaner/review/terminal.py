"""The terminal view of one file: a header with counts per rule, then its hunks.

Each row has a gutter (line number, sign, rule ids) and the text::

     1 - vendor-header │ 仅供学习 禁止外传 用后删除
    13:28 ~ paywall-marker │ …统计系统[-##paidbegin##-]党内法规学习…

Colour only where asked for (see :func:`use_color`); without it the removed
text is still marked, ``[-…-]`` and ``{+…+}``, so the output reads in a log.
Invisible and control characters are shown escaped (``\\u200b``), both for
the reviewer and so that a document can never drive the terminal.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TextIO

from rich.console import Console
from rich.text import Text

from ..edits import CleanResult
from .context import Hunk, Piece, Row
from .visible import visible

_STYLES = {
    "header": "bold",
    "counts": "cyan",
    "gutter": "dim",
    "rule": "magenta",
    "sign-removed": "bold red",
    "sign-changed": "bold yellow",
    "removed-line": "red",
    "removed": "bold white on red",
    "added": "bold black on green",
    "context": "dim",
    "clip": "dim",
    "note": "dim italic",
    "warning": "bold yellow",
}
# Marks that keep removed and added text readable without colour.
_PLAIN_MARKS = {"removed": ("[-", "-]"), "added": ("{+", "+}")}


def use_color(flag: bool | None, stream: TextIO) -> bool:
    """``--color``/``--no-color`` win; otherwise NO_COLOR turns it off, else colour on a terminal only."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def make_console(stream: TextIO, color: bool) -> Console:
    # soft_wrap: never insert line breaks or crop, whatever width rich guesses for a pipe.
    return Console(
        file=stream,
        force_terminal=color,
        no_color=not color,
        color_system="auto" if color else None,
        soft_wrap=True,
        highlight=False,
        markup=False,
        emoji=False,
    )


def describe_counts(result: CleanResult) -> str:
    """``5 removals (vendor-header 2, contact-line 3)``; repairs are counted apart."""
    removals = sum(e.is_removal for e in result.edits)
    repairs = len(result.edits) - removals
    parts = []
    if removals:
        parts.append(f"{removals} removal{'s' if removals != 1 else ''}")
    if repairs:
        parts.append(f"{repairs} repair{'s' if repairs != 1 else ''}")
    per_rule = ", ".join(f"{rule} {count}" for rule, count in result.rule_counts().items())
    return f"{', '.join(parts)} ({per_rule})"


def render_file(
    console: Console, label: str, result: CleanResult, hunks: Sequence[Hunk], *, note: str | None = None
) -> None:
    """Print one changed file (``note``: a warning for its header); prints nothing for a file without edits."""
    if not result.edits:
        return
    color = console.color_system is not None
    header = Text()
    header.append(label, style=_STYLES["header"])
    header.append("  ")
    header.append(describe_counts(result), style=_STYLES["counts"])
    if note:
        header.append(f"  [{note}]", style=_STYLES["warning"])
    console.print(header)
    rows = [row for hunk in hunks for row in hunk.rows]
    number_width = max(len(_number(row)) for row in rows)
    rule_width = max(len(",".join(row.rules)) for row in rows)
    for i, hunk in enumerate(hunks):
        if i:
            console.print(Text(" " * (number_width - 1) + "⋮", style=_STYLES["gutter"]))
        for row in hunk.rows:
            console.print(_row_text(row, number_width, rule_width, color))
    console.print()


def _number(row: Row) -> str:
    if row.kind == "changed":
        return f"{row.line}:{row.column}"
    if row.blank_lines > 1:
        return f"{row.line}-{row.line + row.blank_lines - 1}"
    return str(row.line)


def _row_text(row: Row, number_width: int, rule_width: int, color: bool) -> Text:
    text = Text()
    text.append(_number(row).rjust(number_width), style=_STYLES["gutter"])
    sign = {"removed": "-", "changed": "~", "context": " "}[row.kind]
    text.append(f" {sign} ", style=_STYLES.get(f"sign-{row.kind}", ""))
    text.append(",".join(row.rules).ljust(rule_width), style=_STYLES["rule"])
    text.append(" │ ", style=_STYLES["gutter"])
    if row.blank_lines:
        text.append(f"({row.blank_lines} blank line{'s' if row.blank_lines > 1 else ''})", style=_STYLES["note"])
    elif row.kind == "removed":
        # The sign marks a removed line even without colour; its text is shown whole.
        text.append(visible(row.pieces[0].text), style=_STYLES["removed-line"])
    else:
        for piece in row.pieces:
            _append_piece(text, piece, color, context=row.kind == "context")
    return text


def _append_piece(text: Text, piece: Piece, color: bool, *, context: bool) -> None:
    if piece.kind == "clip":
        text.append(piece.text, style=_STYLES["clip"])
        return
    if piece.kind == "body":
        text.append(visible(piece.text), style=_STYLES["context"] if context else "")
        return
    style = _STYLES[piece.kind]
    opening, closing = ("", "") if color else _PLAIN_MARKS[piece.kind]
    text.append(opening + visible(piece.text), style=style)
    if piece.hidden:
        text.append(f"…({piece.hidden} more)…", style=_STYLES["note"])
        text.append(visible(piece.tail), style=style)
    if closing:
        text.append(closing, style=style)
