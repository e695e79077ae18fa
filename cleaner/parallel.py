"""Ordered, bounded parallel map over worker processes that each hold one Cleaner.

Results come back in input order whatever the number of jobs, so output and
exit codes do not depend on ``--jobs``. At most ``window`` tasks are in
flight, so a huge input (a 1 GB corpus) is never read ahead into memory.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from .engine import Cleaner

T = TypeVar("T")
R = TypeVar("R")

_worker_cleaner: Cleaner | None = None


def _init_worker(cleaner: Cleaner) -> None:
    global _worker_cleaner
    _worker_cleaner = cleaner


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
