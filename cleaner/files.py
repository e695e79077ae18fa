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
from pathlib import Path
from typing import BinaryIO, TypeVar

from .globs import Globs, compile_globs, read_ignore_file

STDIN = Path("-")  # the path that stands for standard input
DEFAULT_INCLUDE = ("*.txt", "*.md", "*.jsonl", "*.jsonl.gz", "*.jsonl.zst", "*.parquet")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Source:
    path: Path
    relative: Path  # where it goes under --output-dir


def find_git_root(folder: Path) -> Path | None:
    """The work tree holding ``folder`` (the nearest parent with ``.git``), if any."""
    here = Path(os.path.abspath(folder))
    for candidate in (here, *here.parents):
        if os.path.exists(os.path.join(candidate, ".git")):
            return candidate
    return None


class _GitIgnores:
    """The .gitignore files that apply to one folder walk; deeper files win, as in git."""

    def __init__(self, top: Path) -> None:
        # (where it applies: a prefix of paths relative to the top; what to put before them; patterns)
        self.stack: list[tuple[str, str, Globs]] = []
        root = find_git_root(top)
        if root is None:
            return
        top_abs = Path(os.path.abspath(top))
        # The work tree's exclude file and the .gitignore files above the top apply to the walk too.
        outer = [(root / ".git" / "info" / "exclude", root)]
        folder = root
        for part in ("", *top_abs.relative_to(root).parts):
            folder = folder / part if part else folder
            if folder != top_abs:
                outer.append((folder / ".gitignore", folder))
        for file, where in outer:
            globs = read_ignore_file(file)
            if globs is not None:
                lead = top_abs.relative_to(where).as_posix() + "/"
                self.stack.append(("", "" if lead == "./" else lead, globs))
        # A folder named on the command line that the outer files ignore (or that lies in an
        # ignored folder) is walked as asked: naming it is the user's choice, as for a file.
        if self.stack and any(_ignores(file, where, top_abs) for file, where in outer):
            self.stack.clear()

    def enter(self, folder: str, prefix: str) -> int:
        """Read ``folder``'s own .gitignore; returns the depth to cut the stack back to on leaving it."""
        depth = len(self.stack)
        globs = read_ignore_file(Path(folder) / ".gitignore")
        if globs is not None:
            self.stack.append((prefix, "", globs))
        return depth

    def ignored(self, rel: str, is_dir: bool) -> bool:
        for prefix, lead, globs in reversed(self.stack):
            if not rel.startswith(prefix):
                continue
            decided = globs.decide(lead + rel[len(prefix) :], is_dir)
            if decided is not None:
                return decided
        return False


def _ignores(file: Path, where: Path, top: Path) -> bool:
    """Whether the ignore file ``file`` (its patterns relative to ``where``) ignores ``top`` or a
    folder between them."""
    globs = read_ignore_file(file)
    if globs is None:
        return False
    parts = top.relative_to(where).parts
    return any(globs.decide("/".join(parts[: i + 1]), True) for i in range(len(parts)))


