"""Cleaning files: read, decode, clean, and write back one source at a time."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import BinaryIO

from .document import DecodeError, Document, decode
from .edits import CleanResult
from .engine import Cleaner
from .files import Source, write_atomic


class Mode(Enum):
    STDOUT = "stdout"  # return the cleaned bytes to the caller
    IN_PLACE = "in-place"
    OUTPUT_DIR = "output-dir"
    CHECK = "check"  # write nothing


@dataclass(frozen=True, slots=True)
class Outcome:
    source: Source
    result: CleanResult | None = None
    document: Document | None = None
    error: str | None = None
    output: bytes | None = None  # cleaned bytes, in STDOUT mode

    @property
    def status(self) -> str:
        if self.error is not None:
            return "failed"
        return "changed" if self.result is not None and self.result.changed else "unchanged"


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
) -> Outcome:
    """Clean one file (or ``stdin``); every failure becomes an outcome with an error, never an exception."""
    try:
        data = stdin.read() if stdin is not None else source.path.read_bytes()
    except OSError as exc:
        return Outcome(source, error=f"cannot read: {exc.strerror or exc}")
    try:
        doc, result = clean_bytes(data, cleaner, encoding)
    except DecodeError as exc:
        return Outcome(source, error=str(exc))
    cleaned = doc.with_text(result.text)
    try:
        if mode is Mode.STDOUT:
            return Outcome(source, result, doc, output=cleaned.encode())
        if mode is Mode.IN_PLACE and result.changed:
            write_atomic(source.path, cleaned.encode())
        elif mode is Mode.OUTPUT_DIR:
            assert output_dir is not None
            target = output_dir / source.relative
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, cleaned.encode())
    except OSError as exc:
        return Outcome(source, result, doc, error=f"cannot write: {exc.strerror or exc}")
    return Outcome(source, result, doc)
