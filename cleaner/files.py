"""Finding input files, reading them and writing results safely.

Folder walks and writes run once per file over corpora of millions of small
reports, so they use ``os`` calls directly: a few system calls a file instead
of the dozen that ``pathlib`` and ``tempfile`` make.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from fnmatch import translate
from pathlib import Path
from typing import TypeVar

STDIN = Path("-")  # the path that stands for standard input
DEFAULT_INCLUDE = ("*.txt", "*.md", "*.jsonl", "*.jsonl.gz")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Source:
    path: Path
    relative: Path  # where it goes under --output-dir


def _globs(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(translate(p) for p in patterns)) if patterns else None


def iter_sources(
    paths: Iterable[Path],
    include: Iterable[str] = DEFAULT_INCLUDE,
    exclude: Iterable[str] = (),
    follow_links: bool = False,
    hidden: bool = False,
) -> Iterator[Source]:
    """Files named directly are always taken; folders are walked for ``include`` globs.

    A glob matches a file's name or its path relative to the folder. In each
    folder its files come first, then its subfolders, both sorted by name.
    Hidden entries and symbolic links inside folders are skipped unless asked for.
    """
    wanted, unwanted = _globs(tuple(include)), _globs(tuple(exclude))

    def taken(name: str, rel: str) -> bool:
        if wanted is None or not (wanted.match(name) or wanted.match(rel)):
            return False
        return unwanted is None or not (unwanted.match(name) or unwanted.match(rel))

    def walk(top: Path, folder: str, prefix: str) -> Iterator[Source]:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:  # an unreadable folder is skipped, as os.walk does
            return
        subfolders = []
        for entry in entries:
            name = entry.name
            if not hidden and name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if follow_links or not entry.is_symlink():
                    subfolders.append(entry)
                continue
            if not follow_links and entry.is_symlink():
                continue
            rel = prefix + name
            if taken(name, rel):
                yield Source(top / rel, Path(rel))
        for entry in subfolders:
            yield from walk(top, entry.path, f"{prefix}{entry.name}/")

    for path in paths:
        if path.is_dir():
            yield from walk(path, os.fspath(path), "")
        else:
            yield Source(path, Path(path.name))


def read_file(path: Path) -> bytes:
    """The whole file, in one read when its size is known."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        size = os.fstat(fd).st_size
        chunks = [os.read(fd, size + 1 if size else 1 << 16)]
        while chunks[-1]:  # a file that grew, or one that reports no size (/proc, pipes)
            chunks.append(os.read(fd, 1 << 16))
        return b"".join(chunks)
    finally:
        os.close(fd)


_serial = itertools.count()


def temp_beside(path: Path | str, suffix: str = ".tmp", make_folders: bool = False) -> tuple[int, str, int | None]:
    """A new temporary file in ``path``'s folder, to be renamed over ``path``.

    Returns its descriptor, its name and the mode to give it before the rename:
    the mode of the file it replaces, or None for a new file, which already has
    what the umask allows (as open() would give it). A replacement stays
    owner-only until then. ``make_folders`` creates missing parent folders.
    """
    target = os.fspath(path)
    try:
        keep: int | None = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        keep = None
    fd, tmp = _named_temp(target, keep, suffix, make_folders)
    return fd, tmp, keep


def _in_folder(folder: str, create: Callable[[], T], make_folders: bool) -> T:
    """``create()``; with ``make_folders``, a missing ``folder`` is made and it is tried once more.

    The folder is found missing by the creation itself rather than by a check per file.
    """
    try:
        return create()
    except FileNotFoundError:
        if not make_folders or not folder:
            raise
        os.makedirs(folder, exist_ok=True)
        return create()


def _named_temp(target: str, keep: int | None, suffix: str, make_folders: bool) -> tuple[int, str]:
    folder, name = os.path.split(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC

    def create() -> tuple[int, str]:
        while True:
            tmp = os.path.join(folder, f".{name}.{os.getpid()}.{next(_serial)}{suffix}")
            try:
                return os.open(tmp, flags, 0o600 if keep is not None else 0o666), tmp
            except FileExistsError:  # left by a killed run that had the same pid
                continue

    return _in_folder(folder, create, make_folders)


def write_atomic(path: Path, data: bytes, durable: bool = True, make_folders: bool = False) -> None:
    """Replace ``path`` with ``data`` all at once, keeping its permissions.

    The bytes go to a temporary file in the same folder and the file is
    renamed over the original: a crash or Ctrl-C leaves either the old file or
    the new one, never half of one. A new file gets the mode the umask allows,
    and on Linux is written unnamed and then linked in (see ``_write_new``).
    ``durable`` also flushes the bytes to disk before the rename, so that a
    power cut cannot leave an empty file in place of an original; it costs
    about a millisecond a file, so copies written beside untouched originals
    (``--output-dir``) skip it.
    """
    target = os.fspath(path)
    try:
        keep: int | None = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        if _write_new(target, data, durable, make_folders):
            return
        keep = None
    fd, tmp = _named_temp(target, keep, ".tmp", make_folders)
    try:
        try:
            _write_all(fd, data)
            if keep is not None:
                os.fchmod(fd, keep)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


_UNNAMED = getattr(os, "O_TMPFILE", 0)
_unnamed_ok = bool(_UNNAMED)
_proc: tuple[int, int] | None = None  # (pid, descriptor of that process's /proc/self/fd)
_CANNOT_LINK = frozenset({errno.EXDEV, errno.EPERM, errno.EACCES, errno.ENOENT, errno.EINVAL, errno.EOPNOTSUPP})


def _write_new(target: str, data: bytes, durable: bool, make_folders: bool) -> bool:
    """Write a file that does not exist yet: unnamed (O_TMPFILE), then linked to its name.

    The name appears with every byte in place, as with a rename, but the
    folder changes once instead of three times (temporary name, rename): with
    several workers writing into one folder that halves the time the file
    system spends on it (measured on ext4), and a killed run leaves no
    temporary file behind. False where the system cannot do it, or when the
    name was taken meanwhile: the caller then uses a temporary name.
    """
    global _unnamed_ok
    if not _unnamed_ok:
        return False
    folder = os.path.dirname(target) or "."
    flags = os.O_WRONLY | _UNNAMED | os.O_CLOEXEC
    try:
        fd = _in_folder(folder, lambda: os.open(folder, flags, 0o666), make_folders)
        proc = _proc_fds()
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT) and os.path.isdir(folder):
            _unnamed_ok = False  # this system or file system cannot: named temporary files from now on
            return False
        raise
    try:
        _write_all(fd, data)
        if durable:
            os.fsync(fd)
        # linkat(/proc/self/fd/N, target, AT_SYMLINK_FOLLOW): the one way an
        # unprivileged process can give an unnamed file a name.
        os.link(str(fd), target, src_dir_fd=proc, follow_symlinks=True)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in _CANNOT_LINK:
            raise
        _unnamed_ok = False  # a sandbox or kernel that refuses: named temporary files from now on
        return False
    finally:
        os.close(fd)
    return True


def _proc_fds() -> int:
    # Opened per process: "self" is resolved when the folder is opened, so a
    # forked worker must not use its parent's.
    global _proc
    pid = os.getpid()
    if _proc is None or _proc[0] != pid:
        _proc = (pid, os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC))
    return _proc[1]
