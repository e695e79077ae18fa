"""Patterns written by users (their rule folders, keep patterns) run in linear time.

Python's ``re`` backtracks: ``(a+)+$`` on 31 characters or ``(.*?,){30}X`` on
a 30 KB line runs for minutes. RE2 (``google-re2``) matches in time linear in
the text for any pattern, so a user's pattern is run by RE2 wherever RE2 can
express it with the same meaning: Python's Unicode ``\\d``, ``\\s``, ``\\w`` and
``\\uXXXX`` are rewritten into RE2 syntax. A pattern RE2 cannot express
(backreferences, lookaround, ``\\b``, whose RE2 meaning is ASCII-only) keeps
Python's engine, under a time budget per document (:mod:`cleaner.budget`:
Python's engine checks for signals as it backtracks, so a timer ends it);
``cleaner rules test`` names such patterns so their authors know. The
bundled rules, written and reviewed here, keep Python's ``re``.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Callable, Iterator
from typing import Any, cast

_engine: list[Any] = []  # RE2's module, imported on first use (start-up stays as it was for bundled rules)


def _re2() -> Any:
    if not _engine:
        try:  # a core dependency; the guard keeps a broken install usable
            import re2
        except ImportError:  # pragma: no cover
            re2 = None
        _engine.append(re2)
    return _engine[0]


class PatternError(ValueError):
    pass


_SPACE = r" \t\n\r\f\v\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
_CLASSES = {"d": r"\p{Nd}", "s": _SPACE, "w": r"\p{L}\p{N}_"}
_UNSUPPORTED_ESCAPES = set("bBZ") | set("123456789")


def to_re2(pattern: str) -> str | None:
    """``pattern`` in RE2 syntax with Python's meaning, or None when RE2 cannot say the same."""
    out: list[str] = []
    i, n, in_class = 0, len(pattern), False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            e = pattern[i + 1]
            if e in _UNSUPPORTED_ESCAPES or e == "g":
                return None
            if e in "dsw" or e in "DSW":
                body = _CLASSES[e.lower()]
                if e.isupper():
                    if in_class:
                        return None  # [^\S] and the like: no simple RE2 form
                    out.append(f"[^{body}]")
                else:
                    out.append(body if in_class else f"[{body}]")
                i += 2
                continue
            if e == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", pattern[i + 2 : i + 6]):
                out.append(r"\x{" + pattern[i + 2 : i + 6] + "}")
                i += 6
                continue
            if e == "U" and re.fullmatch(r"[0-9a-fA-F]{8}", pattern[i + 2 : i + 10]):
                out.append(r"\x{" + pattern[i + 2 : i + 10] + "}")
                i += 10
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            elif c == "[":
                out.append("\\[")  # a literal [ inside a class (Python allows it bare)
                i += 1
                continue
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            if i < n and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < n and pattern[i] == "]":  # a leading ] is literal
                out.append("\\]")
                i += 1
            continue
        if c == "(" and pattern.startswith(("(?=", "(?!", "(?<=", "(?<!", "(?P=", "(?(", "(?>", "(?#"), i):
            return None
        out.append(c)
        i += 1
    return "".join(out)


