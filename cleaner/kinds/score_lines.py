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

import math
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import repeat
from typing import Any

import ahocorasick_rs

from ..fold import UNFOLD as _UNFOLD
from ..fold import fold, simplified, traditional_kinds
from ..lines import Lines
from ..patterns import multiline
from ..schema import Param
from .base import Finder, Kind, Marks

EVIDENCE = {
    "name": Param("str", "How the evidence is named in a removal's reason.", required=True),
    "weight": Param("float", "Added to the score when the evidence fires (negative: body evidence).", required=True),
    "words": Param("words", "A vocabulary word list: fires when the line holds one of its words."),
    "pattern": Param("pattern", "Fires when the width-folded line matches."),
    "triggers": Param(
        "literals", "Literals one of which every match of the pattern holds: it is tried only where one stands."
    ),
    "each": Param("float", "Added for each further distinct word or match.", default=0.0),
    "most": Param("float", "The most this evidence adds, further words included.", default=None),
}

PAIR = {
    "line": Param("pattern", "The line that is kept...", required=True),
    "after": Param("pattern", "...when the line before it (blank lines aside) matches this.", required=True),
}

SCHEMA = {
    "evidence": Param("tables", "Cue words and shapes with their weights.", required=True, fields=EVIDENCE),
    "threshold": Param("float", "A line scoring at least this is chrome.", default=2.0),
    "max_chars": Param("int", "Longer lines (stripped) are never chrome.", default=200, minimum=1),
    "edge_zone": Param(
        "float", "Added in the head zone (before the first body sentence) and the tail zone.", default=0.8
    ),
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
    "anchor_alone_chars": Param(
        "int", "Shorter sentences anchor the body only next to another sentence.", default=40, minimum=1
    ),
    "context_min": Param(
        "float", "An ambiguous line has at least this much evidence before its zone (context decides it).", default=1.1
    ),
    "context_edge_min": Param(
        "float", "...and at least this much when only one neighbour is chrome (in an edge zone).", default=1.2
    ),
    "list_min": Param(
        "float",
        "A numbered item after chrome goes with it unless its evidence (sentence aside) is below this.",
        default=-0.6,
    ),
    "whole_word": Param(
        "float", "Added to a line that is one cue word and nothing else (资源描述, 导航).", default=0.8
    ),
    "middle_sentence": Param(
        "float", "A body sentence between the first and last body sentences needs this score.", default=4.0
    ),
    "label_max_chars": Param(
        "int", "A label this short is ambiguous whatever its score (between two chrome lines).", default=4, minimum=1
    ),
    "list_reach": Param(
        "int",
        "How many lines away a numbered item's neighbour item is looked for (a body list keeps its own).",
        default=6,
        minimum=1,
    ),
    "value_max_chars": Param(
        "int",
        "A line this short after a chrome label's colon, before more chrome, is its value.",
        default=30,
        minimum=1,
    ),
    "menu_min": Param("int", "A run of this many short bare labels in an edge zone is a menu.", default=5, minimum=2),
    "menu_item_chars": Param("int", "A menu label is at most this long (bullets and > aside).", default=6, minimum=1),
    "echo_min_chars": Param(
        "int", "A head-zone line this long or longer that repeats an earlier one is an echo.", default=4, minimum=1
    ),
    "protect": Param("patterns", "Lines matching any of these are never chrome.", default=()),
    "protect_after": Param(
        "tables",
        "Lines of a document's own structure (关键词 after 摘要) that are never chrome.",
        default=(),
        fields=PAIR,
    ),
    "organisation": Param("pattern", "An organisation's name (a letterhead over a report, never a site's column)."),
    "teaser": Param("pattern", "A teaser's label (摘要:, 核心提示:): the label of a copy of the body's start."),
    "teaser_chars": Param(
        "int",
        "A labelled head line whose first this many characters stand again later is a teaser.",
        default=12,
        minimum=4,
    ),
    "wrap_min_chars": Param(
        "int",
        "A line this long right under one as long that breaks off mid-sentence is a wrapped sentence.",
        default=24,
        minimum=1,
    ),
    "topic_min": Param(
        "int",
        "A cue word the body's sentences say this often is the report's topic (版权 in a paper on copyright):"
        " no evidence of chrome in that document (0: off).",
        default=2,
        minimum=0,
    ),
    "lead_min_chars": Param(
        "int",
        "The first line this long that reads as a heading is the title: no head-zone bonus.",
        default=12,
        minimum=1,
    ),
    "named_min_chars": Param(
        "int", "The breadcrumb's last label names the page when this long (shorter: a column).", default=5, minimum=1
    ),
    "topic_weight": Param("float", "The share of its weight a word of the report's topic keeps.", default=0.5),
    "topic_body_max": Param(
        "float",
        "A sentence says the report's topic only if its own score is at most this (body, clearly).",
        default=0.0,
    ),
}

