"""From surveyed lines to proposals: set body aside, check bundled rules, group, write rules.

- A frequent line that looks like body (:mod:`.bodylike`) is shown apart and
  never proposed.
- A line the bundled rules already remove in its example documents is shown
  as covered and not proposed again.
- Candidates that stand next to each other in the run nearest the head (or
  tail) in at least ``threshold`` documents form a block: one ``drop-block``
  rule whose cues are their line patterns. Every other candidate becomes one
  ``drop-lines`` rule with an anchored whole-line pattern, unless it has too
  few words to be told apart from body (a separator, a bare number).
- Each proposal carries examples from the corpus and must pass them, and must
  not remove anything but its own lines from its example documents.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..edits import Edit
from ..engine import Cleaner
from ..rules import Rule, parse_rule
from .bodylike import MIN_WORD_CHARS, PROTECT_PATTERNS, BodySign, body_sign, word_chars
from .docview import DocView
from .normalize import MAX_LINE_CHARS, visible
from .pattern import line_pattern
from .samples import MUST_CHANGE, Piece, block_piece, must_keep, passes, single_piece, stray_removal, trial_rule
from .survey import EDGES, HEAD, MIDDLE, TAIL, KeyStats, Survey

# Blocks are made of lines seen directly next to each other, so no other line
# may stand between two cues: a report title between two vendor lines stays.
BLOCK_MAX_GAP = 0
MAJORITY = 0.8  # share of occurrences at one position to call it that position


@dataclass(slots=True)
class Candidate:
    """One frequent line, as shown in the table."""

    key: int
    text: str  # normalised
    display: str  # as written in the first example document
    docs: int
    where: str  # head / tail / middle, or a mix such as "head 60% · middle 40%"
    example: str  # label of the first example document
    body: BodySign | None = None
    covered_by: tuple[str, ...] = ()
    covered: bool = False  # removed by bundled rules in every example document
    proposal: str = ""  # the rule id proposed for it, or why none is


@dataclass(frozen=True, slots=True)
class Proposal:
    id: str
    kind: str
    where: str  # head / tail (blocks), or the line's position
    keys: tuple[int, ...]
    lines: tuple[str, ...]  # as written, in document order
    docs: int
    data: Mapping[str, Any]  # the rule file's content


@dataclass(slots=True)
class _Group:
    keys: list[int]
    edge: str | None  # head / tail for a block, None for a single line


def where_of(stats: KeyStats) -> str:
    total = sum(stats.positions.values()) or 1
    ranked = sorted(stats.positions.items(), key=lambda kv: (-kv[1], (HEAD, TAIL, MIDDLE).index(kv[0])))
    if ranked and ranked[0][1] / total >= MAJORITY:
        return ranked[0][0]
    return " · ".join(f"{pos} {round(100 * n / total)}%" for pos, n in ranked)


def make_candidates(survey: Survey, df: Mapping[int, int], views: Mapping[int, DocView]) -> list[Candidate]:
    """Every surveyed line, most frequent first (ties by text, then key)."""
    out: list[Candidate] = []
    for key, stats in survey.keys.items():
        first = views[stats.examples[0]]
        at = first.indices(key)
        display = visible(first.lines[at[0]].content).strip() if at else stats.text
        out.append(Candidate(key, stats.text, display, df[key], where_of(stats), first.label, body_sign(stats.text)))
    out.sort(key=lambda c: (-c.docs, c.text, c.key))
    return out


def mark_covered(
    candidates: Sequence[Candidate], survey: Survey, views: Mapping[int, DocView], bundled: Cleaner
) -> None:
    """Run the bundled rules on each candidate's example documents; note which remove the line."""
    removing = {r.id for r in bundled.rules if r.phase == "remove"}
    results: dict[int, tuple[Edit, ...]] = {}
    for cand in candidates:
        if cand.body is not None:
            continue
        rules: set[str] = set()
        everywhere = True
        for ordinal in survey.keys[cand.key].examples:
            view = views[ordinal]
            if ordinal not in results:
                results[ordinal] = bundled.clean(view.lines.text).edits
            for i in view.indices(cand.key):
                line = view.lines[i]
                hits = [
                    e.rule
                    for e in results[ordinal]
                    if e.rule in removing and e.start <= line.start and line.stop <= e.end
                ]
                rules.update(hits)
                everywhere &= bool(hits)
        cand.covered_by = tuple(sorted(rules))
        cand.covered = everywhere and bool(rules)


def _root(parent: dict[int, int], k: int) -> int:
    """Union-find: the representative of ``k``'s set."""
    while parent.setdefault(k, k) != k:
        k = parent[k]
    return k


