"""Parquet corpora: the text column cleaned through decide, every other column kept with its type."""

from __future__ import annotations

import datetime
import gzip
import json
import os
from pathlib import Path

import pytest
from conftest import corpus_cases

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
zstandard = pytest.importorskip("zstandard")

from cleaner import Cleaner  # noqa: E402
from cleaner.batch import Mode  # noqa: E402
from cleaner.files import Source  # noqa: E402
from cleaner.parquet import process_parquet  # noqa: E402

NOTICE = "仅供学习 禁止外传 用后删除\n"


def corpus_texts() -> list[tuple[str, str]]:
    """(input, expected) texts of tests/data that are UTF-8 (a Parquet string is Unicode anyway)."""
    out = []
    for _, inp, exp in corpus_cases():
        try:
            out.append((inp.read_bytes().decode("utf-8-sig"), exp.read_bytes().decode("utf-8-sig")))
        except UnicodeDecodeError:
            continue
    return out


def typed_table(texts: list[str | None]) -> pa.Table:
    n = len(texts)
    return pa.table(
        {
            "id": pa.array(range(n), pa.int64()),
            "text": pa.array(texts, pa.large_string()),
            "score": pa.array([i / 7 for i in range(n)], pa.float32()),
            "tags": pa.array([["a", str(i)] if i % 3 else [] for i in range(n)], pa.list_(pa.string())),
            "at": pa.array(
                [datetime.datetime(2024, 1, 1, i % 24, tzinfo=datetime.UTC) for i in range(n)],
                pa.timestamp("ms", tz="UTC"),
            ),
            "src": pa.array([f"site{i % 4}" for i in range(n)]).dictionary_encode(),
            "meta": pa.array([{"page": i, "lang": "zh"} for i in range(n)]),
        }
    )


def test_output_dir_mirrors_keeps_types_and_row_groups(cli, tmp_path: Path) -> None:
    cases = corpus_texts()
    table = typed_table([t for t, _ in cases])
    src = tmp_path / "in" / "shard"
    src.mkdir(parents=True)
    pq.write_table(table, src / "a.parquet", row_group_size=16, compression="zstd")
    proc = cli("clean", "--output-dir", str(tmp_path / "out"), str(tmp_path / "in"))
    assert proc.returncode == 0, proc.stderr
    out_path = tmp_path / "out" / "shard" / "a.parquet"  # the mirrored path
    out = pq.read_table(out_path)
    assert out.schema == table.schema  # every column, with its type (large_string, dictionary, tz timestamp...)
    assert out.column("text").to_pylist() == [want for _, want in cases]
    assert out.drop_columns(["text"]).equals(table.drop_columns(["text"]))
    before, after = pq.ParquetFile(src / "a.parquet").metadata, pq.ParquetFile(out_path).metadata
    assert after.num_row_groups == before.num_row_groups > 2
    assert [after.row_group(i).num_rows for i in range(after.num_row_groups)] == [
        before.row_group(i).num_rows for i in range(before.num_row_groups)
    ]
    assert after.row_group(0).column(0).compression == "ZSTD"  # the input's codec


