"""A standard unified diff, built from the edits, that ``patch -p1`` and ``git apply`` apply.

Lines are what patch and git call lines: ended by ``\\n`` only, so a CRLF
line keeps its ``\\r`` as content (the engine keeps ``\\r\\n`` inside its
edits too) and patch writes it back unchanged. A file without a final
newline gets ``\\ No newline at end of file``.

The diff is bytes, each file's lines in that file's own encoding, with its
byte-order mark on line 1: applying it reproduces the cleaned file byte for
byte, GB18030 included, as ``git diff`` does with raw bytes. That needs an
encoding in which ``\\n`` is the byte 0x0A and no other character contains
that byte (UTF-8, GB18030, the single-byte codecs); UTF-16 and UTF-32 files
cannot be patched line by line and raise :class:`UnifiedDiffError`.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from ..document import Document
from ..edits import CleanResult, Edit, apply_edits

NO_NEWLINE = b"\\ No newline at end of file\n"


class UnifiedDiffError(ValueError):
    """The file's encoding cannot be expressed as a line-based patch."""


@dataclass(frozen=True, slots=True)
class Block:
    """Original lines ``[old_start, old_stop)`` become new lines ``[new_start, new_stop)``."""

    old_start: int
    old_stop: int
    new_start: int
    new_stop: int


def split_lines(text: str) -> list[str]:
    """Lines ended by ``\\n`` (kept); a final line without one is kept too."""
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def changed_blocks(result: CleanResult, *, sticky_start: bool = False) -> tuple[list[str], list[str], list[Block]]:
    """The old lines, the new lines, and the blocks of lines the edits change.

    A block spans every line its edits touch; where its new text would not end
    with a newline before the end of the file (an edit joined two lines), it
    takes in the next line too, so that both sides split at the same places.
    ``sticky_start``: the file has bytes glued to its first line (a BOM), so a
    block removing the first lines also takes the line that becomes first.
    """
    original, edits = result.original, result.edits
    old = split_lines(original)
    starts = [0]
    for line in old:
        starts.append(starts[-1] + len(line))
    count = len(old)

    def line_of(offset: int) -> int:
        return min(bisect_right(starts, offset) - 1, count - 1)

    def last_line_of(edit: Edit) -> int:
        return line_of(max(edit.start, edit.end - 1))

    new: list[str] = []
    blocks: list[Block] = []
    copied = 0  # old lines before this are already accounted for
    i = 0
    while i < len(edits):
        first = line_of(edits[i].start)
        stop = last_line_of(edits[i]) + 1
        j = i + 1
        while True:
            while j < len(edits) and edits[j].start < starts[stop]:
                stop = max(stop, last_line_of(edits[j]) + 1)
                j += 1
            lo = starts[first]
            local = [Edit(e.rule, e.start - lo, e.end - lo, e.text, e.replacement) for e in edits[i:j]]
            replaced = apply_edits(original[lo : starts[stop]], local)
            whole_lines = replaced == "" or replaced.endswith("\n")
            # Removing the first lines of a BOM file rewrites the line that becomes first.
            bom_moves = sticky_start and first == 0 and replaced == ""
            if stop == count or (whole_lines and not bom_moves):
                break
            stop += 1
        new.extend(old[copied:first])
        new_start = len(new)
        new.extend(split_lines(replaced))
        blocks.append(Block(first, stop, new_start, len(new)))
        copied, i = stop, j
    new.extend(old[copied:])
    assert "".join(new) == result.text, "edits and cleaned text disagree"
    return old, new, blocks


