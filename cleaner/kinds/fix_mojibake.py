"""``fix-mojibake``: repair UTF-8 text that was decoded as Latin-1/cp1252 and saved again.

ftfy does the decoding work, configured so that it only undoes mojibake: it
never touches full-width punctuation, quotes, character width, line breaks,
HTML entities or control characters. Lines without a mojibake-looking pair of
characters never reach ftfy (a cheap pre-check, and a guarantee that clean
Chinese text is left alone).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ..lines import Lines
from ..schema import Param
from .base import Finder, Kind, Marks, Span, gated
from .cues import Cues

SCHEMA = {
    "precheck": Param("pattern", "Only lines matching this are handed to ftfy.", required=True),
    "restore_byte_a0": Param("bool", "Treat 'Â ' as a mojibake no-break space (ftfy option).", default=True),
    "decode_inconsistent_utf8": Param("bool", "Fix mojibake mixed into otherwise good text (ftfy option).", default=True),
}


def build(params: Mapping[str, Any]) -> Finder:
    precheck: re.Pattern[str] = params["precheck"]
    cues = Cues([precheck])
    fixer: Callable[[str], str] | None = None

    def fix(text: str) -> str:
        nonlocal fixer
        if fixer is None:
            fixer = _ftfy(params["restore_byte_a0"], params["decode_inconsistent_utf8"])
        return fixer(text)

    def find(lines: Lines) -> Marks:
        marks = Marks()
        if not precheck.search(lines.text):
            return marks
        plan = cues.plan(lines)
        for k in plan.lines(lines) if plan else range(len(lines)):
            content = lines.contents[k]
            if not precheck.search(content):
                continue
            fixed = fix(content)
            if fixed == content:
                continue
            # Report only the part that changed, not the whole paragraph.
            a, b = content, fixed
            head = 0
            while head < min(len(a), len(b)) and a[head] == b[head]:
                head += 1
            tail = 0
            while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
                tail += 1
            line = lines[k]
            marks.spans.append(Span(line.start + head, line.stop - tail, b[head : len(b) - tail]))
        return marks

    return gated(find, cues)


def _ftfy(restore_byte_a0: bool, decode_inconsistent_utf8: bool) -> Callable[[str], str]:
    # Imported on the first line that needs it: ftfy costs start-up time most runs never use.
    import ftfy

    config = ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        restore_byte_a0=restore_byte_a0,
        replace_lossy_sequences=False,
        decode_inconsistent_utf8=decode_inconsistent_utf8,
        fix_c1_controls=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=False,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )
    return lambda text: ftfy.fix_text(text, config)


KIND = Kind("fix-mojibake", "Repair mojibake with ftfy, never touching punctuation or width.", SCHEMA, build, phase="repair")