def iter_sources(
    paths: Iterable[Path],
    include: Iterable[str] = DEFAULT_INCLUDE,
    exclude: Iterable[str] = (),
    follow_links: bool = False,
    hidden: bool = False,
    *,
    gitignore: bool = False,
    skip_dirs: Iterable[tuple[int, int]] = (),
    seen: set[tuple[int, int]] | None = None,
    stale: list[str] | None = None,
) -> Iterator[Source]:
    """Files named directly are always taken; folders are walked for ``include`` patterns.

    Patterns follow gitignore semantics (see :mod:`cleaner.globs`), relative
    to the folder walked: an ``exclude`` that names a folder leaves out all of
    it. In each folder its files come first, then its subfolders, both sorted
    by name. Only regular files are taken (a FIFO or a device would block or
    never end); hidden entries and symbolic links are skipped unless asked
    for. A folder met twice (a symbolic link loop) is walked once.
    ``gitignore`` honours the .gitignore files of the git work tree a folder
    is in. ``skip_dirs`` are folders (device, inode) never walked (where this
    run writes). ``seen`` (device, inode) pairs: a file already in it is not
    given again, and every file given is added. ``stale`` collects the
    temporary files a killed run of this tool left in the folders walked.
    """
    include, exclude = tuple(include), tuple(exclude)
    skip = set(skip_dirs)

    def fresh(key: tuple[int, int]) -> bool:
        if seen is None:
            return True
        if key in seen:
            return False
        seen.add(key)
        return True

    def walk(
        top: Path, folder: str, prefix: str, ignores: _GitIgnores | None, visited: set[tuple[int, int]]
    ) -> Iterator[Source]:
        wanted, unwanted = compile_globs(include), compile_globs(exclude)  # cached: compiled once
        try:
            st = os.stat(folder)
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:  # an unreadable folder is skipped, as os.walk does
            return
        key = (st.st_dev, st.st_ino)
        if key in visited or key in skip:
            return  # a link back to a folder being walked (a loop), or where this run writes
        depth = ignores.enter(folder, prefix) if ignores is not None else 0
        subfolders = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                if stale is not None and is_stale_temp(name):
                    stale.append(entry.path)
                if not hidden:
                    continue
            rel = prefix + name
            if ignores is not None and name == ".git":
                continue  # git's own folder is never part of the work tree, even with --hidden
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if (
                    (follow_links or not entry.is_symlink())
                    and not unwanted.matches(rel, True)
                    and (ignores is None or not ignores.ignored(rel, True))
                ):
                    subfolders.append(entry)
                continue
            link = entry.is_symlink()
            if link and not follow_links:
                continue
            try:
                regular = entry.is_file()
            except OSError:
                regular = False
            if not regular and not (link and not os.path.exists(entry.path)):
                continue  # FIFOs, sockets, devices; a broken link is kept, to be reported
            if not wanted.matches(rel) or unwanted.matches(rel):
                continue
            if ignores is not None and ignores.ignored(rel, False):
                continue
            if seen is not None and not fresh(
                (st.st_dev if not link else _dev(entry), entry.inode() if not link else _ino(entry))
            ):
                continue
            yield Source(top / rel, Path(rel))
        visited.add(key)
        for entry in subfolders:
            yield from walk(top, entry.path, f"{prefix}{entry.name}/", ignores, visited)
        visited.discard(key)
        if ignores is not None:
            del ignores.stack[depth:]

    for path in paths:
        if path.is_dir():
            ignores = _GitIgnores(path) if gitignore else None
            yield from walk(path, os.fspath(path), "", ignores, set())
        else:
            try:
                st = os.stat(path)
            except OSError:
                st = None
            if st is not None and not fresh((st.st_dev, st.st_ino)):
                continue
            yield Source(path, Path(path.name))


def _dev(entry: os.DirEntry[str]) -> int:
    try:
        return entry.stat().st_dev
    except OSError:
        return -1


def _ino(entry: os.DirEntry[str]) -> int:
    try:
        return entry.stat().st_ino
    except OSError:
        return -1


MAX_TEXT_BYTES = 256 << 20  # one text file; JSONL corpora stream and have no such bound


class TooLarge(OSError):
    pass


