"""Rule examples taken from the corpus, and the checks a proposal must pass.

A must-change example is a small piece of a real document: the junk line(s)
with a body line or two around them, the output being the same piece without
the junk. A must-keep example is body lines of the same documents (the common
headings among them when there are some). Every example is run through the
proposed rule before it is kept, and the rule is run on its whole example
documents: if it would remove any line that is not one of its own junk lines,
the proposal is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..engine import Cleaner
from ..examples import check_example
from ..lines import Lines
from ..rules import Example, Rule, parse_rule
from .docview import DocView
from .normalize import normalize, visible

CONTEXT_CHARS = 60  # body lines in examples are cut to their first sentence or this many characters
MUST_CHANGE = 2  # examples per proposal, from different documents
KEEP_LINES = 4  # body lines in one must-keep example
_SENTENCE_END = re.compile(r"[。；;！!？?]")


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of lines cut from one document, and which of them are junk."""

    label: str
    lines: tuple[str, ...]
    junk: tuple[bool, ...]

    def example(self, name: str) -> dict[str, str]:
        return {
            "name": name,
            "input": "".join(line + "\n" for line in self.lines),
            "output": "".join(line + "\n" for line, j in zip(self.lines, self.junk) if not j),
        }


def shorten(content: str) -> str:
    """A body line for an example: visible text, cut after its first sentence, or its last
    clause, within CONTEXT_CHARS (a 2,000-character paragraph makes an unreadable example)."""
    text = visible(content)
    if len(text) <= CONTEXT_CHARS:
        return text
    m = _SENTENCE_END.search(text, 0, CONTEXT_CHARS)
    if m:
        return text[: m.end()]
    clause = max(text.rfind(mark, 0, CONTEXT_CHARS) for mark in "，,、")
    return text[: clause + 1] if clause > 0 else text[:CONTEXT_CHARS]


def trial_rule(data: dict[str, Any]) -> Rule:
    """The proposed rule compiled with placeholder examples (the loader requires both kinds)."""
    probe = {**data, "examples": [{"name": "probe", "input": "x\n", "output": ""}, {"name": "probe", "input": "x\n"}]}
    return parse_rule(probe, f"{data['id']}.toml")


def passes(rule: Rule, example: dict[str, str]) -> bool:
    return check_example(rule, Example(example["name"], example["input"], example.get("output"))) is None


def stray_removal(rule: Rule, view: DocView, own: Collection[int]) -> str | None:
    """A non-blank line the rule alone would remove from ``view`` that is none of its own lines.

    Its own lines are those with an ``own`` key, or differing from one only in
    whitespace (``\\s*`` in the pattern matches both). Zero-width characters are
    taken out first, as the bundled repair rule does before removal rules
    run; the lines stay one for one.
    """
    text = "".join(visible(line.content) + view.lines.text[line.stop : line.end] for line in view.lines)
    lines = Lines(text)
    loose = {_loose(view.lines[i].content) for i in range(len(view.lines)) if view.keys[i] in own}
    for edit in Cleaner([rule], select=[rule.id], max_removal=None).clean(text).edits:
        for i in range(lines.line_at(edit.start), lines.line_at(max(edit.start, edit.end - 1)) + 1):
            line = lines[i]
            inside = edit.start <= line.start and line.stop <= edit.end
            if inside and not line.is_blank and view.keys[i] not in own and _loose(line.content) not in loose:
                return line.content
    return None


def _loose(content: str) -> str:
    return normalize(content).replace(" ", "")


def single_piece(view: DocView, key: int, junk: Collection[int]) -> Piece | None:
    """The first line with ``key`` and the nearest body line before and after it."""
    found = view.indices(key)
    if not found:
        return None
    order = list(view.nonblank)
    at = order.index(found[0])
    before = _body_near(view, order[at - 1 :: -1] if at else [], junk)
    after = _body_near(view, order[at + 1 :], junk)
    rows = [(before, False)] if before is not None else []
    rows.append((visible(view.lines[found[0]].content), True))
    rows += [(after, False)] if after is not None else []
    return Piece(view.label, tuple(t for t, _ in rows), tuple(j for _, j in rows))


def block_piece(
    view: DocView, members: Collection[int], edge: str, max_lead: int, max_gap: int, junk: Collection[int]
) -> Piece | None:
    """The block at ``edge`` as drop-block finds it, the lines before it, and one body line past it."""
    order = list(view.nonblank)
    if edge == "tail":
        order.reverse()
    at = [p for p, i in enumerate(order) if view.keys[i] in members]
    if not at or at[0] > max_lead:
        return None
    first = last = at[0]
    for p in at[1:]:
        if p - last - 1 > max_gap:
            break
        last = p
    lead = [(visible(view.lines[i].content), False) for i in order[:first]]
    span = [(visible(view.lines[i].content), True) for i in order[first : last + 1]]
    beyond = _body_near(view, order[last + 1 :], junk)
    rows = lead + span + ([(beyond, False)] if beyond is not None else [])
    if edge == "tail":
        rows.reverse()
    return Piece(view.label, tuple(t for t, _ in rows), tuple(j for _, j in rows))


def _body_near(view: DocView, indices: Sequence[int], junk: Collection[int], reach: int = 3) -> str | None:
    """The first of the next ``reach`` lines that is not junk, shortened for an example."""
    for i in list(indices)[:reach]:
        if view.keys[i] not in junk:
            return shorten(view.lines[i].content)
    return None


def must_keep(
    rule: Rule, views: Sequence[DocView], junk: Collection[int], headings: Collection[int]
) -> list[dict[str, str]]:
    """Body lines of the example documents that the rule leaves alone: the opening lines, and the common headings.

    A line the rule would take is left out here: :func:`stray_removal` has
    already made sure that only spelling variants of its own lines are such.
    """

    def kept(lines: Iterable[str]) -> list[str]:
        return [t for t in dict.fromkeys(lines) if t.strip() and passes(rule, {"name": "", "input": t + "\n"})]

    out: list[dict[str, str]] = []
    view = views[0]
    opening = kept(shorten(view.lines[i].content) for i in view.nonblank if view.keys[i] not in junk)[:KEEP_LINES]
    if opening:
        out.append({"name": f"body lines of {Path(view.label).name} stay", "input": "".join(t + "\n" for t in opening)})
    common = kept(visible(v.lines[i].content).strip() for v in views for i in v.nonblank if v.keys[i] in headings)
    if common:
        out.append(
            {"name": "common headings of the corpus stay", "input": "".join(t + "\n" for t in common[:KEEP_LINES])}
        )
    return [example for example in out if passes(rule, example)]
