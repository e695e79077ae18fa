"""A rule's triggers are data: the rule file names the strings every match of its patterns holds.

The pre-checks skip every line that holds none of them, so a trigger set that misses a
match would lose a removal. Checked here on every rule example and every line of the
labelled corpora: each match holds a trigger; the vendor scan's reach covers each vendor
match; and cleaning with the triggers gives what cleaning without them gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from cleaner import Cleaner
from cleaner.document import decode
from cleaner.kinds.cues import forms, holds_trigger
from cleaner.kinds.scan import Scanner
from cleaner.rules import Rule, load_rules

DATA = Path(__file__).parent / "data"
RULES = load_rules()
_LINE_END = re.compile(r"\r\n|\r|\n")


def _texts() -> list[str]:
    texts = [t for rule in RULES for ex in rule.examples for t in (ex.input, ex.output) if t is not None]
    for path in sorted(DATA.glob("*/input/*")) + sorted(DATA.glob("*/expected/*")):
        try:
            texts.append(decode(path.read_bytes()).text)
        except Exception:  # a binary trap file: nothing to match
            continue
    return texts


TEXTS = _texts()
LINES = sorted({line for text in TEXTS for line in _LINE_END.split(text)})

# (rule, the patterns its triggers vouch for, the triggers) for every rule that declares them
TRIGGERED: list[tuple[Rule, tuple[re.Pattern[str], ...], tuple[str, ...]]] = [
    (rule, rule.params.get("patterns") or rule.params["cues"], rule.params["triggers"])
    for rule in RULES
    if rule.params.get("triggers") is not None and rule.kind.name != "score-lines"
]
VENDORS = [rule for rule in RULES if rule.params.get("vendor_triggers") is not None]


def _misses(patterns: tuple[re.Pattern[str], ...], words: tuple[str, ...]) -> Iterator[str]:
    """Matches, in the lines of the corpora, that hold none of ``words``."""
    for line in LINES:
        for pattern in patterns:
            for m in pattern.finditer(line):
                if not holds_trigger(m.group(), words):
                    yield m.group()


def _matches(patterns: tuple[re.Pattern[str], ...]) -> int:
    return sum(1 for line in LINES for p in patterns if p.search(line))


def test_the_corpora_are_read() -> None:
    assert len(LINES) > 3000


def test_the_line_rules_declare_triggers() -> None:
    # Every bundled line rule is pre-checked (a user's rule may go without: every line is searched).
    line_rules = {r.id for r in RULES if r.kind.name in ("drop-lines", "drop-repeated-lines", "strip-inline")}
    assert {rule.id for rule, _, _ in TRIGGERED} == line_rules


@pytest.mark.parametrize(("rule", "patterns", "words"), TRIGGERED, ids=[r.id for r, _, _ in TRIGGERED])
def test_every_match_holds_one_of_the_rules_triggers(
    rule: Rule, patterns: tuple[re.Pattern[str], ...], words: tuple[str, ...]
) -> None:
    assert _matches(patterns) > 0, f"{rule.id}: no match in the corpora, the check would prove nothing"
    missed = sorted(set(_misses(patterns, words)))
    assert missed == [], f"{rule.id}: add a trigger for {missed[:5]}"


def test_a_missing_trigger_is_caught() -> None:
    # the check above can fail: without 页 the page numbers of page-footer hold no trigger
    _, patterns, words = next(t for t in TRIGGERED if t[0].id == "page-footer")
    assert "页" in words
    assert any(True for _ in _misses(patterns, tuple(w for w in words if w != "页")))


def test_forms_cover_widths_cases_and_spaces() -> None:
    assert {"QQ", "qq", "Qq", "ＱＱ", "ｑｑ"} <= forms("QQ")
    assert {"Q Q", "Q\u3000Q", "Ｑ\u3000Ｑ"} <= forms("Q Q")
    assert forms("下载") == {"下载"}
    assert {"加V", "加v", "加Ｖ"} <= forms("加V")


def _vendor_misses(rule: Rule) -> Iterator[str]:
    """Vendor matches that hold no trigger within ``vendor_reach`` non-space characters of their start."""
    pattern, reach = rule.params["vendor"], rule.params["vendor_reach"]
    every = {form for word in rule.params["vendor_triggers"] for form in forms(word)}
    for text in TEXTS:
        for m in pattern.finditer(text):
            starts = [
                a
                for a in range(m.start(), m.end())
                if any(text.startswith(f, a) and a + len(f) <= m.end() for f in every)
            ]
            if not any(len("".join(text[m.start() : a].split())) <= reach for a in starts):
                yield m.group()


@pytest.mark.parametrize("rule", VENDORS, ids=[r.id for r in VENDORS])
def test_every_vendor_match_holds_a_trigger_within_reach(rule: Rule) -> None:
    pattern = rule.params["vendor"]
    assert sum(1 for text in TEXTS for _ in pattern.finditer(text)) > 0
    missed = sorted(set(_vendor_misses(rule)))
    assert missed == [], f"{rule.id}: raise vendor_reach or add a vendor trigger for {missed[:5]}"


def test_a_short_vendor_reach_is_caught() -> None:
    rule = VENDORS[0]
    short = replace(rule, params={**rule.params, "vendor_reach": 3})
    assert any(True for _ in _vendor_misses(short))


@pytest.mark.parametrize("rule", VENDORS, ids=[r.id for r in VENDORS])
def test_the_vendor_scan_finds_what_finditer_finds(rule: Rule) -> None:
    from cleaner.kinds.cues import trigger_set

    pattern = rule.params["vendor"]
    scanner = Scanner(pattern, trigger_set(rule.params["vendor_triggers"]), rule.params["vendor_reach"])
    for text in TEXTS:
        assert [m.span() for m in scanner.finditer(text)] == [m.span() for m in pattern.finditer(text)]


def _without_triggers(rule: Rule) -> Rule:
    assert rule.spec is not None
    data: dict[str, Any] = dict(rule.spec.data)
    match = {k: v for k, v in data.get("match", {}).items() if k not in ("triggers", "vendor_triggers")}
    if rule.kind.name == "score-lines":
        return rule  # its triggers are checked in test_score_lines
    return replace(rule.spec, data={**data, "match": match}).build()


def test_cleaning_with_triggers_equals_cleaning_without() -> None:
    plain = [_without_triggers(rule) for rule in RULES]
    assert all(r.params.get("triggers") is None for r in plain if r.kind.name != "score-lines")
    fast, slow = Cleaner(RULES), Cleaner(plain)
    changed = 0
    for text in TEXTS:
        want = slow.clean(text)
        assert fast.clean(text) == want
        changed += want.text != text
    assert changed > 100  # the comparison covers many removals, not only texts left alone


def test_line_local_is_read_conservatively_from_the_source() -> None:
    from cleaner.kinds.strip_inline import line_local

    for source in (r"##paid##", r"[\u200b-\u200f]+", r"(a)\1"):
        assert line_local(re.compile(source)), source
    for source in (r"^x", r"x$", r"\bx", r"x\Z", r"(?=x)", r"(?<!y)x", r"(?m)x", r"[^x]"):
        assert not line_local(re.compile(source)), source
    assert not line_local(re.compile("x", re.M))


def test_a_trigger_with_a_line_break_is_an_error(tmp_path: Path) -> None:
    from cleaner.rules import RuleError, load_rule_file

    path = tmp_path / "t.toml"
    path.write_text(
        'id = "t"\nsummary = "s"\nkind = "drop-lines"\n[match]\npatterns = ["^x$"]\ntriggers = ["x\\ny"]\n'
        '[[examples]]\nname = "a"\ninput = "x\\n"\noutput = ""\n[[examples]]\nname = "b"\ninput = "y\\n"\n',
        encoding="utf-8",
    )
    with pytest.raises(RuleError, match=r"match\.triggers: a trigger cannot hold a line break"):
        load_rule_file(path)
