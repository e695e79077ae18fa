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
from functools import lru_cache
from itertools import repeat
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
_ITEM_M = re.compile(_ITEM.pattern, re.M)
# a line of 8 or more characters without punctuation: may be a run of rare characters
_RARE_LINE = re.compile(r"^[^\n，,。；;：:！!？?、]{8,}$", re.M)
_SEPARATORS = re.compile(r"[-=_*~—─━·]{3,}")
_BUTTON_SPLIT = re.compile(r"[\s|｜/【】\[\]·•>»]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_PUNCT = re.compile(r"[，,。；;：:！!？?、]")
_WORD_ONLY = re.compile(r"[\u4e00-\u9fffA-Za-z]+")
_CLAUSE = re.compile(r"[，,。；;！!？?]")


@lru_cache(maxsize=None)
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
    # Words of positive evidence are scanned over the whole text (they pick the candidate
    # lines); words that count against chrome (report words, common in every line) only
    # over the candidates.
    pos_auto, neg_auto = _automaton(word_lists, evidence, True), _automaton(word_lists, evidence, False)
    shapes = [(i, e.pattern) for i, e in enumerate(evidence) if e.pattern is not None]
    # The same shapes over the whole text, line by line (re.M), to find candidate lines.
    shape_scan = [re.compile(pat.pattern, re.M) for i, pat in shapes if evidence[i].weight > 0]
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
        if len(s) < p["rare_min"] or _PUNCT.search(s):
            return False
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
        # Candidates: lines holding positive evidence, a rare-character run or a list number.
        # Any other line scores at most edge_zone + buttons < threshold and has no evidence
        # for context to weigh, so it is never scored (most lines of most documents).
        hits: dict[int, dict[int, set[str]]] = {}
        if pos_auto is not None:
            found = list(pos_auto.iter(folded_text))
            if found:
                where = map(bisect_right, repeat(starts), [end for end, _ in found])
                for k, (_, (word, who)) in zip(where, found):
                    per = hits.setdefault(k - 1, {})
                    for i in who:
                        per.setdefault(i, set()).add(word)
        candidates = set(hits)
        for scan in (*shape_scan, _RARE_LINE, _ITEM_M):
            for m in scan.finditer(folded_text):
                a = bisect_right(starts, m.start()) - 1
                b = bisect_right(starts, max(m.start(), m.end() - 1)) - 1
                candidates.update(range(a, b + 1))  # \s* may reach over blank lines
        scores: list[float | None] = [None] * n  # None: blank, too long, or no evidence at all
        fired: list[list[str]] = [[] for _ in range(n)]
        sentence: dict[int, bool] = {}

        def is_sentence_at(k: int) -> bool:
            if k not in sentence:
                s = folded_text[starts[k] : starts[k] + len(contents[k])].strip()
                sentence[k] = bool(s) and (len(s) > max_chars or is_sentence(s))
            return sentence[k]

        for k in sorted(candidates):
            raw = contents[k]
            s = folded_text[starts[k] : starts[k] + len(raw)].strip()
            if not s or len(s) > max_chars or any(pat.search(raw) for pat in protect):
                continue
            score, why = 0.0, []
            line_hits = dict(hits.get(k, {}))
            if neg_auto is not None:
                for _, (word, who) in neg_auto.iter(s):
                    for i in who:
                        line_hits.setdefault(i, set()).add(word)
            for i, words in line_hits.items():
                score += evidence[i].value(len(words))
                why.append(f"{evidence[i].name}({'/'.join(sorted(words, key=s.find)[:3])})")
            for i, pat in shapes:
                count = len(pat.findall(s))
                if count:
                    score += evidence[i].value(count)
                    why.append(evidence[i].name)
            if is_sentence_at(k):
                score += p["sentence"]
                why.append("sentence")
            size = len(_SEPARATORS.sub("", s))
            if size > 40:
                score += p["per_100_chars"] * (size - 40) / 100
            if any(s.strip("【】[]()（）:：>»|") in words for words in hits.get(k, {}).values()):
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

        def anchor(k: int) -> bool:
            sc = scores[k]
            return (
                len(contents[k].strip()) >= p["anchor_min_chars"]
                and is_sentence_at(k)
                and (sc is None or sc < anchor_below)
            )

        first = next((k for k in range(n) if anchor(k)), None)
        last = next((k for k in range(n - 1, -1, -1) if anchor(k)), None)
        if first is None or last is None:
            first, last = -1, n  # without a body sentence there is no telling where the body is: no zones
        base = list(scores)  # before the zone bonus: what context weighs

        def zone_of(k: int) -> str:
            return "head zone" if k < first else "tail zone" if k > last else ""

        zone = [""] * n
        chrome = [False] * n
        reason: dict[int, str] = {}
        for k, sc in enumerate(scores):
            if sc is None:
                continue
            zone[k] = zone_of(k)
            if zone[k]:
                sc = scores[k] = sc + p["edge_zone"]
            if sc >= (threshold if zone[k] or not is_sentence_at(k) else p["middle_sentence"]):
                chrome[k] = True
                reason[k] = _reason(zone[k], fired[k], sc, threshold)

        def neighbour(k: int, step: int) -> int | None:
            j = k + step
            while 0 <= j < n and not contents[j].strip():
                j += step
            return j if 0 <= j < n else None

        # Lists: a numbered item goes with the chrome line or item just before it (a 下载须知
        # list), unless it reads as report matter (its evidence, sentence aside, below list_min).
        for k0 in [k for k in range(n) if chrome[k]]:
            own = _ITEM.match(contents[k0])
            k, prev_item = k0, int(own.group(1)) if own else None
            while (j := neighbour(k, 1)) is not None and not chrome[j]:
                m = _ITEM.match(contents[j])
                if m is None or base[j] is None:
                    break
                number = int(m.group(1))
                follows = number <= 2 if prev_item is None else number == prev_item + 1
                sc = base[j]
                if not follows or sc - (p["sentence"] if is_sentence_at(j) else 0) < p["list_min"]:  # type: ignore[operator]
                    break
                chrome[j] = True
                reason[j] = f"context: item of a chrome list; {_reason('', fired[j], sc, threshold, below=True)}"  # type: ignore[arg-type]
                k, prev_item = j, number
        # Context: ambiguous lines next to chrome go with it, until nothing changes.
        todo = [j for k in range(n) if chrome[k] for j in (neighbour(k, -1), neighbour(k, 1)) if j is not None]
        while todo:
            k = todo.pop()
            if chrome[k]:
                continue
            label = contents[k].strip()
            sc = base[k]
            if sc is None:
                if len(label) > max_chars:
                    continue
                sc = 0.0  # no evidence: only a short label between two chrome lines can go
                zone[k] = zone_of(k)
            if is_sentence_at(k) and not zone[k]:
                continue
            short_label = (
                len(label) <= p["label_max_chars"]
                and _WORD_ONLY.fullmatch(label) is not None
                and "title" not in fired[k]
                and not (title is not None and title.search(fold(label)))
            )
            up_k, down_k = neighbour(k, -1), neighbour(k, 1)
            up = up_k is not None and chrome[up_k]
            down = down_k is not None and chrome[down_k]
            if sc < p["context_min"] and not (short_label and zone[k] and up and down):
                continue  # a short label goes only between two chrome lines (an author's name may stand by one)
            edge_ok = zone[k] and sc >= p["context_edge_min"]
            if (up and down) or ((up or down) and edge_ok):
                chrome[k] = True
                where = "between chrome lines" if up and down else f"next to chrome, {zone[k]}"
                reason[k] = f"context: {where}; {_reason('', fired[k], sc, threshold, below=True)}"
                todo.extend(j for j in (up_k, down_k) if j is not None and not chrome[j])
        return Analysis(scores, fired, zone, chrome, reason)

    return ScoredFinder(analyse)


def _automaton(word_lists: list[tuple[int, tuple[str, ...]]], evidence: list[_Evidence], positive: bool) -> Any:
    """An Aho-Corasick automaton of the words of positive (or negative) evidence: word -> owners."""
    owners: dict[str, list[int]] = {}
    for i, words in word_lists:
        if (evidence[i].weight > 0) == positive:
            for w in words:
                owners.setdefault(w, []).append(i)
    if not owners:
        return None
    auto = ahocorasick.Automaton()
    for w, who in owners.items():
        auto.add_word(w, (w, tuple(who)))
    auto.make_automaton()
    return auto


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
