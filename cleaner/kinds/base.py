"""What every rule kind shares: its declaration and the marks it returns."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..lines import Lines
from ..schema import Param, SchemaError


@dataclass(frozen=True, slots=True)
class Span:
    """Replace ``[start, end)`` of the text a kind was given (a removal by default)."""

    start: int
    end: int
    replacement: str = ""


@dataclass(slots=True)
class Marks:
    """What one rule wants gone: whole lines (by index) and spans inside lines."""

    lines: list[int] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)

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


def union(patterns: tuple[re.Pattern[str], ...], key: str) -> re.Pattern[str]:
    """One alternation of ``patterns`` (one scan instead of many)."""
    if len(patterns) == 1:
        return patterns[0]
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns))
    except re.error as exc:
        raise SchemaError(key, f"patterns cannot be combined ({exc.msg}); use scoped flags such as (?i:...)") from None


def any_search(patterns: tuple[Any, ...], text: str) -> bool:
    return any(p.search(text) for p in patterns)
