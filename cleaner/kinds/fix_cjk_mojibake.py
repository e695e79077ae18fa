"""``fix-cjk-mojibake``: repair UTF-8 text that was decoded as GBK (or Big5) and saved again.

年度计划 in UTF-8 is ``E5 B9 B4 E5 BA A6 …``; read as GBK two bytes at a time it
shows as 骞村害璁″垝. Re-encoding such a run with the wrong codec gives the
UTF-8 bytes back, exactly. ftfy does not handle multi-byte codecs, so this
kind does it:

1. a pre-check, one regex scan: a character whose GBK bytes are a UTF-8 lead
   of a three- or four-byte sequence and a continuation byte, followed by a
   character whose first byte is a continuation too (or by the ``?``/U+FFFD a
   lost byte became). Every mojibake run of CJK text starts so, clean text
   rarely holds such a pair;
2. each run of characters the codec can encode is re-encoded and read as
   UTF-8. Where the wrong decoder met an incomplete sequence it wrote ``?`` or
   U+FFFD and often swallowed the next byte: those damaged spots are known
   only by their surroundings, so each becomes one U+FFFD (what a UTF-8
   decoder writes for bytes it cannot read: visible, countable by later
   filters, never a guessed character; a kept mojibake character would read
   as a real, wrong one). The stretches between them are recovered exactly;
3. a run is repaired only when its reading as UTF-8 is more plausible text
   than the run as it stands: the mean weight of its characters in the rule's
   frequency table beats the run's own by ``margin``, over at least
   ``min_chars`` characters (never one character's say).

Text beyond repair (锟斤拷, the GBK reading of U+FFFD's own UTF-8 bytes) is
left as it is: runs stop at it; ``beyond_repair`` counts it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..lines import Lines
from ..schema import Param, SchemaError
from .base import Finder, Kind, Marks, Span
from .fix_mojibake import char_class

SCHEMA = {
    "codecs": Param(
        "str", "The wrong decoders to undo, space-separated: gbk (GBK/GB18030, cp936), big5 (cp950).", default="gbk"
    ),
    "tiers": Param(
        "tables",
        "Character frequency tiers: `chars` and the `weight` (about a log frequency) each of them scores.",
        fields={
            "chars": Param("str", "Characters of this tier.", required=True),
            "weight": Param("float", "What each of them scores.", required=True),
        },
    ),
    "other_weight": Param("float", "What a character of no tier scores (ASCII never counts).", default=-14.0),
    "margin": Param("float", "How much higher the repaired run's mean weight must be.", default=2.0),
    "min_chars": Param("int", "Fewest characters a repaired run must give back.", default=2, minimum=2),
    "max_damage": Param(
        "float", "Most damaged spots per character given back (a wrong reading is mostly damage).", default=0.5
    ),
}

BEYOND_REPAIR = "锟斤拷"  # U+FFFD U+FFFD in UTF-8, read as GBK: the bytes were lost before
_LOST = "\ufffd"
_MARK = -1  # a U+FFFD in the mojibake: a byte that was already lost
_WINDOW = 512  # characters read on each side of a match in a long line


def build(params: Mapping[str, Any]) -> Finder:
    names = params["codecs"].split()
    for name in names:
        if name not in _CODECS:
            raise SchemaError("match.codecs", f"unknown codec {name!r} (known: {', '.join(sorted(_CODECS))})")
    if not names:
        raise SchemaError("match.codecs", "name at least one codec")
    weights: dict[str, float] = {}
    for tier in params["tiers"]:
        for ch in tier["chars"]:
            weights.setdefault(ch, tier["weight"])
    judge = _Judge(weights, params["other_weight"], params["margin"], params["min_chars"], params["max_damage"])
    state: dict[str, Any] = {}

    def find(lines: Lines) -> Marks:
        marks = Marks()
        if "leads" not in state:
            state["leads"] = re.compile(char_class(leads(names)))  # a scan 10x faster than set.isdisjoint
        if state["leads"].search(lines.text) is None:
            return marks  # most texts: the large pre-check is not even compiled
        if "precheck" not in state:
            state["precheck"] = precheck(names)
            state["tables"] = [(name, _table(name)) for name in names]
        search = state["precheck"].search
        tables = state["tables"]
        text = lines.text
        m = search(text)
        while m is not None:
            k = lines.line_at(m.start())
            stop = lines[k].stop
            # Read the whole line only where two characters in a row come back (cheap: a
            # few dict look-ups); clean text that passed the pre-check almost never does.
            while m is not None and m.start() < stop and not _two_back(text, m.start(), tables):
                m = search(text, m.start() + 1, stop)
            resume = lines.ends[k]
            if m is not None and m.start() < stop:
                line = lines[k]
                content = line.content
                a, b = 0, len(content)
                if b > 4 * _WINDOW:
                    # A long line is read around the match only: reading a 1 MB line whole
                    # costs seconds, and a run of mojibake is far shorter than the window.
                    at = m.start() - line.start
                    a, b = max(0, at - _WINDOW), min(b, at + _WINDOW)
                    resume = line.start + b
                for start, end, replacement, reason in _repair_line(content[a:b], tables, judge):
                    if (start == 0 and a > 0) or (end == b - a and b < len(content)):
                        continue  # a run cut by the window: not read whole, so not repaired
                    marks.spans.append(Span(line.start + a + start, line.start + a + end, replacement, reason))
            m = search(text, resume)
        return marks

    return find


BEYOND_REPAIR_SPOTS = re.compile(f"(?:{BEYOND_REPAIR})+|\ufffd+")


def _two_back(text: str, at: int, tables: Sequence[tuple[str, Mapping[str, bytes]]]) -> bool:
    """Whether the characters from ``at`` re-read as two multi-byte UTF-8 characters in a row."""
    chunk = text[at : at + 4]
    for _, table in tables:
        raw = b"".join(table.get(ch, b"\xff") for ch in chunk)
        head = raw[:1]
        size = 3 if b"\xe0" <= head <= b"\xef" else 4 if b"\xf0" <= head <= b"\xf4" else 0
        if not size:
            continue
        try:
            first = raw[:size].decode("utf-8")
        except UnicodeDecodeError:
            continue
        nxt = raw[size : size + 1]
        size2 = (
            2
            if b"\xc2" <= nxt <= b"\xdf"
            else 3
            if b"\xe0" <= nxt <= b"\xef"
            else 4
            if b"\xf0" <= nxt <= b"\xf4"
            else 0
        )
        if size2 and first and len(raw) >= size + size2:
            try:
                raw[size : size + size2].decode("utf-8")
                return True
            except UnicodeDecodeError:
                continue
    return False


def beyond_repair(text: str) -> int:
    """How many spots of ``text`` are beyond any repair: runs of 锟斤拷 and runs of U+FFFD."""
    if "\ufffd" not in text and BEYOND_REPAIR not in text:
        return 0
    return sum(1 for _ in BEYOND_REPAIR_SPOTS.finditer(text))


# --- the codec tables -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Codec:
    label: str  # as the reason names it
    decoders: tuple[str, ...]  # Python codecs tried in turn for a byte pair
    extra: Mapping[str, bytes]  # single bytes Windows maps and Python does not


_CODECS = {
    # Windows' cp936 reads 0x80 as €; GB18030 maps GBK's user-defined rows to the private use area.
    "gbk": _Codec("gbk", ("gbk", "gb18030"), {"\u20ac": b"\x80"}),
    "big5": _Codec("big5", ("cp950", "big5hkscs"), {}),
}


@cache
def _table(name: str) -> dict[str, bytes]:
    """Every two-byte character of the codec (and its single-byte extras) to its bytes."""
    codec = _CODECS[name]
    table: dict[str, bytes] = dict(codec.extra)
    pairs = [bytes((b0, b1)) for b0 in range(0x81, 0xFF) for b1 in range(0x40, 0xFF)]
    # One decode of all pairs per decoder, a newline after each (never a trail byte, so a
    # bad pair cannot swallow it): 20x faster at start-up than a decode per pair.
    readings = [b"\n".join(pairs).decode(d, errors="replace").split("\n") for d in codec.decoders]
    for i, pair in enumerate(pairs):
        for reading in readings:
            ch = reading[i]
            if "\ufffd" in ch:
                continue  # this decoder cannot read the pair: the next one may
            if len(ch) == 1:
                table.setdefault(ch, pair)
            break
    return table


def leads(names: Sequence[str]) -> frozenset[str]:
    """The characters a UTF-8 lead byte and its first continuation read as (the pre-check's first half)."""
    return frozenset(
        ch
        for name in names
        for ch, raw in _table(name).items()
        if len(raw) == 2 and 0xE0 <= raw[0] <= 0xF4 and 0x80 <= raw[1] <= 0xBF
    )


def precheck(names: Sequence[str]) -> re.Pattern[str]:
    """A lead-and-continuation character followed by a continuation-first one (or a lost byte)."""
    leads: set[str] = set()
    follows: set[str] = {"?", _LOST}
    for name in names:
        for ch, raw in _table(name).items():
            if len(raw) != 2:
                follows.add(ch) if 0x80 <= raw[0] <= 0xBF else None
                continue
            if 0xE0 <= raw[0] <= 0xF4 and 0x80 <= raw[1] <= 0xBF:
                leads.add(ch)
            if 0x80 <= raw[0] <= 0xBF:
                follows.add(ch)
    return re.compile(f"{char_class(leads)}{char_class(follows)}")


# --- reading a line again -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Judge:
    weights: Mapping[str, float]
    other: float
    margin: float
    min_chars: int
    max_damage: float

    def mean(self, chars: Sequence[str]) -> float:
        get, other = self.weights.get, self.other
        return sum(get(c, other) for c in chars) / len(chars)

    def accepts(self, before: str, after: str, damage: int) -> bool:
        old = [c for c in before if c > "\x7f" and c != _LOST]
        new = [c for c in after if c > "\x7f" and c != _LOST]
        if len(new) < self.min_chars or damage > self.max_damage * len(new) or not old:
            return False
        return self.mean(new) - self.mean(old) >= self.margin


def _repair_line(
    content: str, tables: Sequence[tuple[str, Mapping[str, bytes]]], judge: _Judge
) -> list[tuple[int, int, str, str]]:
    """(start, end, replacement, reason) of each run of ``content`` worth repairing."""
    best: list[tuple[int, int, str, str]] = []
    for name, table in tables:
        found = [
            fix for start, end in _runs(content, table) if (fix := _repair_run(content, start, end, table, name, judge))
        ]
        if sum(e - s for s, e, _, _ in found) > sum(e - s for s, e, _, _ in best):
            best = found
    return best


def _runs(content: str, table: Mapping[str, bytes]) -> list[tuple[int, int]]:
    """Maximal stretches of characters the codec can encode (ASCII, its pairs, U+FFFD), up to 锟斤拷."""
    runs: list[tuple[int, int]] = []
    start = None
    n = len(content)
    i = 0
    while i < n:
        ch = content[i]
        if (ch < "\x80" or ch == _LOST or ch in table) and not (ch == "锟" and content.startswith(BEYOND_REPAIR, i)):
            if start is None:
                start = i
            i += 1
            continue
        if start is not None:
            runs.append((start, i))
            start = None
        i += len(BEYOND_REPAIR) if content.startswith(BEYOND_REPAIR, i) else 1
    if start is not None:
        runs.append((start, n))
    return runs


def _repair_run(
    content: str, start: int, end: int, table: Mapping[str, bytes], name: str, judge: _Judge
) -> tuple[int, int, str, str] | None:
    run = content[start:end]
    if run.isascii():
        return None
    data = bytearray()
    ends: set[int] = set()  # byte offsets where a character of the run ends
    for ch in run:
        if ch < "\x80":
            data.append(ord(ch))
        elif ch == _LOST:
            data.append(0xFF)  # never valid in UTF-8: read as damage
        else:
            data += table[ch]
        ends.add(len(data))
    pieces, damage = _read_utf8(bytes(data), ends)
    # The edit covers the pieces from the first to the last that re-reading changes.
    offsets = [0]
    for count, _ in pieces:
        offsets.append(offsets[-1] + count)
    changed = [k for k, (count, piece) in enumerate(pieces) if piece != run[offsets[k] : offsets[k + 1]]]
    if not changed:
        return None
    repaired = "".join(piece for _, piece in pieces)
    if not judge.accepts(run, repaired, damage):
        return None
    k0, k1 = changed[0], changed[-1] + 1
    reason = f"utf-8 read as {name}"
    if damage:
        reason += f"; {damage} damaged spot(s) shown as U+FFFD (bytes lost before)"
    return start + offsets[k0], start + offsets[k1], "".join(piece for _, piece in pieces[k0:k1]), reason


def _read_utf8(data: bytes, ends: set[int]) -> tuple[list[tuple[int, str]], int]:
    """Read ``data`` as UTF-8 in pieces that end where source characters end.

    Each piece is (source characters it covers, text). Bytes that do not form
    a valid sequence, with the ``?`` that follows them (the wrong decoder's
    mark for what it could not read), become one U+FFFD per damaged spot; so
    does a character read just before a stray continuation byte, which shows
    that bytes went missing and the character is not what was written.
    """
    pieces: list[tuple[int, str]] = []
    text: list[str] = []
    chars = 0  # source characters in the current piece
    damage = 0
    in_damage = False
    i, n = 0, len(data)
    while i < n:
        b = data[i]
        size = 1 if b < 0x80 else 2 if 0xC2 <= b <= 0xDF else 3 if 0xE0 <= b <= 0xEF else 4 if 0xF0 <= b <= 0xF4 else 0
        ch = None
        if size == 1:
            ch = "" if b == 0x3F and in_damage else chr(b)  # "?" in damage: the wrong decoder's mark
        elif size and i + size <= n:
            try:
                ch = data[i : i + size].decode("utf-8")
            except UnicodeDecodeError:
                ch = None
        if ch is None or ch == "":
            if not in_damage:
                if 0x80 <= b <= 0xBF and text and text[-1] > "\x7f" and text[-1] != _LOST:
                    # A stray continuation byte: a character was dropped before it (a GBK
                    # private-use pair some tool removed), so the character just read took
                    # a byte that was not its own. It becomes part of the damage.
                    text[-1] = _LOST
                else:
                    text.append(_LOST)
                damage += 1
            in_damage = True
            step = 1
        else:
            text.append(ch)
            in_damage = False
            step = size
        for j in range(i + 1, i + step + 1):
            if j in ends:
                chars += 1
        i += step
        if i in ends:
            pieces.append((chars, "".join(text)))
            text, chars = [], 0
    if text or chars:
        pieces.append((chars, "".join(text)))
    return pieces, damage


KIND = Kind(
    "fix-cjk-mojibake",
    "Repair UTF-8 read as GBK or Big5 exactly; damaged spots become U+FFFD, never a guessed character.",
    SCHEMA,
    build,
    phase="repair",
)