# a numbered item: 1. / 2、 / 1.2. / Step 3: / 步骤4:
_ITEM = re.compile(r"^\s*(?:[0-9]+\s*[.．]\s*)?(?:(?:[Ss]tep|STEP|步骤)\s*)?([0-9]+)\s*[.．、:：)）]")
_SEPARATORS = re.compile(r"[-=_*~—─━·－＝＿＊～]{3,}")  # both widths: sentences are read unfolded
_BUTTON_SPLIT = re.compile(r"[\s|｜/【】\[\]·•>»]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_SPACES = re.compile(r"\s+")
_CRUMB_SPLIT = re.compile(r"\s*(?:>>?|»|›|→|/|\||:)\s*")  # between the labels of a breadcrumb
_CRUMB_ARROWS = re.compile(r"\s*(?:>>?|»|›|→)\s*")  # a title may hold a colon: only arrows end its label
_ROW = re.compile(r"\s|[|｜]")  # the cells of a row of links or labels
_MARK_ONLY = re.compile(r"[|｜?？·•.。,，;；:：\-—_~*#]{1,3}")  # a line of a mark or two, nothing said
_FIELD = re.compile(r"^[\s•·●▪*-]*[^\s:：]{1,8}\s*[:：]")  # a form's field: a short label and its colon
_WRAP_END = re.compile(r"[\u4e00-\u9fff，,、]$")
_MENU_MARKS = re.compile(r"[•·●◆■▪▸►>»|｜\[\]【】\s]")
_PUNCT = re.compile(r"[，,。；;：:！!？?、]")
_WORD_ONLY = re.compile(r"[\u4e00-\u9fffA-Za-z]+")
_CLAUSE = re.compile(r"[，,。；;！!？?]")


@cache
def _gb2312_level(ch: str) -> int:
    """1 for the 3,755 commonest simplified hanzi, 2 for GB2312's 3,008 rarer ones, 0 outside
    GB2312 (traditional characters among them: a mirror in traditional script is not rare)."""
    try:
        lead = ch.encode("gb2312")[0]
    except UnicodeEncodeError:
        return 0
    return 1 if 0xB0 <= lead <= 0xD7 else 2 if lead >= 0xD8 else 0


@lru_cache(maxsize=1)
def _level2() -> frozenset[str]:
    """GB2312's 3,008 rarer hanzi (rows 0xD8-0xF7)."""
    pairs = b"".join(bytes((lead, cell)) for lead in range(0xD8, 0xF8) for cell in range(0xA1, 0xFF))
    return frozenset(pairs.decode("gb2312", errors="ignore"))


# a line of 8 or more characters without punctuation: may be a run of rare characters
_RARE_LINE = re.compile(r"^[^\n，,。；;：:！!？?、]{8,}$", re.M)


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
    table = params["evidence"]
    evidence = [_Evidence(e["name"], e["weight"], e["each"], e["most"], e["pattern"]) for e in table]
    shapes = [(i, e.pattern) for i, e in enumerate(evidence) if e.pattern is not None]
    # One Aho-Corasick scan of the raw text finds the candidate lines: the words of positive
    # evidence, and the trigger literals of positive shapes (every match of a shape holds one
    # of its triggers, so a shape is tried only on the lines where one of them stands).
    # Words that count against chrome (report words, common in every line) are looked for
    # in the candidates only.
    untriggered = [(i, pat) for i, pat in shapes if evidence[i].weight <= 0 or not table[i]["triggers"]]
    scan_auto = _scan_automaton(table, evidence)
    neg_auto = _negative_automaton(table, evidence)
    # Shapes without triggers are looked for over the whole folded text, line by line (re.M).
    shape_scan = [multiline(pat) for i, pat in untriggered if evidence[i].weight > 0]
    p = params
    threshold: float = p["threshold"]
    max_chars: int = p["max_chars"]
    sentence_end: re.Pattern[str] = p["sentence_end"]
    title: re.Pattern[str] | None = p["title"]
    heading: re.Pattern[str] | None = p["heading"]
    title_unless: re.Pattern[str] | None = p["title_unless"]
    teaser: re.Pattern[str] | None = p["teaser"]
    organisation: re.Pattern[str] | None = p["organisation"]
    protect: Sequence[re.Pattern[str]] = p["protect"]
    protect_after: Sequence[Mapping[str, re.Pattern[str]]] = p["protect_after"]
    rare_hits = max(1, math.ceil(p["rare_share"] * p["rare_min"]))  # fewer rare hanzi: never a rare run
    # Below this a line's score decides nothing: it is not chrome even in an edge zone, context
    # does not weigh it (a short label goes by its neighbours alone), and it may anchor the body.
    weighed_from = min(p["context_min"], p["threshold"] - max(p["edge_zone"], 0.0))

    def is_sentence(s: str) -> bool:
        if len(s) < p["sentence_min_chars"]:
            return False
        if sentence_end.search(s) is not None:
            # a label with nothing after its colon (• 发文字号:) says nothing
            return not (s[-1] in ":：" and len(s) <= p["label_max_chars"] * 3 and _PUNCT.search(s[:-1]) is None)
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
        if len(known) < p["rare_min"]:
            return False
        return bool(known.count(2) >= p["rare_share"] * len(known))  # params are untyped (Any)

    def analyse(lines: Lines) -> Analysis:
        text = lines.text
        contents = lines.contents
        n = len(contents)
        starts = lines.starts
        # Candidates: lines holding positive evidence or a run of rare characters. Any other
        # line scores at most edge_zone + buttons < threshold and has no evidence for context
        # to weigh, so it is never scored (most lines of most documents). Numbered items are
        # scored when a chrome list reaches them.
        hits: dict[int, dict[int, set[str]]] = {}
        tried: dict[int, set[int]] = {}
        said: dict[str, list[int]] = {}  # each positive cue word: its lines, once per occurrence
        # A mirror in traditional script is read line by line as simplified, without the
        # pinyin it puts after some characters (頁(yè)): the cue words are written once.
        reading = _mirror_reading(text, contents)
        scan_text, scan_starts = (text, starts) if reading is None else _joined(reading)
        if scan_auto is not None:
            found = scan_auto.matcher.find_matches_as_indexes(scan_text, overlapping=True)
            if found:
                line_of = map(bisect_right, repeat(scan_starts), [start for _, start, _ in found])
                meta = scan_auto.meta
                for k, (word, who, shaped) in zip(line_of, [meta[i] for i, _, _ in found]):
                    if who:
                        per = hits.setdefault(k - 1, {})
                        for i in who:
                            per.setdefault(i, set()).add(word)
                        said.setdefault(word, []).append(k - 1)
                    if shaped:
                        tried.setdefault(k - 1, set()).update(shaped)
        candidates = set(hits) | set(tried)
        level2 = _level2()
        rare_lines = {
            bisect_right(starts, m.start()) - 1
            for m in _RARE_LINE.finditer(text)
            if sum(map(level2.__contains__, m.group())) >= rare_hits
        }
        candidates |= rare_lines
        if shape_scan:
            folded_text = fold(scan_text)
            for scan in shape_scan:
                for m in scan.finditer(folded_text):
                    candidates.update(range(*_span_lines(scan_starts, m)))  # \s* may reach over blank lines
        folded: dict[int, str] = {}
        read = contents if reading is None else reading

        def folded_line(k: int) -> str:
            if k not in folded:
                folded[k] = fold(read[k]).strip()
            return folded[k]

        sentence: dict[int, bool] = {}

        def is_sentence_at(k: int) -> bool:
            if k not in sentence:
                s = contents[k].strip()
                sentence[k] = bool(s) and (len(s) > max_chars or is_sentence(s) or wrapped(k, s))
            return sentence[k]

        def wrapped(k: int, s: str) -> bool:
            """A piece of a paragraph wrapped at a fixed width (text taken from a PDF): the line
            above, right above, is as long and breaks off mid-sentence."""
            if k == 0 or len(s) < p["wrap_min_chars"]:
                return False
            above = contents[k - 1].strip()
            return (
                len(above) >= p["wrap_min_chars"]
                and _WRAP_END.search(above) is not None  # it breaks off inside a sentence: at 、 , or a hanzi
                and _CLAUSE.search(above) is not None
                and _CLAUSE.search(s) is not None
            )

        def neighbour(k: int, step: int) -> int | None:
            """The next non-blank line from line k in the direction of ``step``, if any."""
            j = k + step
            while 0 <= j < n and not contents[j].strip():
                j += step
            return j if 0 <= j < n else None

        def after(k: int, pat: re.Pattern[str]) -> bool:
            """Whether the line before line k, blank lines aside, matches ``pat`` (width-folded)."""
            j = neighbour(k, -1)
            return j is not None and pat.search(folded_line(j)) is not None

        def judge(topical: frozenset[str], topics: Mapping[int, list[str]]) -> Analysis:
            """Every line's verdict from the cue words found on it (``hits``)."""
            base: dict[int, float] = {}  # scores before the zone bonus: what context weighs
            fired: dict[int, list[str]] = {}

            def score(k: int, item: bool = False) -> float | None:
                """The line's evidence, or None: blank, too long, protected, or no positive evidence."""
                if k in base:
                    return base[k]
                raw = contents[k]
                s = folded_line(k)
                if not s or len(s) > max_chars or any(pat.search(raw) for pat in protect):
                    return None
                if any(pair["line"].search(s) and after(k, pair["after"]) for pair in protect_after):
                    return None
                # Positive evidence first: a line whose positive evidence cannot reach what any
                # decision asks for (a trigger without its shape, a date in a sentence) is weighed
                # as if it were no candidate, so the rest is never computed for it.
                rare_run = k in rare_lines and is_rare(s)
                own = hits.get(k, {})
                sc, why = 0.0, []
                for i in sorted(tried.get(k, ())):
                    count = len(evidence[i].pattern.findall(s))  # type: ignore[union-attr]
                    if count:
                        sc += evidence[i].value(count)
                        why.append(evidence[i].name)
                for i, pat in untriggered:
                    count = len(pat.findall(s))
                    if count:
                        sc += evidence[i].value(count)
                        why.append(evidence[i].name)
                upper = sum(evidence[i].value(len(words)) for i, words in own.items()) + max(sc, 0.0)
                whole = any(s.strip("【】[]()（）:：>»|•·●◆■▪▸► ") in words for words in own.values())
                upper += p["whole_word"] * whole + p["rare"] * rare_run
                if not item and upper + max(p["buttons"], 0.0) < weighed_from:
                    return None
                buttons = is_buttons(s)
                if not item and upper + p["buttons"] * buttons < weighed_from:
                    return None
                line_hits = dict(own)
                if neg_auto is not None:
                    for j, _, _ in neg_auto.matcher.find_matches_as_indexes(s, overlapping=True):
                        word, who = neg_auto.meta[j]
                        for i in who:
                            line_hits.setdefault(i, set()).add(word)
                words_why = []
                for i, words in line_hits.items():
                    full = evidence[i].value(len(words))
                    # a word of the report's topic counts for a share of its weight only
                    plain = evidence[i].value(len(words - topical)) if topical else full
                    sc += plain + p["topic_weight"] * (full - plain)
                    words_why.append(f"{evidence[i].name}({'/'.join(sorted(words, key=s.find)[:3])})")
                why[:0] = words_why
                if is_sentence_at(k):
                    sc += p["sentence"]
                    why.append("sentence")
                size = len(_SEPARATORS.sub("", s))
                if size > 40:
                    sc += p["per_100_chars"] * (size - 40) / 100
                if whole:
                    sc += p["whole_word"]
                    why.append("cue word alone")
                if title is not None and title.search(s) and not (title_unless and title_unless.search(s)):
                    sc += p["title_weight"]
                    why.append("title")
                elif heading is not None and len(s) <= p["heading_max_chars"] and heading.search(s):
                    sc += p["heading_weight"]
                    why.append("heading")
                if buttons:
                    sc += p["buttons"]
                    why.append("button row")
                if rare_run:
                    sc += p["rare"]
                    why.append("rare characters")
                if k in topics:
                    why.append(f"topic of the body weighed less ({'/'.join(topics[k][:3])})")
                base[k], fired[k] = sc, why
                return sc

            for k in sorted(candidates):
                score(k)

            def item_score(k: int) -> float | None:
                """A numbered item's evidence (scored only when a chrome list reaches it)."""
                if k in base or _ITEM.match(folded_line(k)) is None:
                    return base.get(k)
                return score(k, item=True)

            # The body runs from its first to its last sentence without strong cues.
            anchor_below = threshold - p["edge_zone"]

            def sentence_like(k: int | None) -> bool:
                if k is None:
                    return False
                sc = base.get(k)
                return (
                    len(contents[k].strip()) >= p["anchor_min_chars"]
                    and is_sentence_at(k)
                    and (sc is None or sc < anchor_below)
                )

            def body_span() -> tuple[int | None, int | None]:
                """The first and last sentence of the body: the run of lines where the body's
                sentences (their length) outweigh the chrome among them (its length), found as
                a maximum-sum run. Chrome sentences before a page's real body (a download
                notice that ends with 。) are not its start, as the first sentence would be."""
                best, best_span = 0, (-1, -1)
                run, start = 0, -1
                for k in range(n):
                    size = len(contents[k].strip())
                    if not size:
                        continue
                    if anchor(k):
                        value = size
                    elif (base.get(k) or 0.0) >= threshold:
                        value = -max(size, p["anchor_min_chars"])
                    else:
                        continue
                    if run <= 0:
                        run, start = 0, k
                    run += value
                    if value > 0 and run > best:
                        best, best_span = run, (start, k)
                if best_span[0] < 0:
                    return None, None
                lo, hi = best_span
                return next(k for k in range(lo, hi + 1) if anchor(k)), hi

            def anchor(k: int) -> bool:
                # A short sentence alone among labels (前往小程序,Get更优阅读体验!) is a page's
                # call, not the body's first sentence: a short one anchors beside another.
                if not sentence_like(k):
                    return False
                line = contents[k].strip()
                if len(line) >= p["anchor_alone_chars"] or line.endswith(("。", "；", ";")):
                    return True  # a report's statement ends with a full stop; a page's call with ! or ~
                for step in (-1, 1):
                    j = neighbour(k, step)
                    while j is not None and (base.get(j) or 0.0) >= anchor_below:
                        j = neighbour(j, step)  # chrome between two sentences does not part them
                    if sentence_like(j):
                        return True
                return False

            first, last = body_span()
            if first is None:  # a short text of one sentence: that sentence is its body
                first = next((k for k in range(n) if sentence_like(k)), None)
                last = next((k for k in range(n - 1, -1, -1) if sentence_like(k)), None)
            if first is None or last is None:
                first, last = -1, n  # without a body sentence there is no telling where the body is: no zones

            def zone_of(k: int) -> str:
                return "head zone" if k < first else "tail zone" if k > last else ""

            zone = [""] * n
            chrome = [False] * n
            reason: dict[int, str] = {}
            # The document's first line, when it reads as a heading (long, no sentence, no row of
            # links), is its title: it stands where a title stands, not in the page's head zone.
            lead = next((k for k in range(n) if contents[k].strip()), None)
            if lead is not None:
                s0 = folded_line(lead)
                if len(s0) < p["lead_min_chars"] or is_sentence_at(lead) or _CRUMB_ARROWS.search(s0) or _ROW.search(s0):
                    lead = None
            for k in sorted(base):
                sc = base[k]
                zone[k] = zone_of(k)
                if zone[k] and k != lead:
                    sc += p["edge_zone"]
                # among body paragraphs a sentence, or a line as long as one, needs strong evidence
                bodylike = is_sentence_at(k) or (
                    len(contents[k].strip()) >= p["anchor_alone_chars"] and "rare characters" not in fired[k]
                )
                if sc >= (threshold if zone[k] or not bodylike else p["middle_sentence"]):
                    chrome[k] = True
                    reason[k] = _reason(zone[k], fired[k], sc, threshold)

            # Echoes: a page shows its title two or three times before the body (site header,
            # heading, a caption). In the head zone the later copies go; the first copy is decided
            # by its own evidence (protecting it by its echoes would undo itself once they are gone).
            settled: set[int] = set()  # kept by the page's structure: context does not take them
            seen: dict[str, int] = {}
            # only on a page: a head zone with chrome of its own (a report may repeat its title)
            for k in range(max(first, 0) if any(chrome[: max(first, 0)]) else 0):
                key = _SPACES.sub("", folded_line(k))
                if len(key) < p["echo_min_chars"]:
                    continue
                if key not in seen:
                    seen[key] = k
                    continue
                title_k = seen[key]
                if not chrome[k]:
                    chrome[k] = True
                    zone[k] = zone_of(k)
                    reason[k] = f"head zone + echo of line {title_k + 1} (the page's title shown again)"

            # The breadcrumb's own labels shown again as a line (当前位置:首页>>领导讲话>>政府政务,
            # then 政府政务 alone) are its echo; a segment that reads as a title, or a long one,
            # is the page's title and stays.
            crumbs = {
                seg.strip()
                for k in range(max(first, 0))
                if chrome[k] and "breadcrumb" in fired.get(k, ())
                for seg in _CRUMB_SPLIT.split(folded_line(k))
            }
            for k in range(max(first, 0)) if crumbs else ():
                label = folded_line(k)
                if (
                    not chrome[k]
                    and 0 < len(label) <= p["label_max_chars"] * 2
                    and label in crumbs
                    and not (title is not None and title.search(label))  # the page's title: 环卫工人心得体会
                ):
                    chrome[k] = True
                    zone[k] = zone_of(k)
                    reason[k] = "head zone + a label of the breadcrumb shown again"

            # The breadcrumb's last label names the page: the first line that shows it whole is
            # the document's title and stays, unless its own evidence makes it chrome outside
            # the head zone too (as it stands once the breadcrumb has gone: a second pass agrees).
            named = {
                _SPACES.sub("", segs[-1])
                for k in range(max(first, 0))
                if chrome[k] and "breadcrumb" in fired.get(k, ())
                for segs in [_CRUMB_ARROWS.split(folded_line(k))]
                if len(segs[-1].strip()) >= p["named_min_chars"]
            }
            for k in range(max(first, 0)) if named else ():
                if "breadcrumb" not in fired.get(k, ()) and _SPACES.sub("", folded_line(k)) in named:
                    if chrome[k] and base.get(k, 0.0) < threshold:
                        chrome[k] = False
                        reason.pop(k, None)
                        settled.add(k)
                    break

            # Lists: a numbered item goes with the chrome line or item just before it (a 下载须知
            # list), unless it reads as report matter (its evidence, sentence aside, below list_min).
            for k0 in [k for k in range(n) if chrome[k]]:
                own = _ITEM.match(folded_line(k0))
                if own and not zone_of(k0):
                    continue  # one item among body paragraphs does not make its list chrome (a how-to's steps)
                k, prev_item = k0, int(own.group(1)) if own else None
                while (j := neighbour(k, 1)) is not None and not chrome[j]:
                    m = _ITEM.match(folded_line(j))
                    item_sc = item_score(j)
                    if m is None or item_sc is None:
                        break
                    number = int(m.group(1))
                    follows = number <= 2 if prev_item is None else number == prev_item + 1
                    if not follows or item_sc - (p["sentence"] if is_sentence_at(j) else 0) < p["list_min"]:
                        break
                    chrome[j] = True
                    zone[j] = zone_of(j)
                    reason[j] = (
                        f"context: item of a chrome list; {_reason('', fired[j], item_sc, threshold, below=True)}"
                    )
                    k, prev_item = j, number

            # A body list keeps its own: an item whose neighbour item (n-1 or n+1) reads as report
            # matter, and a line between two such items, stay unless their evidence is strong.
            def item_number(k: int) -> int | None:
                m = _ITEM.match(folded_line(k))
                return int(m.group(1)) if m else None

            def body_item(k: int | None, number: int | None) -> bool:
                return k is not None and number is not None and not chrome[k] and item_number(k) == number

            def item_near(k: int, step: int) -> int | None:
                j = k
                for _ in range(p["list_reach"]):
                    j = neighbour(j, step)  # type: ignore[assignment]
                    if j is None or item_number(j) is not None:
                        return j
                return None

            changed = True
            while changed:
                changed = False
                for k in [k for k in range(n) if chrome[k] and base.get(k, 0.0) < p["middle_sentence"]]:
                    own_number = item_number(k)
                    up, down = item_near(k, -1), item_near(k, 1)
                    up_n = None if up is None else item_number(up)
                    if own_number is not None:
                        kept = body_item(up, own_number - 1) or body_item(down, own_number + 1)
                    else:
                        kept = up_n is not None and body_item(up, up_n) and body_item(down, up_n + 1)
                    if kept:
                        chrome[k], changed = False, True
                        reason.pop(k, None)
                        settled.add(k)

            # Menus: a run of short bare labels (学校首页 / 学校简介 / 院系设置 …, • 办公文档>) in an
            # edge zone is a site's navigation when one of them holds a cue word (a list of names
            # at a report's end holds none). A title or a heading breaks the run.
            def menu_item(k: int) -> bool:
                if len(contents[k]) > 4 * p["menu_item_chars"] or not zone_of(k):
                    return False
                label = _MENU_MARKS.sub("", contents[k]).strip()
                return (
                    0 < len(label) <= p["menu_item_chars"]
                    and _WORD_ONLY.fullmatch(label) is not None
                    and zone_of(k) != ""
                    and "title" not in fired.get(k, ())
                    and "heading" not in fired.get(k, ())
                    and not (title is not None and title.search(fold(label)))
                )

            def edge_runs(fits: Callable[[int], bool]) -> Iterator[list[int]]:
                """Runs of lines in the edge zones that fit, blank lines between them aside."""
                k = 0
                while k < n:
                    if not fits(k):
                        k = last + 1 if 0 <= first <= k <= last else k + 1  # the body is no edge: skip it
                        continue
                    run = [k]
                    j = neighbour(k, 1)
                    while j is not None and fits(j):
                        run.append(j)
                        j = neighbour(j, 1)
                    yield run
                    k = run[-1] + 1

            def take(run: list[int], what: str) -> None:
                for i in run:
                    if not chrome[i]:
                        chrome[i] = True
                        zone[i] = zone_of(i)
                        reason[i] = f"context: {what}, {zone[i]}"

            for run in edge_runs(menu_item):
                if len(run) >= p["menu_min"] and any(i in hits for i in run):
                    take(run, f"a menu of {len(run)} short labels")

            # Context: ambiguous lines next to chrome go with it, until nothing changes.
            todo = [j for k in range(n) if chrome[k] for j in (neighbour(k, -1), neighbour(k, 1)) if j is not None]
            while todo:
                k = todo.pop()
                if chrome[k] or k in settled:
                    continue
                label = contents[k].strip()
                found_sc = item_score(k)
                zone[k] = zone_of(k)
                if found_sc is None and len(label) > max_chars:
                    continue
                sc = (
                    0.0 if found_sc is None else found_sc
                )  # no evidence: only a short label between two chrome lines can go
                if is_sentence_at(k) and not zone[k]:
                    continue
                short_label = (
                    len(label) <= p["label_max_chars"]
                    and _WORD_ONLY.fullmatch(label) is not None
                    and "title" not in fired.get(k, ())
                    and not (title is not None and title.search(fold(label)))
                )
                up_k, down_k = neighbour(k, -1), neighbour(k, 1)
                up = up_k is not None and chrome[up_k]
                down = down_k is not None and chrome[down_k]
                # the value of a chrome form's label (• 发文字号: then 镇政发〔2024〕7号)
                value = (
                    up
                    and up_k is not None
                    and contents[up_k].rstrip().endswith((":", "："))
                    and len(label) <= p["value_max_chars"]
                    and not is_sentence_at(k)
                )
                mark = _MARK_ONLY.fullmatch(label) is not None or label == "…"  # … between two related titles
                if sc < p["context_min"] and not (
                    ((short_label or value) and zone[k] and up and down) or (mark and zone[k] and (up or down))
                ):
                    continue  # a short label goes only between two chrome lines (an author's name may stand by one)
                edge_ok = zone[k] and (sc >= p["context_edge_min"] or mark)
                if (up and down) or ((up or down) and edge_ok):
                    chrome[k] = True
                    where = "between chrome lines" if up and down else f"next to chrome, {zone[k]}"
                    reason[k] = f"context: {where}; {_reason('', fired.get(k, []), sc, threshold, below=True)}"
                    todo.extend(j for j in (up_k, down_k) if j is not None and not chrome[j])
            # A teaser: a labelled line before the body (核心提示:, 【摘要】:) that copies the start
            # of the body, which follows in full; a paper's own abstract says what no later line says.
            for k in range(min(first + 1, n) if first >= 0 and teaser is not None else 0):
                m = teaser.match(folded_line(k)) if teaser is not None and not chrome[k] else None
                if m is None:
                    continue
                start = _SPACES.sub("", folded_line(k)[m.end() :])[: p["teaser_chars"]]
                if len(start) == p["teaser_chars"] and start in _SPACES.sub("", fold("".join(contents[k + 1 :]))):
                    chrome[k] = True
                    zone[k] = zone_of(k)
                    reason[k] = f"a teaser: its start ({start}…) is the body's, which follows"

            # A metadata block: three or more label lines in a row (• 上传人:… • 文档编号:… • 格式:…),
            # two of them with a label of a page's metadata, in an edge zone. A report's own
            # contact block or a minutes' 时间/地点/主持人 holds one such label at most.
            def field(k: int) -> bool:
                line = contents[k]
                return (
                    bool(zone_of(k))
                    and _FIELD.match(line) is not None
                    and len(line.strip()) <= p["value_max_chars"] + 10
                )

            for run in edge_runs(field):
                labelled = [i for i in run if {"label:", "record label:"} & set(fired.get(i, ()))]
                if len(run) >= 3 and len(labelled) >= 2:
                    take(run, f"a block of {len(run)} metadata fields")

            # The page's edges: the document's first and last lines. A site's section label over
            # the page's title (思想观点, then the title) and a stray mark (| or ?) left by the page's
            # layout are no part of a report, which starts with its title and ends with matter.
            shown = [k for k in range(n) if contents[k].strip() and not chrome[k]]
            for k in {shown[0], shown[-1]} if shown else ():
                if _MARK_ONLY.fullmatch(contents[k].strip()):
                    chrome[k] = True
                    zone[k] = zone_of(k)
                    reason[k] = "a stray mark at the page's edge"
            if len(shown) >= 2 and not chrome[shown[0]] and shown[0] < first:
                k0, k1 = shown[0], shown[1]
                label, after_it = folded_line(k0), folded_line(k1)
                if (
                    # 上海 over a headline is its dateline; 其他 after the page's chrome is its column
                    (2 if any(contents[j].strip() for j in range(k0)) else 3) <= len(label) <= p["label_max_chars"]
                    and _WORD_ONLY.fullmatch(label) is not None
                    and not (title is not None and title.search(label))
                    and not (organisation is not None and organisation.search(label))  # 国家电网 over its report
                    and k0 not in hits
                    and len(after_it) >= 2 * len(label) + 2
                    and not is_sentence_at(k1)
                    and base.get(k1, 0.0) < threshold
                ):
                    chrome[k0] = True
                    zone[k0] = zone_of(k0)
                    reason[k0] = "a section label over the page's title"
            scores: list[float | None] = [None] * n
            for k, sc in base.items():
                scores[k] = sc + p["edge_zone"] if zone_of(k) else sc
            return Analysis(scores, [fired.get(k, []) for k in range(n)], zone, chrome, reason)

        # The report's own topic: a cue word that the body's sentences say again and again
        # (举报 in a notice about reporting accounts, 版权 in a paper on copyright) tells nothing
        # about a line of that document. Lines judged chrome for it are judged again without it.
        first_pass = judge(frozenset(), {})
        if not p["topic_min"] or not said:
            return first_pass
        body = {
            k
            for ks in said.values()
            for k in ks
            if not first_pass.chrome[k]
            and (first_pass.scores[k] or 0.0) <= p["topic_body_max"]  # a download notice says 下载 again and again
            and len(contents[k].strip()) >= p["anchor_min_chars"]
            and is_sentence_at(k)
        }
        topical = {w for w, ks in said.items() if sum(k in body for k in ks) >= p["topic_min"]}
        said_here = {k: set().union(*per.values()) & topical for k, per in hits.items()} if topical else {}
        topics = {k: sorted(words) for k, words in said_here.items() if words}
        if not any(first_pass.chrome[k] for k in topics):
            return first_pass
        return judge(frozenset(topical), topics)

    return ScoredFinder(analyse)


# pinyin a converter puts after a character it spells out (頁(yè), 說(shuō)明)
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)")
_MIRROR_MIN = 3  # different traditional characters that make a text a mirror in traditional script
_MIRROR_SAMPLE = 3000  # characters of the text looked at for them


