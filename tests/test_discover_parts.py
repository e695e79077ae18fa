"""The parts of ``cleaner discover``: normalising, body signs, patterns, counting, writing."""

from __future__ import annotations

import json
import random
import re
import tomllib
from pathlib import Path

import pytest
from test_discover import bodies, wrap

from cleaner import Cleaner
from cleaner.discover import Settings, discover, write_proposals
from cleaner.discover.bodylike import body_sign
from cleaner.discover.corpus import Item, Reader, batched
from cleaner.discover.count import Counts, count_batch, doc_keys
from cleaner.discover.docview import DocView
from cleaner.discover.normalize import normalize, split_lines
from cleaner.discover.pattern import line_pattern
from cleaner.discover.samples import stray_removal, trial_rule
from cleaner.discover.shape import shape_of
from cleaner.discover.survey import ExampleDoc
from cleaner.discover.write import basic_string, pattern_string, rule_toml
from cleaner.files import iter_sources
from cleaner.rules import load_rule_file


def test_normalize_folds_digits_width_space_and_separators() -> None:
    assert normalize("星河文库 客服：81234567") == "星河文库 客服:0"
    assert normalize("　星河文库\t\t客服:８１２３４５ ") == "星河文库 客服:0"
    assert normalize("星\u200b河文库 客服：1") == "星河文库 客服:0"
    assert normalize("（一）基本情况") == "(一)基本情况"
    assert normalize("=" * 12) == normalize("=" * 30) == "==="
    assert normalize("—— 星河 ——") == "—— 星河 ——"  # two of a symbol is text, not a separator


def test_split_lines_splits_like_the_engine() -> None:
    assert split_lines("a\r\nb\rc\nd") == ["a", "b", "c", "d"]
    assert split_lines("a\n\n") == ["a", ""]
    assert split_lines("a\u2028b\n") == ["a\u2028b"]


@pytest.mark.parametrize(
    "line",
    [
        "一、基本情况",
        "二、主要做法",
        "（一）加强组织领导",
        "(三)统计干部综合素质有待提升",
        "1. 工作目标",
        "一是强化理论武装",
        "第二章 总则",
        "存在的问题",
        "主要成效",
        "2023年人事工作总结（局机关）",
        "四、下一步工作打算",
        "2023年12月28日",
        "xx年xx月xx日",
        "特此报告。",
        "尊敬的各位领导：",
        "汇报人：张三",
        "xx市统计局",
        "现将有关情况汇报如下：",
        "# 工作总结",
        "近年来，在市委和县委的正确领导下，组织人事工作取得了一定成绩，但还存在着一些问题和不足，主要表现在以下X个方面：",
        "一年来，我认真履行岗位职责，较好地完成了各项工作任务，得到了领导和同事的认可。",
    ],
)
def test_body_lines_are_recognised(line: str) -> None:
    assert body_sign(normalize(line)) is not None


@pytest.mark.parametrize(
    "line",
    [
        "【星河文库】精品范文 每日更新",
        "本站资料均来自网络 侵删",
        "星河文库 · 海量范文 一键下载",
        "星河文库 编辑部 客服：81234567",
        "—— 星河文库 www.xinghe-wk.cn ——",
        "墨韵资料网 mo-yun.net 转载请注明",
        "仅供学习 禁止外传 用后删除",
        "第 3 页",
    ],
)
def test_vendor_lines_are_not_body(line: str) -> None:
    assert body_sign(normalize(line)) is None


def shapes_of(*lines: str):
    out: dict = {}
    for line in lines:
        shape, stats = shape_of(line)
        out[shape] = stats if shape not in out else out[shape].merge(stats)
    return out


def test_pattern_varying_numbers_become_classes_and_text_stays_literal() -> None:
    pattern = line_pattern(shapes_of("星河文库 客服：81234567", "星河文库  客服：8765432"))
    assert pattern == r"^\s*星河文库\s*客服：[0-9０-９]{5,10}\s*$"
    assert re.search(pattern, "星河文库客服：８１２３４５６７８９")


def test_pattern_constant_numbers_stay_literal() -> None:
    assert line_pattern(shapes_of("2024版 精品范文", "2024版 精品范文")) == r"^\s*2024版\s*精品范文\s*$"
    # the same number, written full-width in some documents
    assert line_pattern(shapes_of("2024版", "２０２４版")) == r"^\s*[0-9０-９]{4}版\s*$"


def test_pattern_separators_and_several_shapes() -> None:
    assert line_pattern(shapes_of("=" * 20, "=" * 31)) == r"^\s*={3,}\s*$"
    pattern = line_pattern(shapes_of("星河文库：客服", "星河文库:客服", "星河文库：客服"))
    assert pattern == r"^\s*(?:星河文库：客服|星河文库:客服)\s*$"
    assert re.search(pattern, "  星河文库:客服 ") and not re.search(pattern, "星河文库：客服：")


@pytest.mark.parametrize(
    "text", ["plain", 'a "quoted" \\ back\\slash', "tab\tcr\r\nlf\n", "ctl\x01\x7f", "'''", "end'", "a\n\n"]
)
def test_toml_strings_round_trip(text: str) -> None:
    for literal in (basic_string(text), basic_string(text, multiline=True), pattern_string(text)):
        assert tomllib.loads(f"x = {literal}")["x"] == text


