"""``score-lines``: page chrome found by weighing evidence, line by line, then in context.

Real platform chrome is open-ended wording around a closed set of ideas (read
more, download, pages left, members, share, navigate, rate), so no sentence
is listed. Each line gets evidence (after jusText: per-block features, then a
context pass; its length and stop-word features carry no signal on Chinese
page text, so the features are these):

- cue words of the shared vocabulary by class, each class with a weight and
  a little more for each further distinct word of it (``evidence`` with
  ``words``), and shapes (``evidence`` with ``pattern``: N页, N人已下载, a
  date and time, a file name, a breadcrumb separator);
- the line's form: a body sentence (terminal punctuation, clauses) and
  length count against; a title or a short numbered heading count against;
  a row of short button-like tokens counts for; a run of rare characters
  (outside the 3,755 commonest hanzi) counts for;
- its position: before the first or after the last body sentence of the
  document (the head and tail zones where pages put their chrome).

A line whose score reaches ``threshold`` is chrome. Then the context pass:
an ambiguous line (score at least ``context_min``, or a very short label)
whose neighbours are chrome goes with them: between two chrome lines, or
next to one in an edge zone. The same line among body paragraphs stays.
Every removal's reason lists what fired and the score.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick

from ..fold import fold
from ..lines import Lines
from ..schema import Param
from .base import Finder, Kind, Marks

EVIDENCE = {
    "name": Param("str", "How the evidence is named in a removal's reason.", required=True),
    "weight": Param("float", "Added to the score when the evidence fires (negative: body evidence).", required=True),
    "words": Param("words", "A vocabulary word list: fires when the line holds one of its words."),
    "pattern": Param("pattern", "Fires when the width-folded line matches."),
    "each": Param("float", "Added for each further distinct word or match.", default=0.0),
    "most": Param("float", "The most this evidence adds, further words included.", default=None),
}

SCHEMA = {
    "evidence": Param("tables", "Cue words and shapes with their weights.", required=True, fields=EVIDENCE),
    "threshold": Param("float", "A line scoring at least this is chrome.", default=2.0),
    "max_chars": Param("int", "Longer lines (stripped) are never chrome.", default=200, minimum=1),
    "edge_zone": Param("float", "Added in the head zone (before the first body sentence) and the tail zone.", default=0.8),
    "sentence": Param("float", "Added when the line reads as a body sentence.", default=-1.0),
    "sentence_end": Param("pattern", "How a body sentence ends.", default=r"[。；;？?！!…:：]\s*$"),
    "sentence_min_chars": Param("int", "Shorter lines never count as sentences.", default=6, minimum=1),
    "per_100_chars": Param("float", "Added per 100 characters beyond 40 (length counts against).", default=-0.8),
    "title": Param("pattern", "A document title (its kind of document at the end)."),
    "title_weight": Param("float", "Added to a line that reads as a title.", default=-1.5),
    "title_unless": Param("pattern", "Never a title (a navigation row that ends with a title's words)."),
    "heading": Param("pattern", "A numbered heading of the body."),
    "heading_weight": Param("float", "Added to a short line that reads as a heading.", default=-1.0),
    "heading_max_chars": Param("int", "Longer numbered lines are items, not headings.", default=30, minimum=1),
    "buttons": Param("float", "Added to a row of short tokens such as 下载 相关 举报.", default=1.0),
    "button_max_chars": Param("int", "A token of a button row is at most this long.", default=3, minimum=1),
    "rare": Param("float", "Added to a run of rare characters (a copy jammer).", default=3.0),
    "rare_share": Param("float", "Share of the hanzi outside the commonest that makes a rare run.", default=0.5),
    "rare_min": Param("int", "Hanzi a rare run needs at least.", default=8, minimum=1),
    "anchor_min_chars": Param("int", "Shorter sentences do not anchor the body.", default=15, minimum=1),
    "context_min": Param(
        "float", "An ambiguous line has at least this much evidence before its zone (context decides it).", default=1.1
    ),
    "context_edge_min": Param(
        "float", "...and at least this much when only one neighbour is chrome (in an edge zone).", default=1.2
    ),
    "list_min": Param(
        "float", "A numbered item after chrome goes with it unless its evidence (sentence aside) is below this.", default=-0.6
    ),
    "whole_word": Param("float", "Added to a line that is one cue word and nothing else (资源描述, 导航).", default=0.8),
    "middle_sentence": Param(
        "float", "A body sentence between the first and last body sentences needs this score.", default=4.0
    ),
    "label_max_chars": Param(
        "int", "A label this short is ambiguous whatever its score (between two chrome lines).", default=4, minimum=1
    ),
    "protect": Param("patterns", "Lines matching any of these are never chrome.", default=()),
}

_ITEM = re.compile(r"^\s*(?:[0-9]+\s*[.．]\s*)?([0-9]+)\s*[.．、:：)）]")
_SEPARATORS = re.compile(r"[-=_*~—─━·]{3,}")
_BUTTON_SPLIT = re.compile(r"[\s|｜/【】\[\]·•>»]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_PUNCT = re.compile(r"[，,。；;：:！!？?、]")
_WORD_ONLY = re.compile(r"[\u4e00-\u9fffA-Za-z]+")
_CLAUSE = re.compile(r"[，,。；;！!？?]")


def _gb2312_level(ch: str) -> int:
    """1 for the 3,755 commonest simplified hanzi, 2 for GB2312's 3,008 rarer ones, 0 outside
    GB2312 (traditional characters among them: a mirror in traditional script is not rare)."""
    try:
        lead = ch.encode("gb2312")[0]
    except UnicodeEncodeError:
        return 0
    return 1 if 0xB0 <= lead <= 0xD7 else 2 if lead >= 0xD8 else 0


@dataclass(frozen=True, slots=True)
class _Evidence:
    name: str
    weight: float
    each: float
    most: float | None
    pattern: re.Pattern[str] | None

    def value(self, count: int) -> float:
        if count <= 0:
            return 0.0
        v = self.weight + self.each * (count - 1)
        if self.most is not None:
            v = min(v, self.most) if self.weight >= 0 else max(v, self.most)
        return v


def build(params: Mapping[str, Any]) -> Finder:
    evidence = [
        _Evidence(e["name"], e["weight"], e["each"], e["most"], e["pattern"]) for e in params["evidence"]
    ]
    word_lists: list[tuple[int, tuple[str, ...]]] = [
        (i, e["words"]) for i, e in enumerate(params["evidence"]) if e["words"]
    ]
    automaton = ahocorasick.Automaton()
    owners: dict[str, list[int]] = {}
    for i, words in word_lists:
        for w in words:
            owners.setdefault(w, []).append(i)
    for w, who in owners.items():
        automaton.add_word(w, (w, tuple(who)))
    if owners:
        automaton.make_automaton()
    shapes = [(i, e.pattern) for i, e in enumerate(evidence) if e.pattern is not None]
    p = params
    threshold: float = p["threshold"]
    max_chars: int = p["max_chars"]
    sentence_end: re.Pattern[str] = p["sentence_end"]
    title: re.Pattern[str] | None = p["title"]
    heading: re.Pattern[str] | None = p["heading"]
    title_unless: re.Pattern[str] | None = p["title_unless"]
    protect: Sequence[re.Pattern[str]] = p["protect"]

    def is_sentence(s: str) -> bool:
        if len(s) < p["sentence_min_chars"]:
            return False
        if sentence_end.search(s) is not None:
            return True
        bare = _SEPARATORS.sub("", s)
        clauses = [c for c in _CLAUSE.split(bare) if c.strip()]
        # a list of short words (教育,管理,论文,制度) is not a sentence
        return len(bare) >= 25 and len(clauses) >= 3 and len(bare) / len(clauses) >= 6

    def is_buttons(s: str) -> bool:
        if len(s) > 30 or _PUNCT.search(s.strip("【】[] ")):
            return False
        tokens = [t for t in _BUTTON_SPLIT.split(s) if t]
        words = [t for t in tokens if len(t) >= 2 and _WORD_ONLY.fullmatch(t)]  # nor numbers, nor 第 1 页
        return len(words) >= 2 and all(len(t) <= p["button_max_chars"] for t in tokens)

    def is_rare(s: str) -> bool:
        levels = [_gb2312_level(ch) for ch in _HAN.findall(s)]
        known = [lv for lv in levels if lv]
        if len(known) < p["rare_min"] or _PUNCT.search(s):
            return False
        return known.count(2) >= p["rare_share"] * len(known)

    def analyse(lines: Lines) -> Analysis:
        contents = lines.contents
        n = len(contents)
        folded_text = fold(lines.text)
        starts = lines.starts
        # Distinct cue words of each evidence, line by line, from one scan of the text.
        hits: dict[int, dict[int, set[str]]] = {}
        if owners:
            for end, (word, who) in automaton.iter(folded_text):
                k = bisect_right(starts, end) - 1
                per = hits.setdefault(k, {})
                for i in who:
                    per.setdefault(i, set()).add(word)
        scores: list[float | None] = [None] * n  # None: blank or out of reach
        fired: list[list[str]] = [[] for _ in range(n)]
        sentence = [False] * n
        for k, raw in enumerate(contents):
            s = fold(raw).strip()
            if not s or len(s) > max_chars:
                if s:
                    sentence[k] = True  # a long line is body and anchors it
                continue
            if any(pat.search(raw) for pat in protect):
                sentence[k] = is_sentence(s)
                continue
            score, why = 0.0, []
            for i, words in hits.get(k, {}).items():
                v = evidence[i].value(len(words))
                score += v
                why.append(f"{evidence[i].name}({'/'.join(sorted(words, key=s.find)[:3])})")
            for i, pat in shapes:
                count = len(pat.findall(s))
                if count:
                    score += evidence[i].value(count)
                    why.append(evidence[i].name)
            if is_sentence(s):
                sentence[k] = True
                score += p["sentence"]
                why.append("sentence")
            size = len(_SEPARATORS.sub("", s))
            if size > 40:
                score += p["per_100_chars"] * (size - 40) / 100
            word_hits = hits.get(k, {})
            if any(s.strip("【】[]()（）:：>»|") in words for words in word_hits.values()):
                score += p["whole_word"]
                why.append("cue word alone")
            if title is not None and title.search(s) and not (title_unless and title_unless.search(s)):
                score += p["title_weight"]
                why.append("title")
            elif heading is not None and len(s) <= p["heading_max_chars"] and heading.search(s):
                score += p["heading_weight"]
                why.append("heading")
            if is_buttons(s):
                score += p["buttons"]
                why.append("button row")
            if is_rare(s):
                score += p["rare"]
                why.append("rare characters")
            scores[k] = score
            fired[k] = why
        # The body runs from its first to its last sentence without strong cues.
        anchor_below = threshold - p["edge_zone"]
        anchors = [
            k
            for k in range(n)
            if sentence[k]
            and (scores[k] is None or scores[k] < anchor_below)  # type: ignore[operator]
            and len(contents[k].strip()) >= p["anchor_min_chars"]
        ]
        # Without a body sentence there is no telling where the body is: no zones.
        first, last = (anchors[0], anchors[-1]) if anchors else (-1, n)
        zone = [""] * n
        base = list(scores)  # before the zone bonus: what context weighs
        for k in range(n):
            if scores[k] is None:
                continue
            if k < first:
                zone[k] = "head zone"
            elif k > last:
                zone[k] = "tail zone"
            if zone[k]:
                scores[k] += p["edge_zone"]  # type: ignore[operator]
        chrome = [
            sc is not None and sc >= (threshold if zone[k] or not sentence[k] else p["middle_sentence"])
            for k, sc in enumerate(scores)
        ]
        reason: dict[int, str] = {}
        for k in range(n):
            if chrome[k]:
                reason[k] = _reason(zone[k], fired[k], scores[k], threshold)  # type: ignore[arg-type]
        # Lists: a numbered item goes with the chrome line or item just before it (a 下载须知
        # list), unless it reads as report matter (its evidence, sentence aside, below list_min).
        prev_item: int | None = None
        last_line: int | None = None
        for k in range(n):
            if not contents[k].strip():
                continue
            m = _ITEM.match(contents[k])
            number = int(m.group(1)) if m else None
            if number is not None and last_line is not None and chrome[last_line] and not chrome[k]:
                follows = prev_item is None and number <= 2 or prev_item is not None and number == prev_item + 1
                sc = base[k]
                if follows and sc is not None and sc - (p["sentence"] if sentence[k] else 0) >= p["list_min"]:
                    chrome[k] = True
                    reason[k] = f"context: item of a chrome list; {_reason('', fired[k], sc, threshold, below=True)}"
            prev_item = number if number is not None and m else None
            last_line = k
        # Context: ambiguous lines next to chrome go with it, until nothing changes.
        nonblank = [k for k in range(n) if contents[k].strip()]
        pos = {k: j for j, k in enumerate(nonblank)}
        changed = True
        while changed:
            changed = False
            for k in nonblank:
                sc = base[k]
                if chrome[k] or sc is None or (sentence[k] and not zone[k]):
                    continue
                label = contents[k].strip()
                short_label = (
                    len(label) <= p["label_max_chars"]
                    and _WORD_ONLY.fullmatch(label) is not None
                    and "title" not in fired[k]
                )
                if sc < p["context_min"] and not (short_label and zone[k]):
                    continue
                j = pos[k]
                up = chrome[nonblank[j - 1]] if j > 0 else False
                down = chrome[nonblank[j + 1]] if j + 1 < len(nonblank) else False
                if sc < p["context_min"] and not (up and down):
                    continue  # a short label goes only between two chrome lines (an author's name may stand by one)
                edge_ok = zone[k] and sc >= p["context_edge_min"]
                if (up and down) or ((up or down) and edge_ok):
                    chrome[k] = True
                    changed = True
                    where = "between chrome lines" if up and down else f"next to chrome, {zone[k]}"
                    reason[k] = f"context: {where}; {_reason('', fired[k], sc, threshold, below=True)}"
        return Analysis(scores, fired, zone, chrome, reason)

    return ScoredFinder(analyse)


@dataclass(frozen=True, slots=True)
class Analysis:
    """Per line: score (None: blank or too long), evidence fired, zone, verdict, reason."""

    scores: list[float | None]
    fired: list[list[str]]
    zone: list[str]
    chrome: list[bool]
    reasons: dict[int, str]


class ScoredFinder:
    """The finder of a score-lines rule; ``analyse`` shows every line's evidence (for tuning)."""

    __slots__ = ("analyse",)

    def __init__(self, analyse: Callable[[Lines], Analysis]) -> None:
        self.analyse = analyse

    def __call__(self, lines: Lines) -> Marks:
        if not len(lines):
            return Marks()
        a = self.analyse(lines)
        return Marks(lines=[k for k, c in enumerate(a.chrome) if c], reasons=a.reasons)


def _reason(zone: str, fired: list[str], score: float, threshold: float, below: bool = False) -> str:
    parts = ([zone] if zone else []) + fired
    cmp = "<" if below else "≥"
    return f"{' + '.join(parts) or 'no evidence'}, score {score:.1f} {cmp} {threshold:g}"


KIND = Kind(
    "score-lines", "Remove page chrome lines scored by evidence and context.", SCHEMA, build, anchors_blocks=False
)
