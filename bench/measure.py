"""Timing helpers: in-process loops and child processes with their own peak memory."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

MB = 1 << 20  # every "MB" figure is a mebibyte of UTF-8 text
NA = "n/a (not available)"


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    cpu_seconds: float  # user + system, of the child and the workers it waited for
    steal_seconds: float | None  # CPU time the hypervisor gave to other guests meanwhile (Linux)
    returncode: int
    max_rss_mb: float  # the largest single process's peak: the child or one of its workers
    tree_rss_mb: float  # the peak of child + workers together, sampled every 20 ms
    stderr: str


def cleaner_command() -> list[str]:
    """The console script beside this interpreter, else ``python -m cleaner``."""
    script = Path(sys.executable).with_name("cleaner")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cleaner"]


def run_child(args: Sequence[str], timeout: float | None = None, cwd: Path | None = None, memory: bool = True) -> Run:
    """Run ``args`` with stdout discarded; its wall time and peak memory (see _TreeSampler)."""
    env = {**os.environ, "NO_COLOR": "1"}
    with open(os.devnull, "wb") as devnull, tempfile.TemporaryFile() as err:
        steal_before = _steal()
        start = time.perf_counter()
        proc = subprocess.Popen(list(args), stdout=devnull, stderr=err, env=env, cwd=cwd)
        timer = threading.Timer(timeout, proc.kill) if timeout else None
        if timer is not None:
            timer.start()
        sampler = _TreeSampler(proc.pid) if memory else None  # off when timing start-up
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        steal_after = _steal()
        if sampler is not None:
            sampler.stop()
        if timer is not None:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if timeout and proc.returncode == -9 and seconds >= timeout:
            raise TimeoutError(f"did not finish in {timeout:.0f} s")
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    hwm, peak = (sampler.hwm_kb / 1024, sampler.peak_kb / 1024) if sampler else (0.0, 0.0)
    cpu = usage.ru_utime + usage.ru_stime
    steal = steal_after - steal_before if steal_before is not None and steal_after is not None else None
    return Run(seconds, cpu, steal, proc.returncode, hwm, peak, text[-2000:])


def _steal() -> float | None:
    """Seconds of 'steal' so far, all CPUs: time this virtual machine was ready to run and was not."""
    try:
        with open("/proc/stat", "rb") as fh:
            fields = fh.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


class _TreeSampler(threading.Thread):
    """Samples a process and its descendants (Linux /proc) every 20 ms until stopped.

    ``peak_kb``: the largest sum of their resident sets seen at one time.
    ``hwm_kb``: the largest single process's own peak (VmHWM, which starts
    afresh at exec: ``ru_maxrss`` would count the benchmark's own pages,
    shared with the child between fork and exec).
    """

    def __init__(self, root: int, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.root, self.interval, self.peak_kb, self.hwm_kb = root, interval, 0, 0
        self._done = threading.Event()
        self.start()

    def stop(self) -> None:
        self._done.set()
        self.join()

    def run(self) -> None:
        while True:
            total = 0
            for pid in _tree(self.root):
                rss, hwm = _memory_kb(pid)
                total += rss
                self.hwm_kb = max(self.hwm_kb, hwm)
            self.peak_kb = max(self.peak_kb, total)
            if self._done.wait(self.interval):
                return


def _tree(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    parents[int(entry)] = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    out, stack = [], [root]
    while stack:
        pid = stack.pop()
        out.append(pid)
        stack.extend(child for child, parent in parents.items() if parent == pid)
    return out


def _memory_kb(pid: int) -> tuple[int, int]:
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith(b"VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, hwm


def timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def rate(seconds: float, nbytes: int, docs: int | None = None) -> dict[str, float]:
    out = {"seconds": round(seconds, 3), "mb": round(nbytes / MB, 2), "mb_per_s": round(nbytes / MB / seconds, 2)}
    if docs is not None:
        out["docs"] = docs
        out["docs_per_s"] = round(docs / seconds, 1)
    return out


def digest(chunks: Iterable[bytes]) -> str:
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(chunk)
    return h.hexdigest()[:16]


def tree_digest(root: Path) -> str:
    """Names and bytes of every file under ``root``, in a fixed order."""
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return digest(bytes(str(p.relative_to(root)), "utf-8") + b"\0" + p.read_bytes() for p in files)


def fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
