"""Keep patterns: lines the user wants kept whatever any rule says.

A line whose content matches one of the patterns is never removed and never
edited inside; the rules that wanted it are reported (``CleanResult.kept``).
"""

from __future__ import annotations

from collections.abc import Sequence

from .patterns import PatternError, compile_user, is_safe


class KeepError(ValueError):
    def __init__(self, index: int, message: str) -> None:
        super().__init__(f"keep[{index}]: {message}")
        self.index = index
        self.message = message


class Keep:
    """Compiled keep patterns; pickles as the pattern strings."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns = tuple(patterns)
        regexes = []
        for i, pattern in enumerate(self.patterns):
            try:
                regexes.append(compile_user(pattern))
            except PatternError as exc:
                raise KeepError(i, str(exc)) from None
        self._regexes = tuple(regexes)
        # Some pattern runs on Python's backtracking engine: the engine gives its checks a time budget.
        self.backtracks = not all(is_safe(r) for r in regexes)

    def protects(self, line: str) -> bool:
        return any(r.search(line) is not None for r in self._regexes)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Keep, (self.patterns,))


def compile_keep(patterns: Sequence[str]) -> Keep | None:
    """``Keep`` for ``patterns``; None when there are none. Raises :class:`KeepError`."""
    return Keep(tuple(patterns)) if patterns else None
