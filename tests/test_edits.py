"""Edits compose across phases: offsets always refer to the original text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cleaner.edits import Edit, apply_edits, compose


@st.composite
def text_and_edits(draw, text=None):  # type: ignore[no-untyped-def]
    if text is None:
        text = draw(st.text(alphabet="ab\n", max_size=30))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    edits = []
    pos = 0
    for a, b in zip(cuts[::2], cuts[1::2]):
        if a < pos or (a == b and not draw(st.booleans())):
            continue
        rep = draw(st.sampled_from(["", "", "X", "YZ"]))
        if a == b and rep == "":
            continue
        edits.append(Edit("r", a, b, text[a:b], rep))
        pos = b + (1 if a == b else 0)
    return text, edits


@given(st.data())
def test_compose_matches_sequential_application(data) -> None:  # type: ignore[no-untyped-def]
    original, first = data.draw(text_and_edits())
    mid = apply_edits(original, first)
    _, second = data.draw(text_and_edits(mid))
    second = [e for e in second if e.end > e.start]  # later phases only remove or replace
    final = apply_edits(mid, second)
    composed = compose(original, first, second)
    assert apply_edits(original, composed) == final
    pos = 0
    for edit in composed:
        assert pos <= edit.start <= edit.end
        assert original[edit.start : edit.end] == edit.text
        pos = edit.end


def test_later_rule_wins_where_edits_merge() -> None:
    original = "a\u200bb\nJUNK\u200b\nc"
    first = [Edit("invisible", 1, 2, "\u200b"), Edit("invisible", 8, 9, "\u200b")]
    mid = apply_edits(original, first)
    assert mid == "ab\nJUNK\nc"
    second = [Edit("junk", 3, 8, "JUNK\n")]
    composed = compose(original, first, second)
    assert composed == [Edit("invisible", 1, 2, "\u200b"), Edit("junk", 4, 10, "JUNK\u200b\n")]
    assert apply_edits(original, composed) == "ab\nc"
