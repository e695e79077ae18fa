"""The pure cleaning engine: text in, :class:`CleanResult` (text and edits) out.

A pass runs the ``repair`` rules one after another (each sees the text the
previous one repaired), then every ``remove`` rule on the same text at once;
the tidy step turns their marks into edits. Passes repeat until nothing
changes (at most ``max_passes``), so that cleaning a cleaned text changes
nothing more: removing a header can bring a second one to the edge.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .budget import budgeted, seconds_for, time_budget
from .edits import CleanResult, Edit, apply_edits, compose
from .guard import DEFAULT_MAX_REMOVAL, check_share
from .keep import Keep, compile_keep
from .kinds.base import Finder, Warm
from .kinds.cues import Triggers
from .lines import Lines
from .patterns import backtracking_patterns
from .rules import Rule, RuleSpec, load_rules, select_rules
from .tidy import tidy

# (rule id, finder, sees claimed lines, its lines anchor blocks) of the rules that see the same text
Stage = list[tuple[str, Finder, bool, bool]]


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
        keep: Iterable[str] = (),
        max_removal: float | None = DEFAULT_MAX_REMOVAL,
    ) -> None:
        """``keep``: patterns of lines no rule may remove or edit. ``max_removal``: the
        removal guard, as in the CLI: a text that would lose more than this share of its
        characters comes back unchanged with ``refused`` set; None turns it off."""
        self.keep = tuple(keep)
        self._keep = compile_keep(self.keep)
        self.max_removal = None if max_removal is None else check_share(max_removal)
        loaded = list(rules) if rules is not None else load_rules(*rule_dirs)
        self.rules: tuple[Rule, ...] = tuple(select_rules(loaded, select, ignore))
        self.max_passes = max_passes
        self._version: str | None = None
        self._on_step: Callable[[float], None] | None = None  # see watched()
        # Each repair rule is a stage of its own; the remove rules share one. The
        # finders are called directly (Rule.find only wraps them): one call less per rule.
        repair: list[Stage] = [[(r.id, _finder(r), False, False)] for r in self.rules if r.phase == "repair"]
        remove: Stage = [
            (r.id, _finder(r), False, r.anchors_blocks)
            for r in self.rules
            if r.phase == "remove" and not r.kind.sees_claimed
        ]
        # Block rules come last so they can see what the others claimed.
        remove += [(r.id, _finder(r), True, False) for r in self.rules if r.phase == "remove" and r.kind.sees_claimed]
        self._repair, self._remove = repair, [remove] if remove else []
        # One scan that rules out every repair rule at once (most texts need no repair).
        self._repair_gate = Warm(lambda: _gate(repair))

    def __reduce__(self) -> tuple[Any, ...]:
        # Compiled finders are closures: a copy travels as the rules' specs (their data,
        # vocabulary and origin) and compiles where it lands, without the rule files.
        specs = tuple(r.spec for r in self.rules)
        if any(spec is None for spec in specs):
            raise TypeError("a Cleaner of rules built without a spec (by hand) cannot be pickled")
        return (_from_specs, (specs, self.max_passes, self.keep, self.max_removal))

    @property
    def rules_version(self) -> str:
        """A short digest of the rules' data: two cleaners with the same digest clean alike."""
        if self._version is None:
            digest = hashlib.sha256()
            for rule in self.rules:
                data = rule.spec.data if rule.spec is not None else {"id": rule.id, "params": repr(rule.params)}
                digest.update(json.dumps(data, sort_keys=True, ensure_ascii=False, default=repr).encode())
            digest.update(json.dumps([self.keep, self.max_passes]).encode())
            self._version = digest.hexdigest()[:12]
        return self._version

    def with_guard(self, max_removal: float | None) -> Cleaner:
        """The same compiled rules with another removal guard (None: off); nothing is compiled again."""
        guarded = copy.copy(self)
        guarded.max_removal = None if max_removal is None else check_share(max_removal)
        return guarded

    def watched(self, on_step: Callable[[float], None]) -> Cleaner:
        """The same compiled rules, calling ``on_step(share)`` after each rule as a text is cleaned.

        ``share`` grows from 0 to 1 over one text, for a progress bar over one big
        file. Rules are the finest step the engine knows: pass ``n`` (from 0) fills
        up to ``1 - 2**-(n + 1)`` of the bar (a clean text takes one pass, a dirty
        one two), the end of the text fills the rest. The callback does not travel
        to worker processes (a copy pickles as the rules).
        """
        copied = copy.copy(self)
        copied._on_step = on_step
        return copied

    def clean(self, text: str) -> CleanResult:
        """Clean ``text`` and apply the removal guard (see :func:`cleaner.decision.decide`).

        Raises :class:`cleaner.budget.RuleTimeout` when a user's pattern that RE2
        cannot run (or a keep pattern) runs past its time budget on this text.
        """
        from .decision import decide

        return decide(self, text).result(text)

    def propose(self, text: str) -> CleanResult:
        """What the rules would do to ``text``, without the removal guard; :func:`decide` guards it."""
        return self._clean(text)

    def _clean(self, text: str) -> CleanResult:
        edits: list[Edit] = []
        # (rule, line) -> how many such lines a keep pattern saved. A later pass finds the
        # same lines again: the most any pass saw, so a line is counted once, two alike twice.
        kept: dict[tuple[str, str], int] = {}
        current = text
        repair_gate = self._repair_gate.get(len(text))
        step = _Steps(self._on_step, sum(len(stage) for stage in (*self._repair, *self._remove)), self.max_passes)
        for pass_ in range(self.max_passes):
            changed = False
            saved: dict[tuple[str, str], int] = {}
            step.start(pass_)
            for gate, stages in ((repair_gate, self._repair), (None, self._remove)):
                if gate is not None and not gate(current):
                    step.skip(sum(len(stage) for stage in stages))
                    continue  # none of these rules can mark anything in this text
                for stage in stages:
                    stage_edits = _run(current, stage, self._keep, saved, step.tick)
                    if stage_edits:
                        edits = compose(text, edits, stage_edits, mid=current)
                        current = apply_edits(current, stage_edits)
                        changed = True
            for key, n in saved.items():
                kept[key] = max(kept.get(key, 0), n)
            if not changed:
                break
        step.end()
        saved_lines = tuple(key for key, n in kept.items() for _ in range(n))
        return CleanResult(original=text, text=current, edits=tuple(edits), kept=saved_lines)

    def clean_many(self, texts: Iterable[str]) -> Iterator[CleanResult]:
        for text in texts:
            yield self.clean(text)


