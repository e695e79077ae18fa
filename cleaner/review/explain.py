"""One entry per edit, with its position: ``line:column  rule-id  removed text``.

Offsets are character offsets into the decoded original text (what
``CleanResult.edits`` holds); lines and columns are 1-based and counted in
characters, lines ended by ``\\r\\n``, ``\\n`` or ``\\r`` as the engine counts them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from ..edits import CleanResult
from ..kinds.fix_cjk_mojibake import BEYOND_REPAIR_SPOTS
from ..lines import Lines
from .visible import visible

BEYOND_REPAIR = "beyond-repair"  # not a rule: text no rule can repair, listed and left as it is


@dataclass(frozen=True, slots=True)
class Entry:
    path: str
    record: int | None  # JSONL: the record's line in the corpus; offsets are into its text field
    rule: str
    start: int
    end: int
    line: int
    column: int
    text: str
    replacement: str
    reason: str = ""  # the evidence that decided it (rules that weigh evidence)

    @property
    def position(self) -> str:
        return f"{self.line}:{self.column}"

    @property
    def document(self) -> str:
        return self.path if self.record is None else f"{self.path}#{self.record}"


def explain(result: CleanResult, path: str, record: int | None = None) -> list[Entry]:
    lines = Lines(result.original)
    entries: list[Entry] = []
    for edit in result.edits:
        k = lines.line_at(edit.start) if len(lines) else 0
        line_start = lines[k].start if len(lines) else 0
        entries.append(
            Entry(
                path,
                record,
                edit.rule,
                edit.start,
                edit.end,
                k + 1,
                edit.start - line_start + 1,
                edit.text,
                edit.replacement,
                edit.reason,
            )
        )
    # 锟斤拷 and runs of U+FFFD that no edit touched: the bytes were lost before the text reached us.
    edits, j = result.edits, 0
    for m in BEYOND_REPAIR_SPOTS.finditer(result.original):
        while j < len(edits) and edits[j].end <= m.start():
            j += 1
        if j < len(edits) and edits[j].start < m.end():
            continue
        k = lines.line_at(m.start())
        entries.append(
            Entry(
                path,
                record,
                BEYOND_REPAIR,
                m.start(),
                m.end(),
                k + 1,
                m.start() - lines[k].start + 1,
                m.group(),
                "",
                "beyond repair (bytes lost before): left as it is",
            )
        )
    entries.sort(key=lambda e: (e.start, e.end))
    return entries


def render_text(entries: Sequence[Entry], *, with_path: bool) -> str:
    """Aligned lines; the text escaped so newlines and zero-width characters show, a repair as ``old → new``."""
    if not entries:
        return ""
    positions = [f"{e.document}:{e.position}" if with_path else e.position for e in entries]
    position_width = max(len(p) for p in positions)
    rule_width = max(len(e.rule) for e in entries)
    out = []
    for position, entry in zip(positions, entries):
        shown = visible(entry.text, backslash=True)
        if entry.replacement:
            shown += " → " + visible(entry.replacement, backslash=True)
        if entry.reason:
            shown += f"  [{entry.reason}]"
        out.append(f"{position.ljust(position_width)}  {entry.rule.ljust(rule_width)}  {shown}\n")
    return "".join(out)


def render_json(entries: Sequence[Entry]) -> str:
    # Characters stay readable (ensure_ascii off); json still escapes control characters.
    records = [{**asdict(e), "kind": _kind(e)} for e in entries]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def _kind(entry: Entry) -> str:
    if entry.rule == BEYOND_REPAIR:
        return "kept"
    return "removal" if not entry.replacement else "replacement"
