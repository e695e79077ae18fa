"""``fix-mojibake``: repair UTF-8 text that was decoded with a single-byte codec and saved again.

ftfy does the decoding work, configured so that it only undoes mojibake: it
never touches full-width punctuation, quotes, character width, line breaks,
HTML entities or control characters. Lines without a mojibake-looking pair of
characters never reach ftfy: for each codec the rule names, a UTF-8 lead byte
as that codec shows it followed by a continuation byte as that codec shows it
(or by the space, ``?`` or U+FFFD that stand for a lost continuation byte), or
a C1 control character (Latin-1 read where Windows-1252 was meant). That
pre-check is one regex scan, cheap on clean Chinese text, and a guarantee that
clean Chinese text is left alone.
"""

from __future__ import annotations

import codecs as _codecs
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..lines import Lines
from ..schema import Param, SchemaError
from .base import Finder, Kind, Marks, Span

SCHEMA = {
    "codecs": Param(
        "str",
        "Single-byte codecs (ftfy's names, space-separated) whose mojibake of UTF-8 pre-checked lines may hold.",
        default="",
    ),
    "precheck": Param("pattern", "Lines matching this are handed to ftfy as well."),
    "restore_byte_a0": Param("bool", "Treat 'Â ' as a mojibake no-break space (ftfy option).", default=True),
    "decode_inconsistent_utf8": Param(
        "bool", "Fix mojibake mixed into otherwise good text (ftfy option).", default=True
    ),
    "replace_lossy_sequences": Param(
        "bool", "Write U+FFFD where a lost byte left a sequence unreadable (ftfy option).", default=False
    ),
    "fix_c1_controls": Param(
        "bool", "Read C1 control characters as the Windows-1252 they were (ftfy option).", default=False
    ),
}

_LEADS = bytes(range(0xC2, 0xF5))  # first bytes of multi-byte UTF-8 sequences
_CONTINUATIONS = bytes(range(0x80, 0xC0))
_LOST = " ?\ufffd"  # what a lost continuation byte turns into: a space for 0xA0, '?' or U+FFFD
_C1 = "[\\x80-\\x9f]"


def build(params: Mapping[str, Any]) -> Finder:
    precheck = _precheck(params["codecs"].split(), params["precheck"], "match.codecs")
    fixer: Callable[[str], tuple[str, str]] | None = None

    def fix(text: str) -> tuple[str, str]:
        nonlocal fixer
        if fixer is None:
            fixer = _ftfy(params)
        return fixer(text)

    def find(lines: Lines) -> Marks:
        marks = Marks()
        text = lines.text
        search = precheck.search
        m = search(text)
        if m is None:
            return marks
        contents, ends = lines.contents, lines.ends
        while m is not None:
            k = lines.line_at(m.start())
            line = lines[k]
            content = contents[k]
            fixed, reason = fix(content)
            if fixed != content:
                # Report only the part that changed, not the whole paragraph.
                head, tail = _common_ends(content, fixed)
                marks.spans.append(Span(line.start + head, line.stop - tail, fixed[head : len(fixed) - tail], reason))
            m = search(text, ends[k])  # the next line that holds a candidate pair
        return marks

    return find


def _precheck(names: Iterable[str], extra: re.Pattern[str] | None, key: str) -> re.Pattern[str]:
    """One regex for every named codec: a lead then a continuation, both as that codec shows them.

    Written as one class of all leads first (a fast scan over Chinese text,
    where none of them occurs) and then, per codec, a continuation whose lead
    the look-behind checks; an alternation of whole pairs scans 4x slower.
    """
    leads: set[str] = set()
    pairs: list[str] = []
    for name in names:
        lead, continuation = _decode(_LEADS, name, key), _decode(_CONTINUATIONS, name, key)
        leads.update(lead)
        pairs.append(f"(?<={char_class(lead)}){char_class(continuation + _LOST)}")
    parts = [f"{char_class(leads)}(?:{'|'.join(pairs)})", _C1] if pairs else []
    if extra is not None:
        parts.append(extra.pattern)
    if not parts:
        raise SchemaError(key, "name at least one codec or give a precheck")
    return re.compile("|".join(f"(?:{p})" for p in parts))


def char_class(chars: Iterable[str]) -> str:
    """A regex character class of ``chars``, with runs written as ranges."""
    points = sorted({ord(c) for c in chars})
    out: list[str] = []
    i = 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        out.append(f"\\u{points[i]:04x}" if i == j else f"\\u{points[i]:04x}-\\u{points[j]:04x}")
        i = j + 1
    return "[" + "".join(out) + "]"


def _common_ends(a: str, b: str) -> tuple[int, int]:
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


def _decode(data: bytes, name: str, key: str) -> str:
    """``data`` as codec ``name`` shows it, the bytes it cannot show left out.

    ftfy's sloppy-windows-* codecs are the Windows code page with its unassigned bytes read
    as Latin-1 (ftfy.bad_codecs.sloppy), so they are spelled out here: importing ftfy to
    register them costs 0.1 s of start-up that most runs never need.
    """
    base = name.removeprefix("sloppy-")
    try:
        _codecs.lookup(base)
    except LookupError:
        raise SchemaError(key, f"unknown codec {name!r}") from None
    if base == name:
        return data.decode(name, errors="ignore")
    out = []
    for b in data:
        ch = bytes((b,)).decode(base, errors="replace")
        out.append(chr(b) if ch == "\ufffd" else ch)
    return "".join(ch for ch in out if ch != "\x1a")


def _ftfy(params: Mapping[str, Any]) -> Callable[[str], tuple[str, str]]:
    # Imported on the first line that needs it: ftfy costs start-up time most runs never use.
    import ftfy

    # ``fix_encoding_and_explain`` itself, not ``fix_text``: with explain=False,
    # ftfy.fix_text calls fix_encoding with its default settings and ignores these.
    config = ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        restore_byte_a0=params["restore_byte_a0"],
        replace_lossy_sequences=params["replace_lossy_sequences"],
        decode_inconsistent_utf8=params["decode_inconsistent_utf8"],
        fix_c1_controls=params["fix_c1_controls"],
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=False,
        remove_control_chars=False,
        normalization=None,
        explain=True,
    )

    def fix(text: str) -> tuple[str, str]:
        fixed, steps = ftfy.fix_encoding_and_explain(text, config)
        return fixed, _reason(steps or [])

    return fix


_STEP_WORDS = {
    "restore_byte_a0": "a no-break space byte restored",
    "replace_lossy_sequences": "lost bytes shown as U+FFFD",
    "fix_c1_controls": "C1 controls read as windows-1252",
    "decode_inconsistent_utf8": "utf-8 read as windows-1252 inside good text",
}


def _reason(steps: Iterable[tuple[str, str]]) -> str:
    """ftfy's steps as codec pairs (``utf-8 read as windows-1252``), the outer layer first."""
    said: list[str] = []
    encoded = ""
    for action, what in steps:
        name = what.removeprefix("sloppy-").replace("utf-8-variants", "utf-8")
        if action == "encode":
            encoded = name
        elif action == "decode" and encoded:
            said.append(f"{name} read as {encoded}")
            encoded = ""
        elif action == "decode":
            said.append(f"decoded as {name}")
        elif what in _STEP_WORDS:
            said.append(_STEP_WORDS[what])
        else:
            said.append(what.replace("_", " "))
    return "; ".join(said)


KIND = Kind(
    "fix-mojibake", "Repair mojibake with ftfy, never touching punctuation or width.", SCHEMA, build, phase="repair"
)
