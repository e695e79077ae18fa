"""Cleaning files: read, decode, clean, guard and write back one source at a time."""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import BinaryIO

from .document import DecodeError, Document, decode
from .edits import CleanResult
from .engine import Cleaner
from .files import Source, in_place_target, read_file, read_stream, write_atomic
from .guard import DEFAULT_MAX_REMOVAL, guard_message, removed_chars, removed_share
from .kinds.fix_cjk_mojibake import beyond_repair
from .names import shown

__all__ = ["DEFAULT_MAX_REMOVAL", "Mode", "Outcome", "guard_message", "process", "removed_chars", "removed_share"]


class Mode(Enum):
    STDOUT = "stdout"  # return the cleaned bytes to the caller
    IN_PLACE = "in-place"
    OUTPUT_DIR = "output-dir"
    CHECK = "check"  # write nothing


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one source. ``result``/``document`` may be dropped to ship it between processes."""

    source: Source
    result: CleanResult | None = None
    document: Document | None = None
    error: str | None = None
    output: bytes | None = None  # cleaned bytes, in STDOUT mode
    refused: str | None = None  # the removal guard tripped: nothing was written
    changed: bool = False
    size: int = 0  # bytes read
    chars_removed: int = 0
    rule_counts: dict[str, int] = field(default_factory=dict)
    records: int = 0  # JSONL: records read
    records_changed: int = 0
    problems: tuple[str, ...] = ()  # JSONL: malformed lines and refused records (grouped by kind), passed through
    problem_count: int = 0  # JSONL: how many records those messages cover
    kept: int = 0  # lines a keep pattern saved from a rule
    beyond_repair: int = 0  # spots of mojibake no rule can repair (锟斤拷, runs of U+FFFD), kept as they are

    @property
    def status(self) -> str:
        if self.error is not None:
            return "failed"
        if self.refused is not None:
            return "refused"
        return "changed" if self.changed else "unchanged"

    def light(self) -> Outcome:
        """The same outcome without the texts."""
        return replace(self, result=None, document=None)

    def packed(self) -> Packed:
        """The counts, for a worker to send back: the parent already has the source."""
        return (
            self.error,
            self.output,
            self.refused,
            self.changed,
            self.size,
            self.chars_removed,
            self.rule_counts,
            self.kept,
            self.beyond_repair,
        )

    @classmethod
    def unpack(cls, source: Source, packed: Packed) -> Outcome:
        error, output, refused, changed, size, chars_removed, rule_counts, kept, lost = packed
        return cls(
            source,
            None,
            None,
            error,
            output,
            refused,
            changed,
            size,
            chars_removed,
            rule_counts,
            kept=kept,
            beyond_repair=lost,
        )


# What a worker sends back for one text file; plain tuples pickle far faster
# than dataclasses holding paths.
Packed = tuple[str | None, bytes | None, str | None, bool, int, int, dict[str, int], int, int]


def clean_bytes(data: bytes, cleaner: Cleaner, encoding: str | None = None) -> tuple[Document, CleanResult]:
    """Decode, clean and return the document (in its own encoding) with the result."""
    doc = decode(data, encoding)
    return doc, cleaner.clean(doc.text)


def process(
    source: Source,
    cleaner: Cleaner,
    mode: Mode,
    output_dir: Path | None = None,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
    *,
    max_removal: float | None = 1.0,
    output_encoding: str | None = None,
) -> Outcome:
    """Clean one text file (or ``stdin``); every failure becomes an outcome, never an exception.

    ``output_encoding``: in STDOUT mode, encode the printed text in this codec
    (a terminal's) instead of the file's own.
    """
    try:
        data = read_stream(stdin) if stdin is not None else read_file(source.path)
    except OSError as exc:
        return Outcome(source, error=f"cannot read: {exc.strerror or exc}")
    try:
        doc, result = clean_bytes(data, cleaner, encoding)
    except DecodeError as exc:
        return Outcome(source, error=str(exc), size=len(data))
    refused = guard_message(result, max_removal) or result.refused
    applied = result.changed and not refused  # a refused document counts no removals
    base = Outcome(
        source,
        result,
        doc,
        refused=refused,
        changed=applied,
        size=len(data),
        chars_removed=removed_chars(result) if applied else 0,
        rule_counts=result.rule_counts() if applied else {},
        kept=len(result.kept),
        beyond_repair=beyond_repair(result.text),
    )
    cleaned = doc if refused else doc.with_text(result.text)
    target = source.path
    try:
        if mode is Mode.STDOUT:
            if output_encoding is not None and codecs.lookup(output_encoding).name != codecs.lookup(doc.encoding).name:
                return replace(base, output=cleaned.text.encode(output_encoding, errors="replace"))
            return replace(base, output=cleaned.encode())
        if mode is Mode.IN_PLACE and applied:
            target = Path(in_place_target(source.path))
            write_atomic(target, cleaned.encode(), keep_owner=True)
        elif mode is Mode.OUTPUT_DIR:
            assert output_dir is not None
            target = output_dir / source.relative
            write_atomic(target, cleaned.encode() if not refused else data, durable=False, make_folders=True)
    except OSError as exc:
        # Nothing was written: no removals to report for this file.
        failed = replace(base, changed=False, chars_removed=0, rule_counts={})
        where = "" if target == source.path else f" {shown(target)}"
        return replace(failed, error=f"cannot write{where}: {exc.strerror or exc}")
    return base
