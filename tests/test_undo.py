"""``cleaner undo`` and ``cleaner.undo``: undo(clean(x)) == x, from the provenance alone."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import corpus_cases
from test_jsonl import make_corpus

from cleaner import Cleaner, undo
from cleaner.decision import decide
from cleaner.document import DecodeError, decode


def all_texts() -> list[str]:
    texts = []
    for _, inp, _ in corpus_cases():
        try:
            texts.append(decode(inp.read_bytes()).text)
        except DecodeError:
            continue
    return texts


@pytest.mark.parametrize("max_removal", [None, 0.3])  # 0.3: some records refused by the guard
def test_undo_of_clean_is_the_original_on_every_corpus_text(max_removal: float | None) -> None:
    cleaner = Cleaner(max_removal=max_removal)
    texts = all_texts()
    assert len(texts) > 40
    changed = 0
    for text in texts:
        decision = decide(cleaner, text)
        changed += decision.text != text
        audit = json.loads(json.dumps(decision.provenance(cleaner)))  # as it travels in a record
        assert undo(decision.text, audit) == text
    assert changed > 20  # the round trip was tested on real removals


def test_undo_refuses_a_text_its_audit_does_not_describe() -> None:
    cleaner = Cleaner(max_removal=None)
    decision = decide(cleaner, "仅供学习 禁止外传 用后删除\n述职报告\n正文。##paidend##\n")
    audit = decision.provenance(cleaner)
    assert undo(decision.text, audit) == "仅供学习 禁止外传 用后删除\n述职报告\n正文。##paidend##\n"
    with pytest.raises(ValueError, match="does not match"):
        undo("述职报告\n", audit)  # shorter than the kept text the paywall marker stood in


@pytest.mark.parametrize("name", ["c.jsonl", "c.jsonl.gz", "c.jsonl.zst"])
def test_cli_undo_restores_a_jsonl_corpus_byte_for_byte(cli, tmp_path: Path, name: str) -> None:
    if name.endswith(".zst"):
        pytest.importorskip("zstandard")
    src = tmp_path / "in"
    src.mkdir()
    make_corpus(src / "c.jsonl")  # tests/data texts with extra fields, and one malformed line
    original = (src / "c.jsonl").read_bytes()
    if name != "c.jsonl":
        (src / "c.jsonl").unlink()
        if name.endswith(".gz"):
            (src / name).write_bytes(gzip.compress(original))
        else:
            import zstandard

            (src / name).write_bytes(zstandard.ZstdCompressor().compress(original))
    proc = cli("clean", "--provenance", "--max-removal", "1", "-o", str(tmp_path / "clean"), str(src))
    assert proc.returncode == 2 and b"line 5: not JSON" in proc.stderr
    proc = cli("undo", "-o", str(tmp_path / "back"), str(tmp_path / "clean"))
    assert proc.returncode == 2  # the malformed line has no audit: copied through, and said
    assert f"{name}: line 5: no cleaner_provenance, copied unchanged".encode() in proc.stderr
    restored = (tmp_path / "back" / name).read_bytes()
    if name.endswith(".gz"):
        restored = gzip.decompress(restored)
    elif name.endswith(".zst"):
        import zstandard

        with zstandard.ZstdDecompressor().stream_reader(restored) as r:
            restored = r.read()
    assert restored == original


def test_cli_undo_prints_jsonl_and_reports_a_mismatch(cli, tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    records = [{"text": "仅供学习 禁止外传 用后删除\n述职报告\n"}, {"text": "正文。##paidend##"}]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert cli("clean", "-i", "--provenance", "--max-removal", "1", str(path)).returncode == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    tampered = json.loads(lines[1])
    tampered["text"] = "正"  # cut short: the marker stood after 3 characters
    path.write_text(lines[0] + "\n" + json.dumps(tampered, ensure_ascii=False) + "\n", encoding="utf-8")
    proc = cli("undo", str(path))
    assert proc.returncode == 2
    assert b"line 2: cleaner_provenance does not match the text, left unchanged" in proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert out[0] == records[0]
    assert out[1] == tampered  # left as it was


def test_cli_undo_restores_a_parquet_file_in_place(cli, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from test_parquet import corpus_texts, typed_table

    texts: list[str | None] = [t for t, _ in corpus_texts()]
    texts[5] = None  # a null text: no audit, kept null
    table = typed_table(texts)
    path = tmp_path / "c.parquet"
    pq.write_table(table, path, row_group_size=20)
    proc = cli("clean", "-i", "--provenance", "--max-removal", "1", str(path))
    assert proc.returncode == 2 and b"row 5: 'text' null" in proc.stderr
    cleaned = pq.read_table(path)
    assert cleaned.column("text").to_pylist() != texts and "cleaner_provenance" in cleaned.column_names
    proc = cli("undo", "--in-place", str(path))
    assert proc.returncode == 2 and b"row 5: no cleaner_provenance, copied unchanged" in proc.stderr
    back = pq.read_table(path)
    assert back.schema == table.schema
    assert back.equals(table)
    groups = pq.ParquetFile(path).metadata
    assert groups.row_group(0).num_rows == 20
    assert pa.types.is_large_string(back.schema.field("text").type)


def test_cli_undo_without_provenance_is_an_error(cli, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    pa = pytest.importorskip("pyarrow")
    pq.write_table(pa.table({"text": ["a"]}), tmp_path / "plain.parquet")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    proc = cli("undo", "-o", str(tmp_path / "out"), str(tmp_path / "plain.parquet"), str(tmp_path / "notes.txt"))
    assert proc.returncode == 2
    assert b"plain.parquet: no column 'cleaner_provenance': nothing to undo" in proc.stderr
    assert b"notes.txt: not a JSONL or Parquet corpus" in proc.stderr
    assert not (tmp_path / "out" / "plain.parquet").exists()
