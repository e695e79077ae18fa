"""Strings every match of a regex must contain, read from its parse tree.

They give the kinds cheap pre-checks (see ``cues``): a document holding none
of the strings a rule's patterns need never runs the rule's per-line loop.
The strings are read from the compiled patterns, never declared by hand: a
rule file cannot get them wrong, and a user's own rules are pre-checked too.

The analysis is conservative. "Every match contains one of these strings"
is only claimed where the parse tree proves it; anything it does not
understand (look-arounds, categories, negated or case-insensitive classes,
optional items) contributes nothing, and a pattern with no proven
requirement turns the pre-check off. Case-insensitive literals are searched
case-insensitively, with the regex engine's own folding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

try:  # the regex parser: a private module, so any surprise just turns pre-checks off
    import re._parser as _sre  # type: ignore[import-not-found]  # private, no stubs (removed by issue 16 item 1)
except ImportError:  # pragma: no cover
    _sre = None

Lit = tuple[str, bool]  # a string, and whether it matches case-insensitively (as under (?i:…))
Requirement = frozenset[Lit]  # a match contains at least one of these strings
_MAX_CLASS = 160  # larger character classes are not worth a pre-check


def requirements(pattern: re.Pattern[str]) -> list[Requirement]:
    """Sets of strings, each of which a match of ``pattern`` must contain one of."""
    if _sre is None:
        return []
    try:
        parsed = _sre.parse(pattern.pattern, pattern.flags)
        return _sequence(list(parsed), ignore_case=bool((pattern.flags | parsed.state.flags) & re.IGNORECASE))
    except Exception:
        return []


def line_local(pattern: re.Pattern[str]) -> bool:
    """True when a match inside a line is also a match inside the whole text.

    So it is for any pattern without anchors, word boundaries, look-arounds or
    conditionals: what it matches depends on the matched characters alone.
    """
    if _sre is None:
        return False
    try:
        return _context_free(list(_sre.parse(pattern.pattern, pattern.flags)))
    except Exception:
        return False


def best(reqs: Sequence[Requirement]) -> Requirement | None:
    """The requirement likely to hit least often in Chinese prose."""
    return min(reqs, key=cost) if reqs else None


def cue_strings(patterns: Iterable[re.Pattern[str]]) -> Requirement | None:
    """Strings one of which every match of any of ``patterns`` contains; None when unknown."""
    out: set[Lit] = set()
    for pattern in patterns:
        chosen = best(requirements(pattern))
        if chosen is None:
            return None
        out |= chosen
    return frozenset(out)


def alternation(strings: Iterable[Lit]) -> re.Pattern[str]:
    """One regex finding any of ``strings`` (a character class when all are single characters)."""
    ordered = sorted(set(strings), key=lambda lit: (-len(lit[0]), lit))  # longest first
    if all(len(text) == 1 and not icase for text, icase in ordered):
        return re.compile("[" + "".join(re.escape(text) for text, _ in ordered) + "]")
    return re.compile("|".join(f"(?i:{re.escape(text)})" if icase else re.escape(text) for text, icase in ordered))


# --- the parse-tree walk ----------------------------------------------------------


def _sequence(items: list[tuple[Any, Any]], ignore_case: bool) -> list[Requirement]:
    """Requirements of items matched one after another: each item's own, and literal runs."""
    reqs: list[Requirement] = []
    run: list[str] = []
    for op, av in items:
        if op is _sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            reqs.append(frozenset({("".join(run), ignore_case)}))
            run = []
        reqs.extend(_item(op, av, ignore_case))
    if run:
        reqs.append(frozenset({("".join(run), ignore_case)}))
    return reqs


def _context_free(items: list[tuple[Any, Any]]) -> bool:
    for op, av in items:
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT, _sre.GROUPREF_EXISTS):
            return False
        if op is _sre.SUBPATTERN and not _context_free(list(av[3])):
            return False
        if op is _sre.ATOMIC_GROUP and not _context_free(list(av)):
            return False
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and not _context_free(list(av[2])):
            return False
        if op is _sre.BRANCH and not all(_context_free(list(b)) for b in av[1]):
            return False
    return True


def _item(op: Any, av: Any, ignore_case: bool) -> list[Requirement]:
    if op is _sre.IN:
        chars = char_class(av, ignore_case)
        return [chars] if chars else []
    if op is _sre.SUBPATTERN:
        _, add_flags, del_flags, body = av
        scoped = (ignore_case or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
        return _sequence(list(body), scoped)
    if op is _sre.ATOMIC_GROUP:
        return _sequence(list(av), ignore_case)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, _, body = av
        return _sequence(list(body), ignore_case) if low >= 1 else []
    if op is _sre.BRANCH:
        union: set[Lit] = set()
        for branch in av[1]:
            chosen = best(_sequence(list(branch), ignore_case))
            if chosen is None:
                return []  # one branch needs nothing: the alternation needs nothing
            union |= chosen
        return [frozenset(union)]
    return []  # anchors, look-arounds, categories, backreferences: no claim


def char_class(members: list[tuple[Any, Any]], ignore_case: bool) -> Requirement | None:
    """The characters of a parsed ``[...]`` class, if it is a small plain one."""
    if ignore_case:
        return None
    chars: set[Lit] = set()
    for op, av in members:
        if op is _sre.LITERAL:
            chars.add((chr(av), False))
        elif op is _sre.RANGE and av[1] - av[0] < _MAX_CLASS:
            chars.update((chr(c), False) for c in range(av[0], av[1] + 1))
        else:
            return None  # NEGATE, CATEGORY, huge ranges
        if len(chars) > _MAX_CLASS:
            return None
    return frozenset(chars) or None


def cost(req: Requirement) -> float:
    """A guess at how often one of ``req`` occurs in a report; it steers speed, never results."""
    # Case-insensitive strings cost a scan of their own, without skipping ahead;
    # and every alternative is tried wherever its first character appears.
    return sum(_string_cost(text) * (20 if icase else 1) + 0.1 for text, icase in req)


def _string_cost(s: str) -> float:
    if len(s) > 1:
        if s.isascii() or all("\uff01" <= c <= "\uff5e" for c in s):
            return 0.1 / len(s)  # Latin words (QQ, VX), half or full width, are rare in Chinese reports
        # A word made only of the commonest characters (整理, 需要, 加强) is a common word.
        return (2.0 if all(c in _COMMON_HANZI for c in s) else 1.0) / len(s)
    if s.isspace() or s.isdigit() or s in _PUNCTUATION:
        return 20.0
    if s in _COMMON_HANZI:
        return 10.0
    if s.isascii():
        return 3.0
    return 2.0


_PUNCTUATION = "，。、：；,.:;-()（）“”《》—"
# The characters that fill most of any Chinese report: a poor choice of cue.
_COMMON_HANZI = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产"
    "种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业"
    "本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利"
    "比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文"
    "总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干"
    "做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共"
    "权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张"
    "信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验"
    "连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写"
    "存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
)
