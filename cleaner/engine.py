"""The pure cleaning engine: text in, :class:`CleanResult` (text and edits) out.

A pass runs the ``repair`` rules one after another (each sees the text the
previous one repaired), then every ``remove`` rule on the same text at once;
the tidy step turns their marks into edits. Passes repeat until nothing
changes (at most ``max_passes``), so that cleaning a cleaned text changes
nothing more: removing a header can bring a second one to the edge.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .edits import CleanResult, Edit, apply_edits, compose
from .lines import Lines
from .rules import Rule, load_rules, select_rules
from .tidy import tidy


class Cleaner:
    """Compiles the rules once; reuse one object for any number of documents."""

    def __init__(
        self,
        rules: Sequence[Rule] | None = None,
        *,
        rule_dirs: Iterable[Path | str] = (),
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        max_passes: int = 3,
    ) -> None:
        self._rule_dirs = tuple(str(d) for d in rule_dirs)
        self._select = tuple(select)
        self._ignore = tuple(ignore)
        self._explicit = rules is not None
        loaded = list(rules) if rules is not None else load_rules(*self._rule_dirs)
        self.rules: tuple[Rule, ...] = tuple(select_rules(loaded, self._select, self._ignore))
        self.max_passes = max_passes
        self._repair = [r for r in self.rules if r.phase == "repair"]
        self._remove = [r for r in self.rules if r.phase == "remove"]

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Compiled finders are closures; a copy in another process reloads the rule files.
        if self._explicit:
            paths = tuple(r.source for r in self.rules)
            return (_from_files, (paths, self.max_passes))
        return (_from_settings, (self._rule_dirs, self._select, self._ignore, self.max_passes))

    def clean(self, text: str) -> CleanResult:
        edits: list[Edit] = []
        current = text
        for _ in range(self.max_passes):
            changed = False
            for stage in self._stages():
                stage_edits = stage(current)
                if stage_edits:
                    edits = compose(text, edits, stage_edits)
                    current = apply_edits(current, stage_edits)
                    changed = True
            if not changed:
                break
        return CleanResult(original=text, text=current, edits=tuple(edits))

    def clean_many(self, texts: Iterable[str]) -> Iterator[CleanResult]:
        for text in texts:
            yield self.clean(text)

    def _stages(self) -> Iterator:  # type: ignore[type-arg]
        for rule in self._repair:
            yield lambda t, rule=rule: _run(t, [rule])
        if self._remove:
            yield lambda t: _run(t, self._remove)


def _run(text: str, rules: Sequence[Rule]) -> list[Edit]:
    lines = Lines(text)
    removed: dict[int, str] = {}
    spans: list[tuple[int, int, str, str]] = []
    for rule in rules:
        marks = rule.find(lines)
        for k in marks.lines:
            removed.setdefault(k, rule.id)
        spans.extend((s.start, s.end, s.replacement, rule.id) for s in marks.spans)
    if not removed and not spans:
        return []
    return tidy(lines, removed, spans)


def _from_files(paths: Sequence[str], max_passes: int) -> Cleaner:
    from .rules import load_rule_file, sort_rules

    return Cleaner(sort_rules(load_rule_file(Path(p)) for p in paths), max_passes=max_passes)


def _from_settings(dirs: Sequence[str], select: Sequence[str], ignore: Sequence[str], max_passes: int) -> Cleaner:
    return Cleaner(rule_dirs=dirs, select=select, ignore=ignore, max_passes=max_passes)


_default: Cleaner | None = None


def clean(text: str) -> CleanResult:
    """Clean ``text`` with the bundled rules (compiled once, on first use)."""
    global _default
    if _default is None:
        _default = Cleaner()
    return _default.clean(text)
