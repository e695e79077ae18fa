"""Killed and interrupted runs (issue 13, item 25 and "Done when"): every file is original or
fully cleaned, and what a killed run left is reported (or removed) by the next run."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import cleaner_command

# Small files, so that a run of 2,000 spends its time writing (where a kill does harm), not scoring.
ORIGINAL = "仅供学习 禁止外传 用后删除\n述职报告\n本人自任职以来，认真履行岗位职责，完成了各项工作任务。\n".encode()
CLEANED = "述职报告\n本人自任职以来，认真履行岗位职责，完成了各项工作任务。\n".encode()
FILES = 2000


def start(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.Popen(cleaner_command() + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def make_tree(root: Path) -> None:
    for i in range(FILES):
        folder = root / f"d{i % 20}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{i}.txt").write_bytes(ORIGINAL)


def check_every_file(root: Path) -> int:
    """Each file is the original or the cleaned text, never anything else; how many are cleaned."""
    original, cleaned = ORIGINAL, CLEANED
    done = 0
    for path in root.rglob("f*.txt"):
        data = path.read_bytes()
        assert data in (original, cleaned), path
        done += data == cleaned
    return done


def temporaries(root: Path) -> list[Path]:
    return list(root.rglob(".*.tmp*"))


def settle(root: Path) -> None:
    """Wait (up to 20 s) until the killed run's workers are gone: they end on the SIGTERM
    their parent's death sends them, removing their own temporary files first."""
    from cleaner.files import is_stale_temp

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not all(is_stale_temp(p.name) for p in temporaries(root)):
        time.sleep(0.05)


@pytest.mark.slow  # run by .ci/run's second pass (pytest -m slow)
def test_sigkill_at_random_moments_leaves_whole_files(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    make_tree(root)
    rng = random.Random(13)
    for _ in range(3):
        proc = start("clean", "--in-place", "-q", "--jobs", "2", str(root))
        time.sleep(rng.uniform(0.4, 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        settle(root)
        check_every_file(root)
    # What a killed run may leave: a temporary file whose process is gone (made certain here).
    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = root / "d0" / f".f0.txt.{gone.pid}.7.tmp"
    stale.write_bytes(b"half a file")
    settle(root)
    left = len(temporaries(root))  # ours, and any the kills really left
    proc = subprocess.run([*cleaner_command(), "clean", "--in-place", str(root)], capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert f"{left} temporary file(s) left by an interrupted run".encode() in proc.stderr and b".f0.txt." in proc.stderr
    assert check_every_file(root) == FILES
    assert stale.exists()  # reported, not removed, without the flag
    proc = subprocess.run(
        [*cleaner_command(), "clean", "--in-place", "--remove-stale", str(root)], capture_output=True, timeout=120
    )
    assert proc.returncode == 0 and f"removed {left} temporary file(s)".encode() in proc.stderr
    assert temporaries(root) == []


def test_sigterm_removes_the_temporary_files(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    make_tree(root)
    proc = start("clean", "--in-place", "-q", "--jobs", "2", str(root))
    time.sleep(0.6)
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=30)
    settle(root)  # the workers end on their own SIGTERM (sent when the parent dies)
    assert code in (143, 0), proc.stderr.read() if proc.stderr else b""
    check_every_file(root)
    assert temporaries(root) == [], (proc.pid, proc.stderr.read() if proc.stderr else b"")


def _full_folder(tmp_path: Path) -> tuple[Path, Callable[[], None]]:
    """A 200 KB tmpfs when this process may mount one, else None."""
    folder = tmp_path / "small"
    folder.mkdir()
    try:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(folder)], check=True, capture_output=True
        )
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("cannot mount a tmpfs here (the fake-write test covers the same path)")
    return folder, lambda: subprocess.run(["umount", str(folder)], check=False)


def test_a_full_disk_leaves_the_originals_whole(tmp_path: Path) -> None:
    folder, unmount = _full_folder(tmp_path)
    try:
        paths = []
        for i in range(3):
            path = folder / f"r{i}.txt"
            path.write_bytes(ORIGINAL * 300)  # 3 x 40 KB of 200 KB
            paths.append(path)
        fd = os.open(folder / "filler.bin", os.O_WRONLY | os.O_CREAT)  # fill the rest: no temporary copy fits
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        proc = subprocess.run(
            [*cleaner_command(), "clean", "--in-place", *map(str, paths)], capture_output=True, timeout=120
        )
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.count(b"cannot write: No space left on device") == 3, proc.stderr
        assert b"0 file(s) cleaned, 0 unchanged, 3 failed; 0 edit(s)" in proc.stderr
        assert all(p.read_bytes() == ORIGINAL * 300 for p in paths)
        assert temporaries(folder) == []
    finally:
        unmount()


FAKE_FULL_DISK = """
import errno, os, sys
real = os.write
def write(fd, data):
    if fd > 2:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return real(fd, data)
os.write = write
from cleaner.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_failing_write_leaves_the_originals_whole(tmp_path: Path) -> None:
    import sys

    path = tmp_path / "r.txt"
    path.write_bytes(ORIGINAL)
    out = tmp_path / "out"
    for args in (["--in-place", "--jobs", "1", str(path)], ["-o", str(out), "--jobs", "1", str(path)]):
        proc = subprocess.run([sys.executable, "-c", FAKE_FULL_DISK, "clean", *args], capture_output=True, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert b"No space left on device" in proc.stderr and b"1 failed; 0 edit(s)" in proc.stderr
        assert path.read_bytes() == ORIGINAL
        assert temporaries(tmp_path) == []
    assert f"cannot write {out / 'r.txt'}".encode() in proc.stderr
