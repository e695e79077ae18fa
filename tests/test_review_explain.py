"""``cleaner explain``: one line per edit, and JSON whose offsets rebuild the cleaned text."""

from __future__ import annotations

import json
import re

from conftest import CORPORA, DATA, run_cli

from cleaner.batch import clean_bytes
from cleaner.engine import Cleaner


def test_json_offsets_reproduce_the_cleaned_text_for_every_corpus_file() -> None:
    cleaner = Cleaner()
    paths = [p for corpus in CORPORA for p in sorted((DATA / corpus / "input").iterdir())]
    proc = run_cli("explain", "--format", "json", *map(str, paths))
    assert proc.returncode == 0, proc.stderr.decode()
    records = json.loads(proc.stdout.decode("utf-8"))
    by_path: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for record in records:
        assert {"rule", "start", "end", "line", "column", "text", "replacement"} <= set(record)
        by_path.setdefault(record["path"], []).append(record)
    changed = 0
    for path in paths:
        doc, _ = clean_bytes(path.read_bytes(), cleaner)
        original = doc.text
        expected = (DATA / path.parent.parent.name / "expected" / path.name).read_bytes()
        pieces, pos = [], 0
        # Lines end at \r\n, \r or \n only (str.splitlines also splits on U+0085, common in mojibake).
        lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z", original)
        for record in by_path.get(str(path), []):
            assert original[record["start"] : record["end"]] == record["text"]
            line_start = len("".join(lines[: record["line"] - 1]))
            assert line_start + record["column"] - 1 == record["start"]
            pieces.append(original[pos : record["start"]] + record["replacement"])
            pos = record["end"]
        pieces.append(original[pos:])
        assert doc.with_text("".join(pieces)).encode() == expected, path.name
        changed += bool(by_path.get(str(path)))
    assert changed >= 30


def test_text_lines_show_position_rule_and_escaped_text() -> None:
    zero_width = DATA / "cases" / "input" / "j18_zero_width_chars.txt"
    proc = run_cli("explain", str(zero_width))
    assert proc.returncode == 0
    lines = proc.stdout.decode("utf-8").splitlines()
    assert len(lines) == 5
    assert all(line.split()[1] == "invisible-chars" for line in lines)
    assert [line.split()[2] for line in lines] == ["\\u200b", "\\u200c", "\\u200d", "\\u2060", "\\ufeff"]
    assert lines[0].split()[0].count(":") == 1


def test_newlines_crlf_and_repairs_are_visible() -> None:
    crlf = DATA / "variants" / "input" / "p02_crlf.txt"
    mojibake = DATA / "variants" / "input" / "p06_mojibake.txt"
    out = run_cli("explain", str(crlf), str(mojibake)).stdout.decode("utf-8")
    assert "\r" not in out and "酷乐文行整理，咨询QQ7208093746\\r\\n" in out
    first = next(line for line in out.splitlines() if line.startswith(f"{mojibake}:"))
    assert first.startswith(f"{mojibake}:1:1 ") and "repair-mojibake" in first
    assert first.endswith(" → 区局2022年选人用人报告  [utf-8 read as latin-1]")  # the codec pair as its reason
    assert "\\x8c" in first  # the C1 control of the mojibake, escaped


def test_clean_file_and_errors() -> None:
    clean = DATA / "seeds" / "input" / "001_083cd0e68a556ba8.txt"
    proc = run_cli("explain", str(clean), "no-such-file.txt")
    assert proc.returncode == 2 and proc.stdout == b"" and b"no-such-file.txt: no such file" in proc.stderr
    proc = run_cli("explain", "--format", "json", str(clean))
    assert proc.returncode == 0 and json.loads(proc.stdout) == []
