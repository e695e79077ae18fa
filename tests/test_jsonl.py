"""JSONL corpora: the text field is cleaned, every other field and malformed line kept."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import corpus_cases


def make_corpus(path: Path) -> tuple[list[bytes], list[str]]:
    """Records from tests/data with extra fields, plus one malformed line; returns lines and expected texts."""
    lines: list[bytes] = []
    expected: list[str] = []
    for i, (name, inp, exp) in enumerate(corpus_cases()):
        try:
            text = inp.read_bytes().decode("utf-8-sig")
            want = exp.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            continue  # GB18030/UTF-16 files: JSON text is Unicode anyway
        record = {"id": i, "source": name, "meta": {"tags": ["a", "b"], "score": 0.5}, "text": text}
        lines.append(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
        expected.append(want)
        if i == 3:
            lines.append(b'{"id": "broken", "text": "unterminated\n')
            expected.append("")
    data = b"".join(lines)
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return lines, expected


def read_lines(path: Path) -> list[bytes]:
    data = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
    return data.splitlines(keepends=True)


@pytest.mark.parametrize("name", ["corpus.jsonl", "corpus.jsonl.gz"])
def test_jsonl_output_dir(cli, tmp_path: Path, name: str) -> None:
    src = tmp_path / "in"
    src.mkdir()
    lines, expected = make_corpus(src / name)
    proc = cli("clean", "--output-dir", str(tmp_path / "out"), "--jobs", "2", str(src / name))
    assert proc.returncode == 2  # the malformed line is an input problem...
    assert b"line 5: not JSON" in proc.stderr  # ...named with its line number
    out = read_lines(tmp_path / "out" / name)
    assert len(out) == len(lines)
    for before, after, want in zip(lines, out, expected):
        if want == "":
            assert after == before  # passed through unchanged, never dropped
            continue
        old, new = json.loads(before), json.loads(after)
        assert new["text"] == want
        assert {k: v for k, v in new.items() if k != "text"} == {k: v for k, v in old.items() if k != "text"}
        if old["text"] == want:
            assert after == before  # untouched records keep their exact bytes


def test_jsonl_jobs_do_not_change_the_output(cli, tmp_path: Path) -> None:
    make_corpus(tmp_path / "c.jsonl")
    outs = []
    for jobs in ("1", "2"):
        proc = cli("clean", "--jobs", jobs, str(tmp_path / "c.jsonl"))
        outs.append((proc.returncode, proc.stdout, proc.stderr))
    assert outs[0] == outs[1]


def test_jsonl_in_place_text_field_and_provenance(cli, tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    records = [
        {"body": "仅供学习 禁止外传 用后删除\n述职报告\n正文。\n", "text": "untouched ##paidend##"},
        {"body": "正文。\n", "n": 1},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    proc = cli("clean", "--in-place", "--text-field", "body", "--provenance", "--max-removal", "1", str(path))
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert out[0]["body"] == "述职报告\n正文。\n" and out[0]["text"] == "untouched ##paidend##"
    audit = out[0]["cleaner_provenance"]
    assert audit["rules"] == ["vendor-notice"] and audit["removed_chars"] == len("仅供学习 禁止外传 用后删除\n")
    assert [(e["rule"], e["start"], e["text"]) for e in audit["edits"]] == [
        ("vendor-notice", 0, "仅供学习 禁止外传 用后删除\n")
    ]
    assert out[1]["cleaner_provenance"]["rules"] == [] and out[1]["cleaner_provenance"]["edits"] == []
    assert {k: v for k, v in out[1].items() if k != "cleaner_provenance"} == {"body": "正文。\n", "n": 1}


def test_jsonl_check_and_report_counts_records(cli, tmp_path: Path) -> None:
    make_corpus(tmp_path / "c.jsonl")
    report = tmp_path / "r.json"
    proc = cli("clean", "--check", "--report", str(report), str(tmp_path / "c.jsonl"))
    assert proc.returncode == 2
    data = json.loads(report.read_text())
    assert data["records"] > 40 and 0 < data["records_changed"] < data["records"]
    assert data["problems"] == 1