def read_file(path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    """The whole file, in one read when its size is known; at most ``limit`` bytes (/dev/zero never ends)."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        size = os.fstat(fd).st_size
        if size > limit:
            raise _too_large(limit)
        chunks = [os.read(fd, size + 1 if size else 1 << 16)]
        total = len(chunks[0])
        while chunks[-1]:  # a file that grew, or one that reports no size (/proc, pipes, devices)
            chunks.append(os.read(fd, 1 << 20))
            total += len(chunks[-1])
            if total > limit:
                raise _too_large(limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_stream(stream: BinaryIO, limit: int = MAX_TEXT_BYTES) -> bytes:
    """What ``stream`` (stdin) holds, at most ``limit`` bytes."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    return data


def _too_large(limit: int) -> TooLarge:
    return TooLarge(
        errno.EFBIG,
        f"larger than {limit >> 20} MiB, too large for one text file (a corpus can be JSONL, which streams)",
    )


class NotRewritable(OSError):
    pass


def in_place_target(path: Path | str) -> str:
    """The file an in-place rewrite replaces: a symbolic link's target (as ``sed -i --follow-symlinks``).

    A file with several hard links is refused: replacing it would leave the
    other names with the old text.
    """
    target = os.path.realpath(path)
    st = os.stat(target)
    if st.st_nlink > 1:
        raise NotRewritable(
            errno.EMLINK,
            f"has {st.st_nlink} hard links; rewriting it would split them (the other names would keep the old text); left unchanged",
        )
    return target


_serial = itertools.count()
# What temp_beside names a temporary file: .NAME.PID.SERIAL.tmp (.tmp.gz for a compressed corpus).
_TEMP_NAME = re.compile(r"\..+\.(\d+)\.\d+\.tmp(?:\.gz)?")


_live_temps: set[str] = set()  # temporary files of this process not yet renamed or removed


def end_on_sigterm() -> None:
    """On SIGTERM, remove this process's temporary files and exit 143 (128 + SIGTERM).

    Exiting on the spot rather than unwinding: a worker of a process pool would
    catch the exception and go on with its next task.
    """
    import signal

    def stop(signum: int, frame: object) -> None:
        for tmp in list(_live_temps):
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def forget_temp(tmp: str) -> None:
    """``tmp`` was renamed into place or removed."""
    _live_temps.discard(tmp)


def is_stale_temp(name: str) -> bool:
    """``name`` is a temporary file of this tool whose process is gone (killed mid-write)."""
    match = _TEMP_NAME.fullmatch(name)
    if match is None:
        return False
    pid = int(match.group(1))
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # alive, another user's
    return False  # alive: a run going on now


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
            # Known before it exists: a SIGTERM handled right after the open must find it.
            _live_temps.add(tmp)
            try:
                return os.open(tmp, flags, 0o600 if keep is not None else 0o666), tmp
            except FileExistsError:  # left by a killed run that had the same pid
                _live_temps.discard(tmp)
                continue
            except BaseException:
                _live_temps.discard(tmp)
                raise

    return _in_folder(folder, create, make_folders)


def write_atomic(
    path: Path, data: bytes, durable: bool = True, make_folders: bool = False, keep_owner: bool = False
) -> None:
    """Replace ``path`` with ``data`` all at once, keeping its permissions.

    The bytes go to a temporary file in the same folder and the file is
    renamed over the original: a crash or Ctrl-C leaves either the old file or
    the new one, never half of one. A new file gets the mode the umask allows,
    and on Linux is written unnamed and then linked in (see ``_write_new``).
    ``durable`` also flushes the bytes to disk before the rename, so that a
    power cut cannot leave an empty file in place of an original; it costs
    about a millisecond a file, so copies written beside untouched originals
    (``--output-dir``) skip it. ``keep_owner`` gives the new file the old
    one's owner and group where the process may (root may; others may keep
    the group when they belong to it).
    """
    target = os.fspath(path)
    try:
        st = os.stat(target)
        keep: int | None = st.st_mode & 0o7777
    except FileNotFoundError:
        if _write_new(target, data, durable, make_folders):
            return
        keep = None
    fd, tmp = _named_temp(target, keep, ".tmp", make_folders)
    try:
        try:
            _write_all(fd, data)
            if keep_owner and keep is not None and (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                _chown(fd, st.st_uid, st.st_gid)
            if keep is not None:
                os.fchmod(fd, keep)  # after chown, which clears set-id bits
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
        forget_temp(tmp)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        forget_temp(tmp)
        raise


def keep_owner(tmp: str, target: Path | str) -> None:
    """Give ``tmp`` the owner and group of ``target`` (which it will replace), where the process may."""
    try:
        st = os.stat(target)
    except OSError:
        return
    if (st.st_uid, st.st_gid) == (os.geteuid(), os.getegid()):
        return
    fd = os.open(tmp, os.O_RDONLY | os.O_CLOEXEC)
    try:
        _chown(fd, st.st_uid, st.st_gid)
    finally:
        os.close(fd)


def _chown(fd: int, uid: int, gid: int) -> None:
    for owner, group in ((uid, gid), (-1, gid)):
        try:
            os.fchown(fd, owner, group)
            return
        except PermissionError:
            continue


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