def _finder(rule: Rule) -> Finder:
    """The rule's finder; a user's rule with a pattern RE2 cannot run gets a time budget per document."""
    find = rule.finder or rule.find
    if rule.spec is not None and rule.spec.user and any(backtracking_patterns(rule.params)):
        return budgeted(f"rule {rule.id}", find)
    return find


class _Steps:
    """Turns rule calls into the share of one text done, for :meth:`Cleaner.watched`."""

    def __init__(self, on_step: Callable[[float], None] | None, rules: int, passes: int) -> None:
        self.on_step = on_step
        self.rules = max(rules, 1)
        self.passes = passes
        self.done = 0
        self.low, self.high = 0.0, 1.0
        # None when nobody watches: _run then makes no call per rule.
        self.tick: Callable[[], None] | None = self._tick if on_step is not None else None

    def start(self, pass_: int) -> None:
        self.done = 0
        self.low = 1 - 0.5**pass_
        self.high = 1.0 if pass_ == self.passes - 1 else 1 - 0.5 ** (pass_ + 1)

    def skip(self, rules: int) -> None:
        if self.on_step is not None and rules:
            self.done += rules - 1
            self._tick()

    def _tick(self) -> None:
        assert self.on_step is not None
        self.done += 1
        self.on_step(self.low + (self.high - self.low) * min(self.done, self.rules) / self.rules)

    def end(self) -> None:
        if self.on_step is not None:
            self.on_step(1.0)


def _gate(stages: Sequence[Stage]) -> Callable[[str], bool] | None:
    """One scan telling whether any of these stages can mark anything in a text.

    Only when every finder declares its triggers (see ``kinds.base.gated``):
    a stage that marks nothing leaves the text as it is for the next one.
    """
    union: set[str] = set()
    for stage in stages:
        for _, find, _, _ in stage:
            triggers: Triggers | None = getattr(find, "triggers", None)
            if triggers is None:
                return None
            union |= triggers.words
    return Triggers(union).anywhere if union else None


