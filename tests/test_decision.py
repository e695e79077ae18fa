"""One decision per document: the guard, the counts, provenance and undo, Stats that add up, a Cleaner as data."""

from __future__ import annotations

import multiprocessing
import pickle

from hypothesis import given
from hypothesis import strategies as st
from test_properties import SETTINGS, documents

from cleaner import Cleaner
from cleaner.decision import Stats, decide, undo

ALL = Cleaner(max_removal=None)
GUARDED = Cleaner(max_removal=0.5)


@SETTINGS
@given(st.lists(documents(), max_size=8), st.integers(0, 8))
def test_stats_of_shards_add_up_to_the_whole(texts: list[str], cut: int) -> None:
    decided = [(decide(GUARDED, t), t) for t in texts]
    whole = Stats.of(decided)
    assert Stats.of(decided[:cut]) + Stats.of(decided[cut:]) == whole
    assert whole.documents == len(texts) and whole.edits == sum(len(d.edits) for d, _ in decided)


@SETTINGS
@given(documents())
def test_undo_gives_back_the_original(text: str) -> None:
    decision = decide(ALL, text)
    assert undo(decision.text, decision.provenance(ALL)) == text


def test_the_guard_refuses_in_decide_only() -> None:
    text = "仅供学习 禁止外传 用后删除\n正文。\n"
    refused = decide(Cleaner(max_removal=0.1), text)
    assert refused.refused and refused.text == text and not refused.edits and refused.counts == {}
    assert refused.proposed is not None and refused.proposed.edits  # what review shows
    applied = decide(ALL, text)
    assert applied.text == "正文。\n" and applied.counts == {"vendor-notice": 1}
    assert applied.removed_chars == len("仅供学习 禁止外传 用后删除\n") and "vendor-notice 1" in applied.reason
    assert Cleaner(max_removal=0.1).clean(text).refused == refused.refused


def _clean_in_child(payload: bytes) -> str:
    return pickle.loads(payload).clean("仅供学习 禁止外传 用后删除\n正文。\n").text


def test_a_cleaner_travels_as_data_under_spawn() -> None:
    # Selected rules (a disabled one too), keep patterns and the guard arrive as they left.
    cleaner = Cleaner(select=["vendor-notice"], keep=["禁止外传"], max_removal=0.9)
    copy = pickle.loads(pickle.dumps(cleaner))
    assert [r.id for r in copy.rules] == ["vendor-notice"] and copy.keep == cleaner.keep
    assert copy.max_removal == 0.9 and copy.rules_version == cleaner.rules_version
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        got = pool.apply(_clean_in_child, (pickle.dumps(ALL),))
        kept = pool.apply(_clean_in_child, (pickle.dumps(cleaner),))
    assert got == "正文。\n"
    assert kept == cleaner.clean("仅供学习 禁止外传 用后删除\n正文。\n").text
