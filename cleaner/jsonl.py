"""JSONL corpora: one JSON record per line, optionally gzip- or zstd-compressed.

Records are streamed one line at a time so memory stays flat whatever the
corpus size. A line that is not a JSON object with the text field is not
dropped: it is reported with its line number and passed through unchanged.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst")


def is_jsonl(path: Path) -> bool:
    return path.name.endswith(SUFFIXES)


def is_gzip(path: Path) -> bool:
    return path.name.endswith(".gz")


def is_zstd(path: Path) -> bool:
    return path.name.endswith(".zst")


@dataclass(frozen=True, slots=True)
class Record:
    lineno: int  # 1-based
    raw: bytes  # the line as read, terminator included
    data: dict[str, Any] | None  # None when the line is malformed
    text: str | None  # the text field, when present and a string
    error: str | None = None


def open_binary(path: Path, mode: str = "rb", *, like: Path | None = None) -> IO[bytes]:
    """Open plain, gzip and zstd files alike, the codec chosen by the name of ``like`` (default ``path``)."""
    named = like if like is not None else path
    if is_gzip(named):
        return gzip.open(path, mode)  # type: ignore[return-value]
    if is_zstd(named):
        from .zstd import open_zstd  # zstandard is an extra, imported only for .zst

        return open_zstd(path, mode)
    return open(path, mode)


def iter_records(stream: Iterable[bytes], text_field: str = "text") -> Iterator[Record]:
    """Parse ``stream`` line by line; never raises on bad lines."""
    for lineno, raw in enumerate(stream, 1):
        stripped = raw.strip()
        if not stripped:
            yield Record(lineno, raw, None, None, "empty line")
            continue
        try:
            data = json.loads(stripped)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield Record(lineno, raw, None, None, f"not JSON ({exc})")
            continue
        if not isinstance(data, dict):
            yield Record(lineno, raw, None, None, "not a JSON object")
            continue
        value = data.get(text_field)
        if not isinstance(value, str):
            missing = (
                "missing"
                if text_field not in data
                else "null"
                if value is None
                else f"not a string ({type(value).__name__})"
            )
            yield Record(lineno, raw, data, None, f"field {text_field!r} {missing}")
            continue
        yield Record(lineno, raw, data, value)


def dump_record(data: dict[str, Any], like: bytes) -> bytes:
    """``data`` as a JSONL line in the style of the line it replaces (``like``).

    Values are kept exactly; the style (ASCII escapes or not, compact or
    spaced separators, line terminator) follows the original line.
    """
    body = like.rstrip(b"\r\n")
    newline = like[len(body) :]
    ascii_only = body.isascii() and b"\\u" in body
    compact = b'": ' not in body and b'", ' not in body
    separators = (",", ":") if compact else (", ", ": ")
    return json.dumps(data, ensure_ascii=ascii_only, separators=separators).encode("utf-8") + newline
