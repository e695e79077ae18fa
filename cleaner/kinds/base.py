"""What every rule kind shares: its declaration and the marks it returns."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ..lines import Lines
from ..patterns import recompile_like
from ..schema import Param, SchemaError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Span:
    """Replace ``[start, end)`` of the text a kind was given (a removal by default)."""

    start: int
    end: int
    replacement: str = ""
    reason: str = ""


@dataclass(slots=True)
class Marks:
    """What one rule wants gone: whole lines (by index) and spans inside lines."""

    lines: list[int] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    reasons: dict[int, str] = field(default_factory=dict)  # line index -> evidence, where weighed

    def __bool__(self) -> bool:
        return bool(self.lines or self.spans)


Finder = Callable[[Lines], Marks]


@dataclass(frozen=True, slots=True)
class Kind:
    """A rule kind: a schema for its ``[match]`` table and a factory of finders.

    ``build`` receives the validated parameters (patterns already compiled)
    and returns a pure function from a document's lines to marks.
    """

    name: str
    summary: str
    schema: Mapping[str, Param]
    build: Callable[[Mapping[str, Any]], Finder]
    phase: str = "remove"  # "repair" kinds run first, one after another
    # Runs after the other remove rules of its pass and sees the lines they
    # claimed (``Lines.claimed``): junk found by any rule anchors a block.
    sees_claimed: bool = False
    # Whether the lines it marks anchor those blocks: a kind that already weighed
    # each line's context (score-lines) does not lend its lines to a block.
    anchors_blocks: bool = True


def union(patterns: tuple[re.Pattern[str], ...], key: str) -> re.Pattern[str]:
    """One alternation of ``patterns`` (one scan instead of many)."""
    if len(patterns) == 1:
        return patterns[0]
    try:
        return recompile_like("|".join(f"(?:{p.pattern})" for p in patterns), patterns)  # type: ignore[return-value]
    except re.error as exc:
        raise SchemaError(key, f"patterns cannot be combined ({exc.msg}); use scoped flags such as (?i:...)") from None


def gated(find: Finder, triggers: Any) -> Finder:
    """Declare that ``find`` marks nothing in a text holding none of its ``triggers``
    (a ``cues.Triggers``, or None): the engine checks several rules declared so with one scan."""
    find.triggers = triggers  # type: ignore[attr-defined]
    return find


def any_search(patterns: tuple[Any, ...], text: str) -> bool:
    return any(p.search(text) for p in patterns)


WARM_UP = 8  # uses of a finder before its speed-ups are built (see Warm)
WARM_UP_CHARS = 32_768  # ...where a text this long counts as one more use


class Warm(Generic[T]):
    """A speed-up worth building only when many documents follow.

    ``get()`` gives None for the first WARM_UP calls, then what ``build``
    returns (built once); a call about a long text counts for more, so a
    single long document gets the speed-ups at once. Compiling combined
    regexes and reading cue strings out of parse trees costs tens of
    milliseconds: a one-document run, where start-up time is all that counts,
    never pays it; a corpus has the speed-ups after a few documents. Both
    paths give the same results.
    """

    __slots__ = ("_build", "_left", "_value")

    def __init__(self, build: Callable[[], T]) -> None:
        self._build: Callable[[], T] | None = build
        self._left = WARM_UP
        self._value: T | None = None

    def get(self, size: int = 0) -> T | None:
        """None while warming up; ``size`` is the length of the text at hand."""
        if self._left > 0:
            self._left -= 1 + size // WARM_UP_CHARS
            if self._left >= 0:
                return None
        return self.force()

    def force(self) -> T:
        """The value now, however few the calls so far."""
        if self._build is not None:
            self._value, self._build, self._left = self._build(), None, 0
        return self._value  # type: ignore[return-value]


def any_of(patterns: tuple[re.Pattern[str], ...]) -> Callable[[str], bool]:
    """``any_search(patterns, text)``, as one regex search once warm (see Warm)."""
    if not patterns:
        return lambda text: False
    if len(patterns) == 1:
        search = patterns[0].search
        return lambda text: search(text) is not None
    combined = Warm(lambda: _combined_search(patterns))

    def test(text: str) -> bool:
        search = combined.get()
        return search(text) is not None if search is not None else any_search(patterns, text)

    return test


def _combined_search(patterns: tuple[re.Pattern[str], ...]) -> Callable[[str], re.Match[str] | None] | None:
    # Backreferences count groups, which an alternation renumbers; global flags cannot
    # combine; flags given to re.compile rather than written in the pattern would be lost.
    if any(_has_backreference(p) or re.compile(p.pattern).flags != p.flags for p in patterns):
        return None
    try:
        return recompile_like("|".join(f"(?:{p.pattern})" for p in patterns), patterns).search
    except re.error:
        return None


def _has_backreference(pattern: re.Pattern[str]) -> bool:
    return "\\" in pattern.pattern and re.search(r"\\(?:[1-9]|g)|\(\?P=|\(\?\(", pattern.pattern) is not None