def test_pattern_strings_are_literal_when_they_can_be() -> None:
    assert pattern_string(r"^\s*a\.b\s*$") == r"'''^\s*a\.b\s*$'''"


def test_rule_toml_loads_back(tmp_path: Path) -> None:
    data = {
        "id": "discovered-x-line-1",
        "summary": 'say "hi"',
        "kind": "drop-lines",
        "description": "two\nlines",
        "match": {"patterns": [r"^\s*星河\s*$"], "max_chars": 80},
        "examples": [
            {"name": "n", "input": "星河\n正文。\n", "output": "正文。\n"},
            {"name": "k", "input": "正文。\r\n"},
        ],
    }
    path = tmp_path / "discovered-x-line-1.toml"
    path.write_text(rule_toml(data), encoding="utf-8")
    rule = load_rule_file(path)
    assert rule.summary == 'say "hi"' and rule.description == "two\nlines"
    assert [(e.input, e.output) for e in rule.examples] == [("星河\n正文。\n", "正文。\n"), ("正文。\r\n", None)]


def items_for(texts: list[str]) -> list[Item]:
    return [Item(n, f"doc{n}", raw=(json.dumps({"text": t}) + "\n").encode()) for n, t in enumerate(texts)]


def test_counts_do_not_depend_on_batching() -> None:
    rng = random.Random(1)
    texts = [wrap(doc, rng, n) for n, doc in enumerate(bodies())]
    texts += texts[:5]  # copies of earlier bodies are not counted twice
    items = items_for(texts)
    reader = Reader()
    results = []
    for first, largest in ((1000, 1000), (1, 3), (4, 7)):
        counts = Counts()
        for batch in batched(items, largest, first):
            counts.add(count_batch(reader, batch))
        results.append(counts)
    assert all(r.df == results[0].df and r.duplicates == results[0].duplicates for r in results)
    copies = {n for n in range(len(texts) - 5, len(texts)) if doc_keys(texts[n])[1] is not None}
    assert copies and copies <= results[0].duplicates  # a body with fewer than 2 long lines has no fingerprint
    assert results[0].docs + len(results[0].duplicates) == len(texts)


def write_folder(folder: Path, texts: list[str]) -> list:
    folder.mkdir()
    for n, text in enumerate(texts):
        (folder / f"d{n:03}.txt").write_text(text, encoding="utf-8")
    return list(iter_sources([folder]))


def test_discovery_is_the_same_with_any_number_of_jobs(tmp_path: Path) -> None:
    rng = random.Random(2)
    sources = write_folder(tmp_path / "c", [wrap(doc, rng, n) for n, doc in enumerate(bodies())])
    without = Cleaner(ignore=["page-chrome"])  # it covers this vendor: see test_discover.IGNORE
    one = discover(sources, Settings(min_docs=3), without)
    two = discover(sources, Settings(min_docs=3, jobs=2), without)
    assert [p.data for p in one.proposals] == [p.data for p in two.proposals]
    assert one.candidates == two.candidates
    assert len(one.proposals) == 3


def test_written_files_load_back(tmp_path: Path) -> None:
    rng = random.Random(3)
    sources = write_folder(tmp_path / "c", [wrap(doc, rng, n) for n, doc in enumerate(bodies())])
    result = discover(sources, Settings(name="x"), Cleaner(ignore=["page-chrome"]))
    written = write_proposals(result.proposals, tmp_path / "rules")
    assert [load_rule_file(p).id for p in written] == [p.id for p in result.proposals]


def test_junk_the_bundled_rules_know_is_reported_not_proposed(tmp_path: Path) -> None:
    texts = []
    for doc in bodies():
        title, _, rest = doc.text.partition(doc.newline)
        texts.append(f"仅供学习 禁止外传 用后删除\n{title}\n酷乐文行整理，咨询QQ206157060\n{rest}")
    result = discover(write_folder(tmp_path / "c", texts), Settings(min_docs=3))
    assert result.proposals == ()
    known = [c for c in result.candidates if c.body is None]
    assert {c.display for c in known} == {"仅供学习 禁止外传 用后删除", "酷乐文行整理，咨询QQ206157060"}
    assert all(c.covered and c.proposal.startswith("covered by") for c in known)
    assert {r for c in known for r in c.covered_by} == {"vendor-notice", "contact-line"}


def test_a_rule_that_would_remove_other_lines_is_caught() -> None:
    data = {"id": "t", "summary": "s", "kind": "drop-lines", "match": {"patterns": [r"^\s*第\s*[0-9]+\s*页\s*$"]}}
    rule = trial_rule(data)
    view = DocView.of(ExampleDoc(0, "d", "标题\n第 1 页\n正文。\n第2页\n"))
    own = {view.keys[1]}
    assert stray_removal(rule, view, own) is None  # "第2页" differs from its own line only in spaces
    view = DocView.of(ExampleDoc(0, "d", "标题\n第 1 页\n第 12 章\n"))
    data["match"] = {"patterns": [r"^\s*第\s*[0-9]+\s*[页章]\s*$"]}
    assert stray_removal(trial_rule(data), view, {view.keys[1]}) == "第 12 章"