def _run(
    text: str,
    stage: Stage,
    keep: Keep | None = None,
    kept: dict[tuple[str, str], int] | None = None,
    tick: Callable[[], None] | None = None,
) -> list[Edit]:
    lines = Lines(text)
    removed: dict[int, str] = {}
    reasons: dict[int, str] = {}
    anchors: set[int] = set()  # lines block rules may build on (see Kind.anchors_blocks)
    spans: list[tuple[int, int, str, str, str]] = []
    blocks: dict[int, str] = {}
    for rule_id, find, sees_claimed, anchors_blocks in stage:
        if sees_claimed and not lines.claimed and anchors:
            lines.claimed = frozenset(anchors)
        marks = find(lines)
        if tick is not None:
            tick()  # one rule done (a progress bar over one big text)
        if marks.lines:
            if not sees_claimed:
                if anchors_blocks:
                    anchors.update(marks.lines)
                for k in marks.lines:
                    if removed.setdefault(k, rule_id) == rule_id and k in marks.reasons:
                        reasons[k] = marks.reasons[k]
            elif any(k not in removed for k in marks.lines):
                # A block that adds lines is reported as one edit: its rule wins
                # every line it covers. One made only of claimed lines adds nothing.
                for k in marks.lines:
                    blocks.setdefault(k, rule_id)
        if marks.spans:
            spans.extend((s.start, s.end, s.replacement, rule_id, s.reason) for s in marks.spans)
    for k in blocks:
        reasons.pop(k, None)
    removed.update(blocks)
    if keep is not None and (removed or spans):
        if keep.backtracks:
            with time_budget(seconds_for(len(text)), "a keep pattern"):
                _protect(lines, keep, removed, spans, kept if kept is not None else {})
        else:
            _protect(lines, keep, removed, spans, kept if kept is not None else {})
    if not removed and not spans:
        return []
    return tidy(lines, removed, spans, reasons)


def _protect(
    lines: Lines,
    keep: Keep,
    removed: dict[int, str],
    spans: list[tuple[int, int, str, str, str]],
    kept: dict[tuple[str, str], int],
) -> None:
    """Take the lines a keep pattern protects out of ``removed`` and ``spans``; count who wanted
    which line (``kept``: (rule, line content) -> lines)."""
    verdict: dict[int, bool] = {}
    saved: dict[tuple[str, int], None] = {}  # (rule, line number): a line with two spans is one line

    def protected(k: int) -> bool:
        if k not in verdict:
            verdict[k] = keep.protects(lines.contents[k])
        return verdict[k]

    for k in [k for k in removed if protected(k)]:
        saved[(removed.pop(k), k)] = None
    keep_spans = []
    for span in spans:
        first, last = lines.line_at(span[0]), lines.line_at(max(span[0], span[1] - 1))
        hit = [k for k in range(first, last + 1) if protected(k)]
        if hit:
            saved[(span[3], hit[0])] = None
        else:
            keep_spans.append(span)
    spans[:] = keep_spans
    for rule, k in saved:
        key = (rule, lines.contents[k])
        kept[key] = kept.get(key, 0) + 1


def _from_specs(
    specs: Sequence[RuleSpec], max_passes: int, keep: Sequence[str] = (), max_removal: float | None = None
) -> Cleaner:
    rules = [spec.build() for spec in specs]
    # Selected by id: a rule chosen though disabled by default stays chosen.
    return Cleaner(rules, select=[r.id for r in rules], max_passes=max_passes, keep=keep, max_removal=max_removal)


_default: Cleaner | None = None


def clean(text: str, *, max_removal: float | None = DEFAULT_MAX_REMOVAL) -> CleanResult:
    """Clean ``text`` with the bundled rules (compiled once, on first use).

    The removal guard is the CLI's: a text that would lose more than
    ``max_removal`` of its characters comes back unchanged, with
    ``result.refused`` saying why; ``max_removal=None`` turns it off.
    """
    global _default
    if _default is None:
        _default = Cleaner(max_removal=None)
    return _default.with_guard(max_removal).clean(text)
