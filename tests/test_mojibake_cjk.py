"""`repair-cjk-mojibake`: UTF-8 read as GBK or Big5, on real lines (tests/data/mojibake/gbk-lines.tsv)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.document import decode
from cleaner.kinds.fix_cjk_mojibake import beyond_repair, precheck

DATA = Path(__file__).parent / "data"
with (DATA / "mojibake" / "gbk-lines.tsv").open(encoding="utf-8", newline="") as fh:
    ROWS = list(csv.DictReader(fh, delimiter="\t"))
REVERSIBLE = [r for r in ROWS if r["kind"] == "reversible"]
LOSSY = [r for r in ROWS if r["kind"] == "lossy"]
RUN = re.compile(r"[^\x00-\x7f\ufffd]{2,}")  # a recoverable run: two or more characters between damaged spots


@pytest.fixture(scope="module")
def repair() -> Cleaner:
    return Cleaner(select=["repair-cjk-mojibake"])


def test_the_table_holds_both_kinds() -> None:
    assert len(REVERSIBLE) >= 40 and len(LOSSY) >= 40
    assert all(r["repo"] and r["path"] and r["line"].isdigit() for r in ROWS)


@pytest.mark.parametrize("row", REVERSIBLE, ids=[f"{r['path']}:{r['line']}" for r in REVERSIBLE])
def test_reversible_line_is_repaired_exactly(row: dict[str, str], repair: Cleaner) -> None:
    result = repair.clean(row["mojibake"])
    assert result.text == row["reference"]
    assert all(e.reason == "utf-8 read as gbk" for e in result.edits)


@pytest.mark.parametrize("row", LOSSY, ids=[f"{r['path']}:{r['line']}" for r in LOSSY])
def test_lossy_line_gives_back_its_runs_and_invents_nothing(row: dict[str, str], repair: Cleaner) -> None:
    # The reference is Python's own UTF-8 reading (errors="replace") of the line's GBK bytes.
    text = repair.clean(row["mojibake"]).text
    assert [run for run in RUN.findall(row["reference"]) if run not in text] == []
    # Every stretch between damaged spots is a plain reading of bytes that were there.
    assert all(piece in row["reference"] for piece in text.split("\ufffd"))
    assert "\ufffd" in text  # each damaged spot stays visible


def test_damaged_spots_are_named_in_the_reason(repair: Cleaner) -> None:
    (edit,) = repair.clean("SQLite 鍏崇郴鏁版嵁搴?]\n").edits
    assert edit.replacement == "关系数据\ufffd"
    assert edit.reason == "utf-8 read as gbk; 1 damaged spot(s) shown as U+FFFD (bytes lost before)"


def test_big5_is_undone_too(repair: Cleaner) -> None:
    # Big5 has no trail bytes 0x80-0xA0, so much more is lost than with GBK.
    mojibake = "述职报告：年度计划".encode().decode("cp950", errors="replace")
    (edit,) = repair.clean(mojibake).edits
    assert edit.replacement == "述\ufffd年度计\ufffd"
    assert edit.reason == "utf-8 read as big5; 2 damaged spot(s) shown as U+FFFD (bytes lost before)"


# Real words whose GBK bytes happen to be valid UTF-8 (found in jieba's dictionary):
# 穹顶 reads as U+77DA5, 黏附 as 𤸽. They must never change.
MUST_KEEP = [
    "教堂的穹顶高耸，信众虔敬。",
    "土地瘠薄，颍川郡的农民黏附于土地。",
    "窨井盖缺失，癔病患者，蟾宫折桂。",
    "小说《甬江》连载。",
]


@pytest.mark.parametrize("text", MUST_KEEP)
def test_real_text_that_reads_as_utf8_stays(text: str, repair: Cleaner) -> None:
    assert repair.clean(text + "\n").text == text + "\n"


def test_must_keep_words_really_are_traps() -> None:
    # Valid UTF-8 in GBK, and caught by the pre-check: the judge, not the pre-check, keeps them.
    for word in ("穹顶", "虔敬", "瘠薄", "颍川", "黏附", "窨井", "癔病", "蟾宫", "甬江"):
        word.encode("gbk").decode("utf-8")
    assert all(precheck(["gbk"]).search(text) for text in MUST_KEEP)


def test_clean_corpora_are_untouched(repair: Cleaner) -> None:
    changed = []
    for path in sorted(DATA.glob("*/expected/*.txt")):
        if repair.clean(decode(path.read_bytes()).text).edits:
            changed.append(path.name)
    assert changed == []


def test_beyond_repair_is_counted_and_left(repair: Cleaner) -> None:
    text = "锟斤拷锟斤拷标题\ufffd\ufffd正文\ufffd。\n"
    assert beyond_repair(text) == 3  # a run of 锟斤拷 and two runs of U+FFFD
    assert repair.clean(text).text == text
    assert beyond_repair("年度工作计划\n") == 0


def test_explain_lists_what_is_beyond_repair(repair: Cleaner) -> None:
    from cleaner.review.explain import explain, render_json

    text = "骞村害璁″垝\n锟斤拷锟斤拷标题\n"
    entries = explain(repair.clean(text), "doc.txt")
    assert [(e.rule, e.line, e.text) for e in entries] == [
        ("repair-cjk-mojibake", 1, "骞村害璁″垝"),
        ("beyond-repair", 2, "锟斤拷锟斤拷"),
    ]
    assert '"kind": "kept"' in render_json(entries)


def test_provenance_counts_what_is_beyond_repair(tmp_path: Path) -> None:
    import json

    from cleaner.batch import Mode
    from cleaner.corpus import process_jsonl
    from cleaner.files import Source

    corpus = tmp_path / "in.jsonl"
    corpus.write_text(json.dumps({"text": "锟斤拷标题\ufffd\n"}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    process_jsonl(Source(corpus, Path("in.jsonl")), Cleaner(), Mode.OUTPUT_DIR, out, provenance=True)
    (record,) = [json.loads(line) for line in (out / "in.jsonl").read_text(encoding="utf-8").splitlines()]
    assert record["cleaner_provenance"]["beyond_repair"] == 2 and record["text"] == "锟斤拷标题\ufffd\n"


def test_the_run_summary_counts_what_is_beyond_repair(tmp_path: Path) -> None:
    # The summary line and --report count the spots no rule can repair, files and JSONL alike,
    # with --jobs 2 as with one process (the count travels back from the workers).
    import json

    from conftest import run_cli

    (tmp_path / "a.txt").write_text("锟斤拷标题\n正文一行。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("年度工作计划\n", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": "标题\ufffd\n"}, ensure_ascii=False) + "\n", encoding="utf-8")
    for jobs in ("1", "2"):
        report = tmp_path / f"report{jobs}.json"
        proc = run_cli(
            "clean",
            "--check",
            "--jobs",
            jobs,
            "--report",
            str(report),
            str(tmp_path / "a.txt"),
            str(tmp_path / "b.txt"),
            str(tmp_path / "c.jsonl"),
        )
        assert "2 spot(s) of mojibake beyond repair" in proc.stderr.decode(), proc.stderr.decode()
        data = json.loads(report.read_text(encoding="utf-8"))
        assert data["beyond_repair"] == 2
        assert {Path(f["path"]).name: f.get("beyond_repair", 0) for f in data["per_file"]} == {
            "a.txt": 1,
            "b.txt": 0,
            "c.jsonl": 1,
        }
