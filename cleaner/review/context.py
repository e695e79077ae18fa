"""Where each edit sits among the lines: the rows and hunks of the terminal view.

Built from the edits alone. Every line an edit touches becomes a row:

- a line whose every character, terminator included, is removed is a
  *removed* row (the whole line, with its rule ids); runs of removed blank
  lines fold into one row;
- a line only partly touched (a marker inside a paragraph, a line that loses
  just its terminator, a mojibake repair) becomes *changed* rows: short
  windows of ``chars`` characters either side of the edits, so a marker in a
  600-character paragraph shows as one short line, never the paragraph.

Hunks that remove whole lines get ``lines`` lines of surrounding body as
*context* rows, shortened to ``context_chars``; windows are their own context.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..edits import CleanResult, Edit
from ..lines import Line, Lines

RowKind = Literal["context", "removed", "changed"]
PieceKind = Literal["body", "removed", "added", "clip"]


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of a row's text; a long edit keeps its head and tail and says how much it hides."""

    kind: PieceKind
    text: str
    hidden: int = 0  # characters left out after ``text``
    tail: str = ""  # shown after the ellipsis when ``hidden``


@dataclass(frozen=True, slots=True)
class Row:
    kind: RowKind
    line: int  # 1-based, in the original text
    column: int = 0  # 1-based column of the first edit of a changed row
    rules: tuple[str, ...] = ()
    pieces: tuple[Piece, ...] = ()
    blank_lines: int = 0  # a removed row standing for this many blank (or whitespace) lines


@dataclass(frozen=True, slots=True)
class Hunk:
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class Window:
    """How much to show around the edits."""

    lines: int = 1  # body lines around whole-line removals
    chars: int = 20  # characters either side of an inline edit
    context_chars: int = 40  # a context line is cut to this many characters
    span_limit: int = 60  # a longer edit shows head … tail


@dataclass(slots=True)
class _Segment:
    """The part of one edit that falls on one line."""

    start: int
    end: int
    edit: Edit
    last: bool  # the edit's last line: its replacement is shown here


@dataclass(slots=True)
class _Touch:
    line: Line
    segments: list[_Segment] = field(default_factory=list)

    @property
    def removed(self) -> bool:
        covered = sum(s.end - s.start for s in self.segments)
        whole = self.line.end - self.line.start
        return whole > 0 and covered == whole and all(s.edit.is_removal for s in self.segments)


def hunks(result: CleanResult, window: Window = Window()) -> list[Hunk]:
    """The hunks of the terminal view of ``result``, in document order."""
    lines = Lines(result.original)
    if not result.edits or not len(lines):
        return []
    touched = _touches(lines, result.edits)
    order = sorted(touched)
    clusters: list[list[int]] = [[order[0]]]
    for k in order[1:]:
        if k - clusters[-1][-1] - 1 <= 2 * window.lines:
            clusters[-1].append(k)
        else:
            clusters.append([k])
    return [_hunk(lines, touched, cluster, window) for cluster in clusters]


def _touches(lines: Lines, edits: tuple[Edit, ...]) -> dict[int, _Touch]:
    touched: dict[int, _Touch] = {}
    for edit in edits:
        first = lines.line_at(edit.start)
        last = lines.line_at(max(edit.start, edit.end - 1))
        for k in range(first, last + 1):
            line = lines[k]
            segment = _Segment(max(edit.start, line.start), min(edit.end, line.end), edit, k == last)
            touched.setdefault(k, _Touch(line)).segments.append(segment)
    return touched


def _hunk(lines: Lines, touched: dict[int, _Touch], cluster: list[int], window: Window) -> Hunk:
    first, last = cluster[0], cluster[-1]
    # Whole-line removals need the surrounding body to be placed; windows carry their own.
    with_context = any(touched[k].removed for k in cluster)
    rows: list[Row] = []
    if with_context:
        for k in range(max(0, first - window.lines), first):
            rows.append(_context_row(lines[k], window, tail=True))
    for k in range(first, last + 1):
        touch = touched.get(k)
        if touch is None:
            if with_context:
                rows.append(_context_row(lines[k], window, tail=False))
        elif touch.removed:
            rows.append(_removed_row(touch))
        else:
            rows.extend(_changed_rows(lines.text, touch, window))
    if with_context:
        for k in range(last + 1, min(len(lines), last + 1 + window.lines)):
            rows.append(_context_row(lines[k], window, tail=False))
    return Hunk(tuple(_fold_blank_runs(rows)))


