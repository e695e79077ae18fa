"""Cleaning files: read, decode, clean, guard and write back one source at a time."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import BinaryIO

from .document import DecodeError, Document, decode
from .edits import CleanResult
from .engine import Cleaner
from .files import Source, read_file, write_atomic

DEFAULT_MAX_REMOVAL = 0.8  # real 文库 pages can be mostly chrome: a 25-page preview around a short body


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
    problems: tuple[str, ...] = ()  # JSONL: malformed lines and refused records, passed through

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
        return (self.error, self.output, self.refused, self.changed, self.size, self.chars_removed, self.rule_counts)

    @classmethod
    def unpack(cls, source: Source, packed: Packed) -> Outcome:
        error, output, refused, changed, size, chars_removed, rule_counts = packed
        return cls(source, None, None, error, output, refused, changed, size, chars_removed, rule_counts)


# What a worker sends back for one text file; plain tuples pickle far faster
# than dataclasses holding paths.
Packed = tuple[str | None, bytes | None, str | None, bool, int, int, dict[str, int]]


def removed_share(result: CleanResult) -> float:
    """Share of the original characters that the edits take away."""
    if not result.original:
        return 0.0
    return removed_chars(result) / len(result.original)


def removed_chars(result: CleanResult) -> int:
    # Repairs (mojibake turned back into text) shorten a document without
    # losing anything from it: only removals count.
    return sum(len(e.text) for e in result.edits if e.is_removal)


def clean_bytes(data: bytes, cleaner: Cleaner, encoding: str | None = None) -> tuple[Document, CleanResult]:
    """Decode, clean and return the document (in its own encoding) with the result."""
    doc = decode(data, encoding)
    return doc, cleaner.clean(doc.text)


def guard_message(result: CleanResult, max_removal: float) -> str | None:
    share = removed_share(result)
    if result.edits and share > max_removal:
        return f"would remove {share:.0%} of the text (more than --max-removal {max_removal:.0%}); left unchanged"
    return None


def process(
    source: Source,
    cleaner: Cleaner,
    mode: Mode,
    output_dir: Path | None = None,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
    *,
    max_removal: float = 1.0,
) -> Outcome:
    """Clean one text file (or ``stdin``); every failure becomes an outcome, never an exception."""
    try:
        data = stdin.read() if stdin is not None else read_file(source.path)
    except OSError as exc:
        return Outcome(source, error=f"cannot read: {exc.strerror or exc}")
    try:
        doc, result = clean_bytes(data, cleaner, encoding)
    except DecodeError as exc:
        return Outcome(source, error=str(exc), size=len(data))
    refused = guard_message(result, max_removal)
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
    )
    cleaned = doc if refused else doc.with_text(result.text)
    try:
        if mode is Mode.STDOUT:
            return replace(base, output=cleaned.encode())
        if mode is Mode.IN_PLACE and applied:
            write_atomic(source.path, cleaned.encode())
        elif mode is Mode.OUTPUT_DIR:
            assert output_dir is not None
            target = output_dir / source.relative
            write_atomic(target, cleaned.encode() if not refused else data, durable=False, make_folders=True)
    except OSError as exc:
        return replace(base, error=f"cannot write: {exc.strerror or exc}")
    return base