def test_same_cleaned_texts_as_jsonl_gz_and_zst_record_for_record(cli, tmp_path: Path) -> None:
    cases = corpus_texts()
    src = tmp_path / "in"
    src.mkdir()
    records = [{"id": i, "text": text} for i, (text, _) in enumerate(cases)]
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    (src / "c.jsonl").write_bytes(lines)
    (src / "c.jsonl.gz").write_bytes(gzip.compress(lines))
    (src / "c.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(lines))
    pq.write_table(pa.Table.from_pylist(records), src / "c.parquet", row_group_size=10)
    proc = cli("clean", "--output-dir", str(tmp_path / "out"), "--jobs", "2", str(src))
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "out"

    def texts(data: bytes) -> list[str]:
        return [json.loads(line)["text"] for line in data.splitlines()]

    jsonl = texts((out / "c.jsonl").read_bytes())
    assert jsonl == [want for _, want in cases]
    assert texts(gzip.decompress((out / "c.jsonl.gz").read_bytes())) == jsonl
    with zstandard.ZstdDecompressor().stream_reader((out / "c.jsonl.zst").open("rb")) as r:
        assert texts(r.read()) == jsonl
    assert pq.read_table(out / "c.parquet").column("text").to_pylist() == jsonl


def test_provenance_column_and_text_field(cli, tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    table = pa.table({"body": [NOTICE + "述职报告\n正文。\n", "正文。\n"], "text": ["untouched ##paidend##", "x"]})
    pq.write_table(table, path)
    proc = cli("clean", "--in-place", "--text-field", "body", "--provenance", "--max-removal", "1", str(path))
    assert proc.returncode == 0, proc.stderr
    out = pq.read_table(path)
    assert out.column_names == ["body", "text", "cleaner_provenance"]
    assert out.column("body").to_pylist() == ["述职报告\n正文。\n", "正文。\n"]
    assert out.column("text").to_pylist() == ["untouched ##paidend##", "x"]
    first, second = out.column("cleaner_provenance").to_pylist()
    assert first["rules"] == ["vendor-notice"] and first["removed_chars"] == len(NOTICE)
    assert [(e["rule"], e["start"], e["end"], e["text"]) for e in first["edits"]] == [
        ("vendor-notice", 0, len(NOTICE), NOTICE)
    ]
    assert second["edits"] == [] and second["refused"] is None
    # Cleaned again: the audit column is replaced, not doubled.
    proc = cli("clean", "--in-place", "--text-field", "body", "--provenance", str(path))
    assert proc.returncode == 0, proc.stderr
    again = pq.read_table(path)
    assert again.column_names == ["body", "text", "cleaner_provenance"]
    assert again.column("cleaner_provenance").to_pylist()[0]["edits"] == []


def test_null_and_non_string_texts_are_kept_and_reported_once(cli, tmp_path: Path) -> None:
    texts = [None if i % 10 == 3 else f"{NOTICE}正文{i}。\n" for i in range(60)]
    pq.write_table(pa.table({"id": range(60), "text": texts}), tmp_path / "nulls.parquet", row_group_size=25)
    pq.write_table(pa.table({"text": [1, 2, 3]}), tmp_path / "ints.parquet")
    pq.write_table(pa.table({"body": ["a"]}), tmp_path / "none.parquet")
    proc = cli("clean", "--output-dir", str(tmp_path / "out"), "--max-removal", "1", str(tmp_path))
    assert proc.returncode == 2  # input problems
    stderr = proc.stderr.decode()
    assert stderr.count("nulls.parquet") == 1  # one message for the six null texts
    assert "nulls.parquet: 6 records: 'text' null, copied unchanged (rows 3, 13, 23, 33, 43, …)" in stderr
    assert "ints.parquet: 3 records: column 'text' is int64, not text; copied unchanged (rows 0, 1, 2)" in stderr
    assert "none.parquet: row 0: no column 'text', copied unchanged" in stderr
    out = pq.read_table(tmp_path / "out" / "nulls.parquet").column("text").to_pylist()
    assert out == [None if t is None else t.removeprefix(NOTICE) for t in texts]
    assert pq.read_table(tmp_path / "out" / "ints.parquet").column("text").to_pylist() == [1, 2, 3]
    assert (tmp_path / "out" / "none.parquet").read_bytes() == (tmp_path / "none.parquet").read_bytes()


def test_in_place_leaves_an_unchanged_file_alone_and_jobs_agree(cli, tmp_path: Path) -> None:
    clean_path = tmp_path / "clean.parquet"
    pq.write_table(pa.table({"text": ["正文。\n"] * 5}), clean_path)
    stamp = clean_path.stat().st_mtime_ns
    dirty = [f"{NOTICE}正文{i}。\n" if i % 2 else f"正文{i}。##paidend##" for i in range(3000)]
    for name in ("one.parquet", "two.parquet"):
        pq.write_table(pa.table({"text": dirty}), tmp_path / name, row_group_size=700)
    assert (
        cli(
            "clean", "-i", "--max-removal", "1", "--jobs", "1", str(clean_path), str(tmp_path / "one.parquet")
        ).returncode
        == 0
    )
    assert cli("clean", "-i", "--max-removal", "1", "--jobs", "2", str(tmp_path / "two.parquet")).returncode == 0
    assert clean_path.stat().st_mtime_ns == stamp  # not rewritten
    one, two = pq.read_table(tmp_path / "one.parquet"), pq.read_table(tmp_path / "two.parquet")
    assert one.equals(two)
    assert one.column("text").to_pylist()[:2] == ["正文0。", "正文1。\n"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.parquet", "one.parquet", "two.parquet"]


def test_failed_write_keeps_the_original_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({"text": [f"{NOTICE}正文{i}。\n" for i in range(2000)]}), path, row_group_size=500)
    original = path.read_bytes()
    calls = []

    def failing(self, table, row_group_size=None):  # the disk fills after the first row group
        calls.append(table.num_rows)
        if len(calls) > 1:
            raise OSError(28, "No space left on device")
        return real(self, table, row_group_size=row_group_size)

    real = pq.ParquetWriter.write_table
    monkeypatch.setattr(pq.ParquetWriter, "write_table", failing)
    outcome = process_parquet(Source(path, Path(path.name)), Cleaner(max_removal=1.0), Mode.IN_PLACE)
    assert outcome.error == "cannot write: No space left on device"
    assert outcome.stats.chars_removed == 0 and not outcome.changed
    assert path.read_bytes() == original
    assert os.listdir(tmp_path) == ["c.parquet"]


def test_large_row_group_is_written_in_bounded_pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cleaner.parquet as module

    path = tmp_path / "big.parquet"
    pq.write_table(pa.table({"text": [f"{NOTICE}正文{i}。\n" * 20 for i in range(4000)]}), path)  # one row group
    assert pq.ParquetFile(path).metadata.num_row_groups == 1
    monkeypatch.setattr(module, "ROW_GROUP_BYTES", 1 << 16)
    out = tmp_path / "out"
    outcome = process_parquet(Source(path, Path(path.name)), Cleaner(max_removal=1.0), Mode.OUTPUT_DIR, out)
    assert outcome.error is None and outcome.records == 4000 and outcome.stats.changed == 4000
    meta = pq.ParquetFile(out / "big.parquet").metadata
    assert meta.num_row_groups > 4  # flushed at about 64 kB, not held whole
    assert pq.read_table(out / "big.parquet").column("text").to_pylist()[:2] == ["正文0。\n" * 20, "正文1。\n" * 20]


def test_not_parquet_and_stdout_are_errors(cli, tmp_path: Path) -> None:
    (tmp_path / "fake.parquet").write_bytes(b"PAR1 not really")
    pq.write_table(pa.table({"text": ["x"]}), tmp_path / "real.parquet")
    proc = cli("clean", "--check", str(tmp_path / "fake.parquet"))
    assert proc.returncode == 2 and b"fake.parquet: cannot read: not a Parquet file" in proc.stderr
    proc = cli("clean", str(tmp_path / "real.parquet"))
    assert proc.returncode == 2 and b"a Parquet file is not printed: use --output-dir" in proc.stderr
    assert proc.stdout == b""


def test_readme_parquet_example_runs_as_written(tmp_path: Path) -> None:
    import re
    import subprocess
    import sys

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Parquet and zstd", 1)[1]
    script = re.search(r"```sh\n(.*?)```", section, re.S)
    assert script is not None
    expected = [line[2:] for line in script.group(1).splitlines() if line.startswith("# ")]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    proc = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script.group(1)], cwd=tmp_path, env=env, capture_output=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode().splitlines()
    assert out == [*expected, "restored"]


def test_diff_and_explain_review_parquet_rows(cli, tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({"text": [NOTICE + "述职报告\n", None, "正文。"]}), path)
    proc = cli("diff", str(path))
    assert proc.returncode == 2, proc.stderr  # the null text is an input problem, as a bad JSONL line is
    assert b"c.parquet#0  1 removal (vendor-notice 1)" in proc.stdout
    assert b"c.parquet#1: 'text' null" in proc.stderr
    assert b"c.parquet#2" not in proc.stdout  # unchanged rows are not shown
    proc = cli("explain", str(path))
    assert b"c.parquet#0:1:1  vendor-notice" in proc.stdout


def test_an_empty_file_and_missing_extras(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    empty = tmp_path / "empty.parquet"
    pq.write_table(pa.table({"id": pa.array([], pa.int64()), "text": pa.array([], pa.string())}), empty)
    outcome = process_parquet(Source(empty, Path(empty.name)), Cleaner(), Mode.OUTPUT_DIR, tmp_path / "out")
    assert outcome.error is None and outcome.records == 0
    assert pq.read_table(tmp_path / "out" / "empty.parquet").schema == pq.read_table(empty).schema
    # Without the extra, a clear message (the run goes on with the other files).
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    outcome = process_parquet(Source(empty, Path(empty.name)), Cleaner(), Mode.CHECK)
    assert outcome.error == "cannot read: reading .parquet needs pyarrow: pip install 'cleaner[parquet]'"
    monkeypatch.setitem(sys.modules, "zstandard", None)
    from cleaner.jsonl import open_binary

    with pytest.raises(OSError, match=r"needs the zstandard package: pip install 'cleaner\[zstd\]'"):
        open_binary(tmp_path / "c.jsonl.zst")


def test_a_rule_past_its_budget_keeps_the_row_and_says_so(cli, tmp_path: Path) -> None:
    from test_reliability import BACKTRACKING_RULE

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "evil.toml").write_text(BACKTRACKING_RULE, encoding="utf-8")
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({"id": [1, 2], "text": ["a" * 34 + "!", "正文aa!X"]}), path)
    budget = {"CLEANER_RULE_BUDGET": "2"}
    proc = cli("clean", "-o", str(tmp_path / "out"), "--rules", str(rules), "--jobs", "1", str(path), env=budget)
    assert proc.returncode == 2, proc.stderr
    assert b"c.parquet: row 0: rule evil ran past its 2 s budget on this text" in proc.stderr, proc.stderr
    assert pq.read_table(tmp_path / "out" / "c.parquet").column("text").to_pylist() == ["a" * 34 + "!", "正文"]
    proc = cli("explain", "--rules", str(rules), str(path), env=budget)
    assert proc.returncode == 2 and b"c.parquet#0: rule evil ran past" in proc.stderr