def group(candidates: Sequence[Candidate], survey: Survey, threshold: int) -> list[_Group]:
    """Head blocks, then tail blocks, then single lines, among the non-body candidates."""
    eligible = {c.key for c in candidates if c.body is None}
    taken: set[int] = set()
    groups: list[_Group] = []
    for edge in EDGES:
        parent: dict[int, int] = {}
        pairs = sorted(
            (a, b)
            for (e, a, b), n in survey.adjacent.items()
            if e == edge and n >= threshold and {a, b} <= eligible and not {a, b} & taken
        )
        for a, b in pairs:
            ra, rb = _root(parent, a), _root(parent, b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        members: dict[int, list[int]] = {}
        for k in parent:
            members.setdefault(_root(parent, k), []).append(k)
        for keys in members.values():
            if len(keys) >= 2:
                groups.append(_Group(keys, edge))
                taken.update(keys)
    groups += [_Group([c.key], None) for c in candidates if c.key in eligible and c.key not in taken]
    return groups


def propose(
    candidates: Sequence[Candidate],
    survey: Survey,
    views: Mapping[int, DocView],
    threshold: int,
    total_docs: int,
    name: str,
) -> list[Proposal]:
    """Proposals, most frequent first; every candidate's ``proposal`` says what became of it."""
    by_key = {c.key: c for c in candidates}
    junk = {c.key for c in candidates if c.body is None}
    headings = {c.key for c in candidates if c.body is not None}
    groups = group(candidates, survey, threshold)
    for g in groups:
        g.keys = _in_doc_order(g.keys, survey, views)
    groups.sort(
        key=lambda g: (
            -max(by_key[k].docs for k in g.keys),
            EDGES.index(g.edge) if g.edge else 1,
            by_key[g.keys[0]].text,
        )
    )
    proposals: list[Proposal] = []
    for g in groups:
        members = [by_key[k] for k in g.keys]
        if all(c.covered for c in members):
            reason = "covered by " + ", ".join(sorted({r for c in members for r in c.covered_by}))
        elif max(word_chars(c.text) for c in members) < MIN_WORD_CHARS:
            reason = f"fewer than {MIN_WORD_CHARS} letters: only proposed inside a block"
        else:
            rule_id = f"discovered-{name}-{g.edge or 'line'}-{len(proposals) + 1}"
            made = _proposal(rule_id, g, members, survey, views, junk, headings, total_docs, threshold)
            if isinstance(made, Proposal):
                proposals.append(made)
                reason = made.id
            else:
                reason = made
        for c in members:
            c.proposal = reason
    return proposals


def _in_doc_order(keys: Sequence[int], survey: Survey, views: Mapping[int, DocView]) -> list[int]:
    """Block members in the order of the first example document holding most of them."""
    ordinals = sorted({o for k in keys for o in survey.keys[k].examples})
    best = views[max(ordinals, key=lambda o: (sum(bool(views[o].indices(k)) for k in keys), -o))]

    def place(key: int) -> tuple[int, int]:
        at = best.indices(key)
        return (0, at[0]) if at else (1, key)

    return sorted(keys, key=place)


def _proposal(
    rule_id: str,
    g: _Group,
    members: Sequence[Candidate],
    survey: Survey,
    views: Mapping[int, DocView],
    junk: set[int],
    headings: set[int],
    total_docs: int,
    threshold: int,
) -> Proposal | str:
    """The rule for one group, with checked examples; or why it cannot be proposed."""
    patterns = [line_pattern(survey.keys[c.key].shapes) for c in members]
    docs = max(c.docs for c in members)
    shown = [c.display for c in members]
    listing = "\n".join(f"  {c.display}    ({c.docs} docs, {c.where})" for c in members)
    description = (
        f"Proposed by `cleaner discover` from {total_docs} documents (lines in at least {threshold} of them).\n"
        f"Lines:\n{listing}\nReview the examples before relying on it."
    )
    ordinals = sorted({o for c in members for o in survey.keys[c.key].examples})
    doc_views = [views[o] for o in ordinals]
    if g.edge is None:
        kind = "drop-lines"
        where = members[0].where
        summary = f"Remove the line {shown[0]!r}, found in {docs} of {total_docs} documents ({where})."
        match: dict[str, Any] = {"patterns": patterns, "max_chars": MAX_LINE_CHARS}
        pieces = [single_piece(v, members[0].key, junk) for v in doc_views]
    else:
        kind = "drop-block"
        where = g.edge
        max_lead = max(survey.lead.get((g.edge, c.key), 0) for c in members)
        wordiest = max(members, key=lambda c: word_chars(c.text)).display
        summary = f"Remove the {g.edge} block of {len(members)} lines ({wordiest} …), found in {docs} of {total_docs} documents."
        match = {
            "edge": g.edge,
            "cues": patterns,
            "window": max_lead + len(members) + BLOCK_MAX_GAP + 2,
            "max_lead": max_lead,
            "max_gap": BLOCK_MAX_GAP,
            "max_chars": MAX_LINE_CHARS,
            # A body shape that one of the block's own lines happens to have is left out.
            "protect": [p for p in PROTECT_PATTERNS if not any(re.search(p, line) for line in shown)],
        }
        keyset = {c.key for c in members}
        pieces = [block_piece(v, keyset, g.edge, max_lead, BLOCK_MAX_GAP, junk) for v in doc_views]
    data: dict[str, Any] = {"id": rule_id, "summary": summary, "kind": kind, "description": description, "match": match}
    rule = trial_rule(data)
    own = {c.key for c in members}
    for view in doc_views:
        stray = stray_removal(rule, view, own)
        if stray is not None:
            return f"not proposed: would also remove {stray!r} in {view.label}"
    changes = _must_change(rule, [p for p in pieces if p is not None], f"{g.edge} block" if g.edge else "line")
    if not changes:
        return "not proposed: no example from the corpus behaves as expected"
    keeps = must_keep(rule, doc_views, junk, headings)
    if not keeps:
        return "not proposed: no body line of its documents to show it keeps"
    final = {**data, "examples": changes + keeps}
    parse_rule(final, f"{rule_id}.toml")  # the loader's own validation, before anything is written
    return Proposal(rule_id, kind, where, tuple(c.key for c in members), tuple(shown), docs, final)


def _must_change(rule: Rule, pieces: Sequence[Piece], what: str) -> list[dict[str, str]]:
    """Up to MUST_CHANGE distinct pieces the rule turns into exactly the piece without its junk."""
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for piece in pieces:
        example = piece.example(f"{what} as in {Path(piece.label).name}")
        if example["input"] in seen or not passes(rule, example):
            continue
        seen.add(example["input"])
        out.append(example)
        if len(out) == MUST_CHANGE:
            break
    return out