def _mirror_reading(text: str, contents: Sequence[str]) -> list[str] | None:
    """Each line read as simplified without converter pinyin, for a text in traditional script."""
    # A mirror is in traditional script throughout: its start tells (a scan of the whole
    # text against 2,956 characters costs more than the rest of the kind).
    if _PINYIN.search(text) is None and traditional_kinds(text[:_MIRROR_SAMPLE]) < _MIRROR_MIN:
        return None
    return [_PINYIN.sub("", simplified(c)) for c in contents]


def _joined(reading: list[str]) -> tuple[str, list[int]]:
    """The lines as one text and where each starts in it."""
    starts, at = [], 0
    for line in reading:
        starts.append(at)
        at += len(line) + 1
    return "\n".join(reading), starts


def _span_lines(starts: Sequence[int], m: re.Match[str]) -> tuple[int, int]:
    """The lines a match touches, as a range."""
    a = bisect_right(starts, m.start()) - 1
    return a, bisect_right(starts, max(m.start(), m.end() - 1))


def _widths(word: str) -> set[str]:
    """A folded word as it may stand in raw text: in full width too (the fold's inverse), and
    a Latin word in its usual cases (doc, DOC, Doc)."""
    cases = {word, word.lower(), word.upper(), word.capitalize()} if word.isascii() else {word}
    return cases | {w.translate(_UNFOLD) for w in cases}


