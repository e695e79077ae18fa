"""The score-lines kind's speed layer must not change what it finds.

Shapes are tried only on lines holding one of their trigger literals, words are looked for
in the raw text in both widths, and the fold runs by substitution: each of these is checked
here against the plain definition, over every line of the labelled corpora.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner.fold import _TABLE, fold
from cleaner.kinds.score_lines import _widths
from cleaner.rules import load_rules

DATA = Path(__file__).parent / "data"


def _corpus_lines() -> list[str]:
    lines: set[str] = set()
    for path in sorted(DATA.glob("*/input/*")):
        raw = path.read_bytes()
        for codec in ("utf-8-sig", "utf-16", "gb18030"):
            try:
                text = codecs.decode(raw, codec)
                break
            except UnicodeDecodeError:
                continue
        lines.update(line for line in text.splitlines() if line.strip())
    return sorted(lines)


LINES = _corpus_lines()
RULE = next(r for r in load_rules() if r.id == "page-chrome")
TRIGGERED = [e for e in RULE.params["evidence"] if e["pattern"] is not None and e["triggers"]]


def test_the_corpora_are_read() -> None:
    assert len(LINES) > 2500


@pytest.mark.parametrize("evidence", TRIGGERED, ids=[e["name"] for e in TRIGGERED])
def test_every_match_of_a_shape_holds_one_of_its_triggers(evidence: dict) -> None:
    forms = {form for t in evidence["triggers"] for form in _widths(t)}
    missed = [line for line in LINES if evidence["pattern"].search(fold(line)) and not any(f in line for f in forms)]
    assert missed == [], f"{evidence['name']}: add a trigger for {missed[:3]}"


def test_a_shape_with_a_missing_trigger_is_caught() -> None:
    # the check above can fail: without 页 the N页 shape's matches hold no trigger
    pattern = next(e["pattern"] for e in TRIGGERED if e["name"] == "N页")
    assert any(pattern.search(fold(line)) and "页" in line for line in LINES)


def test_every_shape_of_positive_weight_has_triggers() -> None:
    untriggered = [
        e["name"] for e in RULE.params["evidence"] if e["pattern"] is not None and e["weight"] > 0 and not e["triggers"]
    ]
    assert untriggered == []  # else page-chrome folds and scans the whole text for them (the slow path)


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFFEF)))
def test_fold_is_the_table(text: str) -> None:
    assert fold(text) == text.translate(_TABLE)
    assert len(fold(text)) == len(text)


def test_words_are_found_in_both_widths_and_usual_cases() -> None:
    assert {"VIP", "ＶＩＰ", "vip", "ｖｉｐ", "Vip"} <= _widths("VIP")
    assert _widths("下载") == {"下载"}
    assert "附：" in _widths("附:")


def test_untriggered_user_shapes_keep_the_linear_engine() -> None:
    # page-chrome scans shapes without triggers over the whole text, line by line (re.M):
    # a user's pattern that RE2 runs must stay on RE2 there, or it could hang a run again.
    pytest.importorskip("re2")
    from cleaner.patterns import SafePattern, multiline, user_patterns
    from cleaner.schema import compile_pattern

    with user_patterns():
        pattern = compile_pattern(r"^\s*(a+)+$", "k")
    assert isinstance(pattern, SafePattern)
    scan = multiline(pattern)
    assert isinstance(scan, SafePattern)
    assert scan.findall("x\n" + "a" * 40 + "\n" + "a" * 30 + "b\n") == ["a" * 40]