def _context_row(line: Line, window: Window, *, tail: bool) -> Row:
    # The line before a removal shows its end, the lines after show their start:
    # the part that sits next to the change.
    content, limit = line.content, window.context_chars
    pieces: tuple[Piece, ...]
    if len(content) <= limit:
        pieces = (Piece("body", content),) if content else ()
    elif tail:
        pieces = (Piece("clip", "…"), Piece("body", content[-limit:]))
    else:
        pieces = (Piece("body", content[:limit]), Piece("clip", "…"))
    return Row("context", line.index + 1, pieces=pieces)


def _removed_row(touch: _Touch) -> Row:
    rules = _rules(touch.segments)
    if touch.line.is_blank:
        return Row("removed", touch.line.index + 1, rules=rules, blank_lines=1)
    return Row("removed", touch.line.index + 1, rules=rules, pieces=(Piece("removed", touch.line.content),))


def _changed_rows(text: str, touch: _Touch, window: Window) -> list[Row]:
    line, segments = touch.line, touch.segments
    groups: list[list[_Segment]] = [[segments[0]]]
    for segment in segments[1:]:
        if segment.start - groups[-1][-1].end <= 2 * window.chars:
            groups[-1].append(segment)  # windows that would overlap show as one
        else:
            groups.append([segment])
    rows: list[Row] = []
    for group in groups:
        pieces: list[Piece] = []
        left = max(line.start, group[0].start - window.chars)
        if left > line.start:
            pieces.append(Piece("clip", "…"))
        if left < group[0].start:
            pieces.append(Piece("body", text[left : group[0].start]))
        for i, segment in enumerate(group):
            if i:
                pieces.append(Piece("body", text[group[i - 1].end : segment.start]))
            if segment.end > segment.start:
                pieces.append(_span("removed", text[segment.start : segment.end], window.span_limit))
            if segment.last and segment.edit.replacement:
                pieces.append(_span("added", segment.edit.replacement, window.span_limit))
        end = group[-1].end
        if end < line.stop:  # the context never includes the line terminator
            right = min(line.stop, end + window.chars)
            pieces.append(Piece("body", text[end:right]))
            if right < line.stop:
                pieces.append(Piece("clip", "…"))
        column = group[0].start - line.start + 1
        rows.append(Row("changed", line.index + 1, column, _rules(group), tuple(pieces)))
    return rows


def _span(kind: PieceKind, text: str, limit: int) -> Piece:
    if len(text) <= limit:
        return Piece(kind, text)
    head, tail = limit * 2 // 3, limit // 4
    return Piece(kind, text[:head], hidden=len(text) - head - tail, tail=text[len(text) - tail :])


def _rules(segments: list[_Segment]) -> tuple[str, ...]:
    # A rule that weighs evidence shows it: "page-chrome: head zone + 下载 + N页, score 3.4 ≥ 2".
    return tuple(dict.fromkeys(f"{s.edit.rule}: {s.edit.reason}" if s.edit.reason else s.edit.rule for s in segments))


def _fold_blank_runs(rows: list[Row]) -> list[Row]:
    # Six removed blank lines read better as one row saying so.
    out: list[Row] = []
    for row in rows:
        prev = out[-1] if out else None
        if (
            row.blank_lines
            and prev is not None
            and prev.blank_lines
            and prev.rules == row.rules
            and prev.line + prev.blank_lines == row.line
        ):
            out[-1] = Row("removed", prev.line, rules=prev.rules, blank_lines=prev.blank_lines + 1)
        else:
            out.append(row)
    return out
