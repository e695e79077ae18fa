"""Finding input files and writing results safely."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

STDIN = Path("-")  # the path that stands for standard input
DEFAULT_INCLUDE = ("*.txt", "*.md", "*.jsonl", "*.jsonl.gz")


@dataclass(frozen=True, slots=True)
class Source:
    path: Path
    relative: Path  # where it goes under --output-dir


def iter_sources(
    paths: Iterable[Path],
    include: Iterable[str] = DEFAULT_INCLUDE,
    exclude: Iterable[str] = (),
    follow_links: bool = False,
    hidden: bool = False,
) -> Iterator[Source]:
    """Files named directly are always taken; folders are walked for ``include`` globs.

    Hidden entries and symbolic links inside folders are skipped unless asked for.
    """
    include, exclude = tuple(include), tuple(exclude)
    for path in paths:
        if not path.is_dir():
            yield Source(path, Path(path.name))
            continue
        for root, dirs, files in os.walk(path, followlinks=follow_links):
            dirs[:] = sorted(d for d in dirs if hidden or not d.startswith("."))
            for name in sorted(files):
                full = Path(root) / name
                rel = full.relative_to(path)
                if not hidden and name.startswith("."):
                    continue
                if full.is_symlink() and not follow_links:
                    continue
                if not any(fnmatch(name, g) or fnmatch(str(rel), g) for g in include):
                    continue
                if any(fnmatch(name, g) or fnmatch(str(rel), g) for g in exclude):
                    continue
                yield Source(full, rel)


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` all at once, keeping its permissions.

    The bytes go to a temporary file in the same folder and the file is
    renamed over the original: a crash or Ctrl-C leaves either the old file or
    the new one, never half of one. ``durable`` also flushes the bytes to disk
    before the rename, so that a power cut cannot leave an empty file in place
    of an original; it costs about a millisecond a file, so copies written
    beside untouched originals (``--output-dir``) skip it.
    """
    path = Path(path)
    try:
        mode: int | None = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
