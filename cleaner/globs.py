"""Path patterns with gitignore semantics (``pathspec``), for --include, --exclude and .gitignore.

``drafts`` names a file or a folder anywhere (a folder takes everything under
it), ``drafts/`` only a folder, ``/drafts`` or ``a/drafts`` a path from the
root, ``*.txt`` a name at any depth, ``!keep.txt`` takes a name back; the last
pattern that matches decides, as in git.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_GROUP = re.compile(r"\(\?P<\w+>")


@dataclass(frozen=True, slots=True)
class Globs:
    """Compiled patterns; ``decide`` gives True (matched), False (matched by a ``!`` pattern) or None."""

    patterns: tuple[tuple[re.Pattern[str], bool], ...]
    combined: re.Pattern[str] | None  # all patterns in one regex, when none is negated

    def decide(self, rel: str, is_dir: bool = False) -> bool | None:
        """``rel`` is a POSIX path relative to the patterns' root; a folder is tested with a final slash."""
        path = rel + "/" if is_dir else rel
        if self.combined is not None:
            return True if self.combined.match(path) else None
        for regex, include in reversed(self.patterns):
            if regex.match(path):
                return include
        return None

    def matches(self, rel: str, is_dir: bool = False) -> bool:
        return self.decide(rel, is_dir) is True

    def __bool__(self) -> bool:
        return bool(self.patterns)


def compile_globs(lines: Iterable[str]) -> Globs:
    """Patterns as in a .gitignore file (blank lines and ``#`` comments skipped)."""
    return _compile(tuple(lines))


@lru_cache(maxsize=64)
def _compile(lines: tuple[str, ...]) -> Globs:
    import pathspec  # only when a folder is walked or a named file checked: start-up stays small

    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    patterns: list[tuple[re.Pattern[str], bool]] = []
    for pattern in spec.patterns:
        regex = getattr(pattern, "regex", None)
        if regex is None or pattern.include is None:
            continue
        # Named groups would clash when the patterns are joined into one regex.
        patterns.append((re.compile(_GROUP.sub("(?:", regex.pattern)), bool(pattern.include)))
    combined = None
    if patterns and all(include for _, include in patterns):
        combined = re.compile("|".join(f"(?:{r.pattern})" for r, _ in patterns))
    return Globs(tuple(patterns), combined)


def read_ignore_file(path: Path) -> Globs | None:
    """A ``.gitignore`` (or ``.git/info/exclude``) file's patterns; None when there is none."""
    try:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
    except OSError:
        return None
    globs = compile_globs(text.splitlines())
    return globs if globs else None
