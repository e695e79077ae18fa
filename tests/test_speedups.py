"""The speed-ups (literal prefilters, combined regexes, vendor scan) never change a result.

Finders start cold (plain per-pattern searches) and build their speed-ups
after a few documents; both paths must give the same text and edits.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import corpus_cases
from hypothesis import given, settings
from hypothesis import strategies as st
from test_properties import documents

import cleaner.kinds.base as base
from cleaner import Cleaner


def make(warm_up: int, monkeypatch: pytest.MonkeyPatch) -> Cleaner:
    monkeypatch.setattr(base, "WARM_UP", warm_up)
    monkeypatch.setattr(base, "WARM_UP_CHARS", 1 << 60)
    return Cleaner()


@pytest.fixture(scope="module")
def pair() -> Iterator[tuple[Cleaner, Cleaner]]:
    """A warm cleaner (speed-ups from the first document) and a cold one (never), built once:
    loading the rules costs more than cleaning a generated document."""
    with pytest.MonkeyPatch.context() as mp:
        warm = make(0, mp)
        cold = make(10**9, mp)
        yield warm, cold


@pytest.fixture(scope="module")
def texts() -> list[str]:
    from cleaner.document import decode

    out = []
    for _, inp, exp in corpus_cases():
        out.append(decode(inp.read_bytes()).text)
        out.append(decode(exp.read_bytes()).text)
    return out


def test_cold_and_warm_finders_agree_on_the_corpora(texts: list[str], pair: tuple[Cleaner, Cleaner]) -> None:
    warm, cold = pair
    for text in texts:
        assert warm.clean(text) == cold.clean(text)


@settings(max_examples=150, deadline=None)
@given(batch=st.lists(documents(), min_size=1, max_size=3))
def test_cold_and_warm_finders_agree_on_generated_documents(pair: tuple[Cleaner, Cleaner], batch: list[str]) -> None:
    warm, cold = pair
    for text in batch:
        assert warm.clean(text) == cold.clean(text)


def test_marker_join_and_removed_last_line_do_not_overlap() -> None:
    # A paywall marker line joined to the line before, while the last line (no
    # final newline) is removed in the same pass, once gave overlapping edits.
    text = "X市统计局2020年工作总结暨2021年工作谋划\n##paidend##\n仅供学习 禁止外传 用后删除"
    result = Cleaner().clean(text)
    pos = 0
    for edit in result.edits:
        assert edit.start >= pos
        pos = edit.end
    from cleaner.edits import apply_edits

    assert apply_edits(text, result.edits) == result.text
