"""Invariants over generated documents: idempotent, never adds text, edits explain the output."""

from __future__ import annotations

from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, load_rules
from cleaner.edits import apply_edits

BODY = [
    line
    for line in (DATA / "seeds" / "expected" / "004_14110ec65c64f1b3.txt").read_text(encoding="utf-8").split("\n")
    if line
][:12]
JUNK = [
    "仅供学习 禁止外传 用后删除",
    "【打击倒卖活动】",
    "会员群：      免费QQ群：   ",
    "【会员资料仅供内部交流使用，严禁外传及用于商业用途，违者后果自负】",
    "酷乐文行整理，咨询QQ206157060",
    "墨香文苑整理，咨询微信mx_2024",
    "更多资料请关注公众号：笔杆子文库",
    "第 3 页 共 10 页",
    "— 4 —",
    "还剩5页未读，继续阅读",
    "##paidend##",
    "##paidbegin##",
    "",
    "",
]
NOISE = ["\u200b", "##paidbegin##", "$$paidend$$", "\u3000", " ", "QQ", "整理", "xx", "（", "）", "“", "”"]

ALL = Cleaner()
REMOVE_ONLY = Cleaner(ignore=["repair-mojibake"])


@st.composite
def documents(draw) -> str:  # type: ignore[no-untyped-def]
    lines = draw(st.lists(st.one_of(st.sampled_from(BODY), st.sampled_from(JUNK)), max_size=25))
    out = []
    for line in lines:
        if line and draw(st.booleans()):
            k = draw(st.integers(0, len(line)))
            line = line[:k] + draw(st.sampled_from(NOISE)) + line[k:]
        out.append(line)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(out) + draw(st.sampled_from(["", newline]))


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(documents())
def test_idempotent(text: str) -> None:
    once = ALL.clean(text).text
    assert ALL.clean(once).text == once


@SETTINGS
@given(documents())
def test_never_adds_text(text: str) -> None:
    out = REMOVE_ONLY.clean(text).text
    # The output is the input with pieces taken out: a subsequence of it.
    it = iter(text)
    assert all(ch in it for ch in out)


@SETTINGS
@given(documents())
def test_edits_reproduce_the_output(text: str) -> None:
    result = ALL.clean(text)
    assert apply_edits(text, result.edits) == result.text
    pos = 0
    for edit in result.edits:
        assert pos <= edit.start < edit.end <= len(text)
        assert text[edit.start : edit.end] == edit.text
        pos = edit.end


@SETTINGS
@given(st.lists(st.sampled_from(BODY), min_size=1, max_size=20), st.sampled_from(["\n", "\r\n"]))
def test_body_only_documents_come_back_identical(lines: list[str], newline: str) -> None:
    text = newline.join(lines) + newline
    assert ALL.clean(text).edits == ()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_is_safe(text: str) -> None:
    result = ALL.clean(text)
    assert apply_edits(text, result.edits) == result.text
    assert ALL.clean(result.text).text == result.text


def test_rules_load_once_per_cleaner() -> None:
    assert len(load_rules()) == len(ALL.rules)
