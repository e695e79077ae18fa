"""The terminal view's rows and windows, built from edits: edge cases by hand, the rest by hypothesis."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.edits import CleanResult, Edit, apply_edits
from cleaner.review.context import Row, Window, hunks
from cleaner.review.terminal import make_console, render_file

PARAGRAPH = "四是全市统计系统" * 40  # 320 characters, CJK


def result_of(original: str, *spans: tuple[str, int, int] | tuple[str, int, int, str]) -> CleanResult:
    edits = tuple(
        Edit(span[0], span[1], span[2], original[span[1] : span[2]], span[3] if len(span) == 4 else "")  # type: ignore[misc]
        for span in spans
    )
    return CleanResult(original, apply_edits(original, edits), edits)


def rows_of(result: CleanResult, window: Window | None = None) -> list[Row]:
    return [row for hunk in hunks(result, window or Window()) for row in hunk.rows]


def plain(result: CleanResult, label: str = "f.txt") -> str:
    out = io.StringIO()
    render_file(make_console(out, color=False), label, result, hunks(result))
    return out.getvalue()


def text_of(row: Row) -> str:
    return "".join(p.text for p in row.pieces)


def test_inline_marker_in_a_long_paragraph_is_a_short_window() -> None:
    original = PARAGRAPH + "##paidbegin##" + PARAGRAPH + "\n"
    start = len(PARAGRAPH)
    (row,) = rows_of(result_of(original, ("paywall-marker", start, start + 13)))
    assert row.kind == "changed" and row.line == 1 and row.column == start + 1
    assert row.rules == ("paywall-marker",)
    kinds = [p.kind for p in row.pieces]
    assert kinds == ["clip", "body", "removed", "body", "clip"]
    assert len(row.pieces[1].text) == 20 and len(row.pieces[3].text) == 20
    line = next(
        ln for ln in plain(result_of(original, ("paywall-marker", start, start + 13))).splitlines() if "paidbegin" in ln
    )
    assert "[-##paidbegin##-]" in line and len(line) < 100


def test_whole_lines_are_a_removed_block_with_body_around() -> None:
    original = "广告一\n广告二\n\n\n标题\n正文第一行\n正文第二行\n"
    result = result_of(original, ("vendor-header", 0, 10))
    rows = rows_of(result)
    assert [(r.kind, r.line, r.blank_lines) for r in rows] == [
        ("removed", 1, 0),
        ("removed", 2, 0),
        ("removed", 3, 2),  # two blank lines fold into one row
        ("context", 5, 0),
    ]
    assert text_of(rows[0]) == "广告一" and rows[0].rules == ("vendor-header",)


def test_edit_at_the_very_end_without_final_newline() -> None:
    # The last body line loses its terminator; the contact line after a blank goes.
    original = "正文。\n\n某某整理，咨询QQ123"
    result = result_of(original, ("contact-line", 3, len(original)))
    rows = rows_of(result)
    assert [(r.kind, r.line) for r in rows] == [("changed", 1), ("removed", 2), ("removed", 3)]
    assert [p.kind for p in rows[0].pieces] == ["body", "removed"]
    assert rows[0].pieces[1].text == "\n"
    assert "正文。[-\\n-]" in plain(result)


def test_crlf_lines_show_without_carriage_returns() -> None:
    original = "广告\r\n标题\r\n正文##paidend##\r\n"
    result = result_of(original, ("vendor-header", 0, 4), ("paywall-marker", 10, 21))
    shown = plain(result)
    assert "\r" not in shown
    assert "- vendor-header  │ 广告\n" in shown
    assert "正文[-##paidend##-]\n" in shown


def test_adjacent_edits_share_one_window_and_list_both_rules() -> None:
    original = "正文\u200b##paidbegin##继续\n"
    result = result_of(original, ("invisible-chars", 2, 3), ("paywall-marker", 3, 16))
    (row,) = rows_of(result)
    assert row.rules == ("invisible-chars", "paywall-marker")
    assert "正文[-\\u200b-][-##paidbegin##-]继续" in plain(result)


def test_removal_spanning_lines_from_mid_line_joins_them() -> None:
    original = "第一段文字##pagebreak##\n继续第一段。\n"
    result = result_of(original, ("paywall-marker", 5, 19))
    rows = rows_of(result)
    assert [(r.kind, r.line) for r in rows] == [("changed", 1)]
    assert "第一段文字[-##pagebreak##\\n-]" in plain(result)


def test_edit_at_document_start_and_replacement() -> None:
    original = "Ã©æ­£æ–‡\n下一行\n"
    result = result_of(original, ("repair-mojibake", 0, 4, "é正"))
    (row,) = rows_of(result)
    assert row.line == 1 and row.column == 1
    assert "[-Ã©æ\\xad-]{+é正+}" in plain(result)


def test_long_replacement_is_shortened_never_whole() -> None:
    original = "x" * 500 + "\n"
    result = result_of(original, ("repair-mojibake", 0, 500, "正" * 300))
    (row,) = rows_of(result)
    removed = next(p for p in row.pieces if p.kind == "removed")
    assert removed.hidden > 0 and len(removed.text) + len(removed.tail) + removed.hidden == 500
    assert len(plain(result).splitlines()[1]) < 200


def test_context_lines_are_cut_on_the_side_away_from_the_change() -> None:
    original = "前" * 100 + "\n广告\n" + "后" * 100 + "\n"
    rows = rows_of(result_of(original, ("contact-line", 101, 104)))
    before, removed, after = rows
    assert [p.kind for p in before.pieces] == ["clip", "body"] and before.pieces[1].text == "前" * 40
    assert [p.kind for p in after.pieces] == ["body", "clip"] and after.pieces[0].text == "后" * 40
    assert removed.kind == "removed"


def test_far_apart_edits_make_separate_hunks() -> None:
    lines = [f"第{i}行" for i in range(20)]
    original = "\n".join(lines) + "\n"
    first_start = original.index("第2行")
    last_start = original.index("第15行")
    result = result_of(
        original, ("page-footer", first_start, first_start + 4), ("page-footer", last_start, last_start + 5)
    )
    assert len(hunks(result)) == 2
    assert "⋮" in plain(result)


def test_no_edits_prints_nothing() -> None:
    assert plain(result_of("正文\n")) == ""


def test_terminal_escapes_controls_in_body() -> None:
    original = "广告\n正文\x1b[31m红\n"
    shown = plain(result_of(original, ("vendor-header", 0, 3)))
    assert "\x1b" not in shown and "\\x1b[31m" in shown


@st.composite
def texts_with_edits(draw) -> CleanResult:  # type: ignore[no-untyped-def]
    text = draw(st.text(alphabet=st.sampled_from(list("ab正文\n\r\u200b ")), max_size=60))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))))
    edits = []
    for start, end in zip(cuts[::2], cuts[1::2]):
        if start < end:
            repl = draw(st.sampled_from(["", "", "修"]))
            edits.append(Edit("r", start, end, text[start:end], repl))
    return CleanResult(text, apply_edits(text, edits), tuple(edits))


@settings(max_examples=200, deadline=None)
@given(texts_with_edits())
def test_every_edit_is_shown(result: CleanResult) -> None:
    rows = rows_of(result, Window(lines=1, chars=5, span_limit=1000))
    shown_removed = sum(len(p.text) for r in rows for p in r.pieces if p.kind == "removed" and r.kind == "changed")
    removed_lines = [r for r in rows if r.kind == "removed"]
    # Every removed character is either in a window or on a whole removed line.
    total = sum(e.end - e.start for e in result.edits)
    assert shown_removed <= total
    if not removed_lines:
        assert shown_removed == total
    plain(result)  # renders without error