def unified_diff(result: CleanResult, document: Document, path: str, context: int = 3) -> bytes:
    """The patch turning ``document`` into its cleaned form; empty when nothing changes."""
    if not result.edits:
        return b""
    _check_encoding(document)
    old, new, blocks = changed_blocks(result, sticky_start=bool(document.bom))
    encode = _encoder(document)
    bom_only = bool(document.bom) and not new  # cleaned to nothing: the file keeps just its BOM
    out = [b"--- " + _quote("a/" + path) + b"\n", b"+++ " + _quote("b/" + path) + b"\n"]
    for group in _groups(blocks, context):
        old_start = max(0, group[0].old_start - context)
        old_stop = min(len(old), group[-1].old_stop + context)
        new_start = group[0].new_start - (group[0].old_start - old_start)
        new_stop = group[-1].new_stop + (old_stop - group[-1].old_stop)
        new_len = new_stop - new_start + (1 if bom_only else 0)
        out.append(f"@@ -{_range(old_start, old_stop - old_start)} +{_range(new_start, new_len)} @@\n".encode("ascii"))
        k = old_start
        for block in group:
            for m in range(k, block.old_start):
                out.append(_line(b" ", encode(m, old[m])))
            for m in range(block.old_start, block.old_stop):
                out.append(_line(b"-", encode(m, old[m])))
            for m in range(block.new_start, block.new_stop):
                out.append(_line(b"+", encode(m, new[m])))
            k = block.old_stop
        if bom_only:
            out.append(_line(b"+", document.bom))
        for m in range(k, old_stop):
            out.append(_line(b" ", encode(m, old[m])))
    return b"".join(out)


def _groups(blocks: list[Block], context: int) -> list[list[Block]]:
    # Blocks whose context would touch or overlap share a hunk, as in diff -u.
    groups: list[list[Block]] = []
    for block in blocks:
        if groups and block.old_start - groups[-1][-1].old_stop <= 2 * context:
            groups[-1].append(block)
        else:
            groups.append([block])
    return groups


def _range(start: int, length: int) -> str:
    # diff's convention: a one-line range has no length; an empty range names the line before it.
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def _line(sign: bytes, data: bytes) -> bytes:
    return sign + data if data.endswith(b"\n") else sign + data + b"\n" + NO_NEWLINE


def _encoder(document: Document) -> Callable[[int, str], bytes]:
    """Encodes a line in the file's encoding; line 1 carries the file's BOM."""

    def encode(index: int, line: str) -> bytes:
        data = line.encode(document.encoding)
        return document.bom + data if index == 0 else data

    return encode


def _check_encoding(document: Document) -> None:
    try:
        newline_ok = "\n".encode(document.encoding) == b"\n"
        # A stateful or multi-byte codec must encode line by line exactly as it encodes the whole text.
        sample = split_lines(document.text)
        pieces = [line.encode(document.encoding) for line in sample]
        exact = b"".join(pieces) == document.text.encode(document.encoding)
        separated = all(p.count(b"\n") == line.endswith("\n") for p, line in zip(pieces, sample))
    except (UnicodeEncodeError, LookupError):
        newline_ok = exact = separated = False
    if not (newline_ok and exact and separated):
        raise UnifiedDiffError(
            f"a unified diff needs an ASCII-compatible encoding and this file is {document.encoding}; "
            "use the default view or `cleaner explain` for it"
        )


def _quote(path: str) -> bytes:
    """The path as patch and git read it: raw bytes; C-quoted when it holds quotes, backslashes or controls."""
    raw = os.fsencode(path)
    if any(b < 0x20 or b in (0x22, 0x5C, 0x7F) for b in raw):
        escaped = "".join(_c_escape(b) for b in raw)
        return b'"' + escaped.encode("ascii") + b'"'
    # A name with a space gets a trailing tab so the name's end is unambiguous (what git does).
    return raw + b"\t" if b" " in raw else raw


def _c_escape(byte: int) -> str:
    named = {0x22: '\\"', 0x5C: "\\\\", 0x09: "\\t", 0x0A: "\\n"}
    if byte in named:
        return named[byte]
    if byte < 0x20 or byte >= 0x7F:
        return f"\\{byte:03o}"
    return chr(byte)
