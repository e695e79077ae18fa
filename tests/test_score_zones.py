"""Where page-chrome finds the body, on real pages (tests/data/real): the zones decide how much
evidence a line needs, so a wrong start of the body keeps a page's chrome or loses a report's line."""

from __future__ import annotations

from pathlib import Path

from cleaner.kinds.score_lines import ScoredFinder
from cleaner.lines import Lines
from cleaner.rules import load_rules

REAL = Path(__file__).parent / "data" / "real" / "input"
FINDER = next(r for r in load_rules() if r.id == "page-chrome").finder
assert isinstance(FINDER, ScoredFinder)


def _analyse(name: str) -> tuple[list[str], list[str], list[bool]]:
    text = (REAL / name).read_text(encoding="utf-8")
    lines = Lines(text)
    a = FINDER.analyse(lines)
    return list(lines.contents), a.zone, a.chrome


def test_notices_ending_with_a_full_stop_are_no_start_of_the_body() -> None:
    # taowenge.com: a login box's notice (快捷下载时,…(系统自动生成)。) and a download notice list
    # stand before the real body; the body is where its sentences outweigh the chrome.
    contents, zone, chrome = _analyse("h1_taowenge_beier.txt")
    k = next(i for i, c in enumerate(contents) if c.strip().startswith("3、本站不支持迅雷下载"))
    assert zone[k] and chrome[k]


def test_a_short_call_among_labels_is_no_start_of_the_body() -> None:
    # cloud.tencent.com: 前往小程序,Get更优阅读体验! then a menu; the menu is the page's
    contents, zone, chrome = _analyse("h4_tencentcloud_shuzhi.txt")
    k = next(i for i, c in enumerate(contents) if c.strip() == "活动")
    assert zone[k] == "head zone" and chrome[k]
