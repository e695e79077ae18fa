"""Cleaning files: read, decode, decide (see :mod:`cleaner.decision`) and write back one source at a time."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import BinaryIO

from .budget import RuleTimeout
from .decision import Decision, Stats, decide
from .document import DecodeError, Document, decode
from .edits import CleanResult
from .engine import Cleaner
from .files import Source, in_place_target, read_file, read_stream, write_atomic
from .guard import DEFAULT_MAX_REMOVAL
from .names import shown

__all__ = ["DEFAULT_MAX_REMOVAL", "Mode", "Outcome", "clean_bytes", "process"]


class Mode(Enum):
    STDOUT = "stdout"  # return the cleaned bytes to the caller
    IN_PLACE = "in-place"
    OUTPUT_DIR = "output-dir"
    CHECK = "check"  # write nothing


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one source; its counts are a :class:`Stats` (every record's, for a corpus)."""

    source: Source
    decision: Decision | None = None  # a text file's decision (dropped to ship the outcome between processes)
    document: Document | None = None
    error: str | None = None
    output: bytes | None = None  # cleaned bytes, in STDOUT mode
    refused: str | None = None  # the removal guard tripped: nothing was written
    changed: bool = False
    size: int = 0  # bytes read
    stats: Stats = field(default_factory=Stats)  # what was decided and written (nothing when a write failed)
    records: int = 0  # corpora: records read (malformed ones too)
    problems: tuple[str, ...] = ()  # corpora: malformed lines and refused records (grouped by kind), passed through
    problem_count: int = 0  # corpora: how many records those messages cover

    @property
    def status(self) -> str:
        if self.error is not None:
            return "failed"
        if self.refused is not None:
            return "refused"
        return "changed" if self.changed else "unchanged"

    @property
    def result(self) -> CleanResult | None:
        """The engine's result on a text file's text (before the outcome was made light)."""
        if self.decision is None or self.document is None:
            return None
        return self.decision.result(self.document.text)

    def light(self) -> Outcome:
        """The same outcome without the texts, to ship it between processes."""
        return replace(self, decision=None, document=None)


STEP_BYTES = 1 << 20  # a text this large moves a progress bar as it is cleaned, not only when done


class _Share:
    """Turns the share of a text cleaned into bytes moved on: ``on_bytes`` gets the increments."""

    def __init__(self, size: int, on_bytes: Callable[[int], None]) -> None:
        self.size, self.on_bytes, self.sent = size, on_bytes, 0

    def __call__(self, share: float) -> None:
        now = int(self.size * min(share, 1.0))
        if now > self.sent:
            self.on_bytes(now - self.sent)
            self.sent = now


def clean_bytes(data: bytes, cleaner: Cleaner, encoding: str | None = None) -> tuple[Document, CleanResult]:
    """Decode, clean and return the document (in its own encoding) with the result."""
    doc = decode(data, encoding)
    return doc, decide(cleaner, doc.text).result(doc.text)


def process(
    source: Source,
    cleaner: Cleaner,
    mode: Mode,
    output_dir: Path | None = None,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
    *,
    output_encoding: str | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> Outcome:
    """Clean one text file (or ``stdin``); every failure becomes an outcome, never an exception.

    The removal guard is the cleaner's (see ``Cleaner.with_guard``).
    ``output_encoding``: in STDOUT mode, encode the printed text in this codec
    (a terminal's) instead of the file's own. ``on_bytes(n)``: a text of at
    least ``STEP_BYTES`` reports its bytes as its cleaning goes, rule by rule
    (for a progress bar); the bytes it reported add up to the outcome's size.
    """
    try:
        data = read_stream(stdin) if stdin is not None else read_file(source.path)
    except OSError as exc:
        return Outcome(source, error=f"cannot read: {exc.strerror or exc}")
    try:
        doc = decode(data, encoding)
    except DecodeError as exc:
        return Outcome(source, error=str(exc), size=len(data))
    if on_bytes is not None and len(data) >= STEP_BYTES:
        cleaner = cleaner.watched(_Share(len(data), on_bytes))
    try:
        decision = decide(cleaner, doc.text)
    except RuleTimeout as exc:  # a user's pattern that backtracks without end: this file fails, the run goes on
        return Outcome(source, error=str(exc), size=len(data))
    stats = Stats()
    stats.add(decision, len(doc.text))
    base = Outcome(
        source, decision, doc, refused=decision.refused, changed=decision.changed, size=len(data), stats=stats
    )
    target = source.path
    try:
        if mode is Mode.STDOUT:
            cleaned = doc.with_text(decision.text)
            if output_encoding is not None and codecs.lookup(output_encoding).name != codecs.lookup(doc.encoding).name:
                return replace(base, output=cleaned.text.encode(output_encoding, errors="replace"))
            return replace(base, output=cleaned.encode())
        if mode is Mode.IN_PLACE and decision.changed:
            target = Path(in_place_target(source.path))
            write_atomic(target, doc.with_text(decision.text).encode(), keep_owner=True)
        elif mode is Mode.OUTPUT_DIR:
            assert output_dir is not None
            target = output_dir / source.relative
            # An unchanged (or refused) file is copied as the bytes read.
            out = doc.with_text(decision.text).encode() if decision.changed else data
            write_atomic(target, out, durable=False, make_folders=True)
    except OSError as exc:
        # Nothing was written: no removals to report for this file.
        failed = replace(base, changed=False, stats=replace(stats, chars_removed=0, rules={}, changed=0))
        where = "" if target == source.path else f" {shown(target)}"
        return replace(failed, error=f"cannot write{where}: {exc.strerror or exc}")
    return base