@dataclass(frozen=True, slots=True)
class _Automaton:
    """An Aho-Corasick matcher and what each of its patterns stands for."""

    matcher: ahocorasick_rs.AhoCorasick
    meta: tuple[Any, ...]

    @classmethod
    def of(cls, owners: Mapping[str, Any]) -> _Automaton | None:
        return cls(ahocorasick_rs.AhoCorasick(list(owners)), tuple(owners.values())) if owners else None


def _scan_automaton(table: Sequence[Mapping[str, Any]], evidence: list[_Evidence]) -> _Automaton | None:
    """Words of positive evidence and triggers of positive shapes, in both widths:
    raw form -> (folded word, evidence owning the word, shapes it triggers)."""
    owners: dict[str, tuple[list[int], list[int]]] = {}
    for i, e in enumerate(table):
        if evidence[i].weight <= 0:
            continue
        for w in e["words"] or ():
            owners.setdefault(w, ([], []))[0].append(i)
        if e["pattern"] is not None:
            for w in e["triggers"] or ():
                owners.setdefault(w, ([], []))[1].append(i)
    forms = {form: (w, tuple(who), tuple(shaped)) for w, (who, shaped) in owners.items() for form in _widths(w)}
    return _Automaton.of(forms)


def _negative_automaton(table: Sequence[Mapping[str, Any]], evidence: list[_Evidence]) -> _Automaton | None:
    """Words of negative evidence (looked for in folded candidate lines): word -> (word, owners)."""
    owners: dict[str, list[int]] = {}
    for i, e in enumerate(table):
        if evidence[i].weight <= 0:
            for w in e["words"] or ():
                owners.setdefault(w, []).append(i)
    return _Automaton.of({w: (w, tuple(who)) for w, who in owners.items()})


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
