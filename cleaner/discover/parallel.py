"""Run a batch function over batches of documents, in-process or in worker processes.

Results come back in batch order whatever ``jobs`` is, and at most a few
batches per worker are in flight, so memory stays bounded on any corpus size.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

B = TypeVar("B")
R = TypeVar("R")

IN_FLIGHT_PER_JOB = 3


def map_batches(func: Callable[[B], R], batches: Iterable[B], jobs: int) -> Iterator[R]:
    """``func`` over ``batches`` (``func`` must be picklable when ``jobs > 1``)."""
    if jobs <= 1:
        for batch in batches:
            yield func(batch)
        return
    pending: deque[Future[R]] = deque()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for batch in batches:
            pending.append(pool.submit(func, batch))
            if len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
