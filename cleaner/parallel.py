"""Ordered, bounded parallel map over worker processes that each hold one Cleaner.

Results come back in input order whatever the number of jobs, so output and
exit codes do not depend on ``--jobs``. At most ``window`` tasks are in
flight, so a huge input (a 1 GB corpus) is never read ahead into memory.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

from .engine import Cleaner

T = TypeVar("T")
R = TypeVar("R")

_worker_cleaner: Cleaner | None = None


def _init_worker(cleaner: Cleaner) -> None:
    global _worker_cleaner
    _worker_cleaner = cleaner
    from .files import end_on_sigterm

    # SIGTERM (sent when the parent dies, or by a user) removes the temporary file being written.
    end_on_sigterm()
    _die_with_parent()


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the parent dies (even by SIGKILL).

    Without it, killed runs leave workers waiting forever on the task queue.
    An interrupted worker never leaves a half-written file: writes are atomic.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent is already gone
        os._exit(1)


def _call(func: Callable[[Cleaner, Any], Any], item: Any) -> Any:
    assert _worker_cleaner is not None
    return func(_worker_cleaner, item)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def ordered_map(
    func: Callable[[Cleaner, T], R],
    items: Iterable[T],
    cleaner: Cleaner,
    jobs: int,
    window: int | None = None,
) -> Iterator[R]:
    """``func(cleaner, item)`` for every item, in order; ``func`` must be a module-level function."""
    if jobs <= 1:
        for item in items:
            yield func(cleaner, item)
        return
    from concurrent.futures import ProcessPoolExecutor  # only when there is a pool to run

    window = window or jobs * 4
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(cleaner,)) as pool:
        pending: deque[Future[R]] = deque()
        try:
            for item in items:
                pending.append(pool.submit(_call, func, item))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