class SafePattern:
    """A compiled user pattern run by RE2; looks like ``re.Pattern`` to the kinds.

    ``pattern`` and ``flags`` are Python's (what the kinds read of a pattern's
    source); matching is RE2's.
    """

    __slots__ = ("_re2", "flags", "groupindex", "groups", "pattern")

    def __init__(self, pattern: str, compiled: Any) -> None:
        python = re.compile(pattern)
        self.pattern, self.flags = pattern, python.flags
        self.groups, self.groupindex = python.groups, python.groupindex
        self._re2 = compiled

    def search(self, text: str, *args: int) -> Any:
        return self._re2.search(text, *args)

    def match(self, text: str, *args: int) -> Any:
        return self._re2.match(text, *args)

    def fullmatch(self, text: str, *args: int) -> Any:
        return self._re2.fullmatch(text, *args)

    def finditer(self, text: str, *args: int) -> Iterator[Any]:
        # RE2 ships no type stubs: its results are Any, narrowed to what ``re`` would return.
        return cast("Iterator[Any]", self._re2.finditer(text, *args))

    def findall(self, text: str, *args: int) -> list[Any]:
        return cast("list[Any]", self._re2.findall(text, *args))

    def sub(self, repl: Any, text: str, count: int = 0) -> str:
        return cast(str, self._re2.sub(repl, text, count))

    def split(self, text: str, maxsplit: int = 0) -> list[str]:
        return cast("list[str]", self._re2.split(text, maxsplit))

    def __reduce__(self) -> tuple[Callable[[str], re.Pattern[str] | SafePattern], tuple[str]]:
        return (_safe_or_python, (self.pattern,))

    def __repr__(self) -> str:
        return f"SafePattern({self.pattern!r})"


def _options() -> Any:
    options = _re2().Options()
    options.log_errors = False  # RE2 would print its own message on stderr
    return options


def _safe_or_python(pattern: str) -> SafePattern | re.Pattern[str]:
    """RE2 when it can say what ``pattern`` says; else Python's engine."""
    engine = _re2()
    if engine is not None:
        translated = to_re2(pattern)
        if translated is not None:
            try:
                return SafePattern(pattern, engine.compile(translated, options=_options()))
            except Exception:  # RE2 lacks the syntax: Python's engine
                pass
    return re.compile(pattern)


_user = contextvars.ContextVar("user_patterns", default=False)


@contextlib.contextmanager
def user_patterns(on: bool = True) -> Iterator[None]:
    """Patterns compiled meanwhile come from a user: run them by RE2 where it can."""
    token = _user.set(on)
    try:
        yield
    finally:
        _user.reset(token)


def patterns_from_user() -> bool:
    """Whether patterns compiled now come from a user (see :func:`user_patterns`)."""
    return _user.get()


def compile_rule_pattern(pattern: str) -> re.Pattern[str] | SafePattern:
    """A rule file's pattern: Python's ``re`` for bundled rules, RE2 where it can for a user's.

    Raises ``re.error`` for a pattern that is not valid Python syntax, whoever wrote it.
    """
    python = re.compile(pattern)
    return _safe_or_python(pattern) if _user.get() else python


def recompile_like(pattern: str, parts: tuple[Any, ...]) -> re.Pattern[str] | SafePattern:
    """``pattern`` (built from ``parts``, e.g. their alternation) by the engine the parts use."""
    python = re.compile(pattern)
    if any(isinstance(p, SafePattern) for p in parts):
        return _safe_or_python(pattern)
    return python


def is_safe(pattern: Any) -> bool:
    return isinstance(pattern, SafePattern)


def compile_user(pattern: str) -> re.Pattern[str] | SafePattern:
    """A keep pattern or another pattern typed by the user: PatternError when it is not valid."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise PatternError(f"{exc}") from None
    return _safe_or_python(pattern)


def backtracking_patterns(params: Any, key: str = "match") -> Iterator[str]:
    """The keys of the compiled patterns in a rule's parameters that Python's engine runs."""
    if isinstance(params, re.Pattern):
        yield key
    elif isinstance(params, dict) or hasattr(params, "items"):
        for name, value in params.items():
            yield from backtracking_patterns(value, f"{key}.{name}")
    elif isinstance(params, (list, tuple)):
        for i, value in enumerate(params):
            yield from backtracking_patterns(value, f"{key}[{i}]")


def multiline(pattern: re.Pattern[str] | SafePattern) -> re.Pattern[str] | SafePattern:
    """``pattern`` with ^ and $ at every line, on the engine it runs on (RE2 stays RE2)."""
    if isinstance(pattern, SafePattern):
        safe = _safe_or_python("(?m)" + pattern.pattern)
        if isinstance(safe, SafePattern):
            return safe
    return re.compile(pattern.pattern, re.M)
