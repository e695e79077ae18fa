"""A time budget for the user rules that RE2 cannot run (see :mod:`cleaner.patterns`).

RE2 runs most user patterns in linear time. The rest (lookaround,
backreferences, ``\\b``) stay on Python's backtracking engine, where one nested
repeat can run for hours on one line. Python's regex engine checks for signals
as it backtracks, so a ``SIGALRM`` timer ends such a match: the rule's call on
one document gets :func:`seconds_for` its size, and past that the document
fails with :class:`RuleTimeout` naming the rule, while the run goes on.

Signals reach the main thread only: in another thread (or where an
interval timer is already running for someone else) a rule runs without a
budget, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

BASE_SECONDS = 10.0  # any document: far more than a sane pattern needs on a 30 KB line
SECONDS_PER_MB = 1.0  # and more for a longer text, so a slow but finite pattern still ends

T = TypeVar("T")
R = TypeVar("R")


class RuleTimeout(Exception):
    """A rule (or a keep pattern) ran past its time budget on one text; the text is left unchanged."""

    def __init__(self, who: str, seconds: float) -> None:
        super().__init__(who, seconds)  # both, so it pickles back from a worker process
        self.who, self.seconds = who, seconds

    def __str__(self) -> str:
        return (
            f"{self.who} ran past its {self.seconds:.0f} s budget on this text "
            "(a pattern on Python's backtracking engine: RE2 cannot run it); left unchanged"
        )


def seconds_for(chars: int, base: float | None = None) -> float:
    """The budget of one rule on a text of ``chars`` characters; ``base`` defaults to
    ``$CLEANER_RULE_BUDGET`` (seconds; the tests shorten it) or ``BASE_SECONDS``."""
    if base is None:
        base = _base_from_environment()
    return base + SECONDS_PER_MB * chars / 1_000_000


def _base_from_environment() -> float:
    import math
    import os

    try:
        value = float(os.environ.get("CLEANER_RULE_BUDGET", BASE_SECONDS))
    except ValueError:
        return BASE_SECONDS
    return value if math.isfinite(value) and value > 0 else BASE_SECONDS


@contextmanager
def time_budget(seconds: float, who: str) -> Iterator[None]:
    """Raise :class:`RuleTimeout` in the block once it has run ``seconds``; a no-op where a timer cannot be set."""
    import signal  # here: most runs have no user pattern to time, and start-up counts
    import threading

    if (
        seconds <= 0
        or threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "setitimer")
        or signal.getitimer(signal.ITIMER_REAL)[0] > 0  # someone else's timer: leave it alone
    ):
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise RuleTimeout(who, seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def budgeted(who: str, find: Callable[[T], R], base: float | None = None) -> Callable[[T], R]:
    """``find`` (a rule's finder, called with a document's lines) under a time budget for each document."""

    def run(lines: T) -> R:
        with time_budget(seconds_for(len(getattr(lines, "text", "")), base), who):
            return find(lines)

    cues = getattr(find, "cues", None)
    if cues is not None:
        run.cues = cues  # type: ignore[attr-defined]  # the engine's gate reads the finder's cue strings
    return run
