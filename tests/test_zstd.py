"""``*.jsonl.zst`` corpora: read and written like ``.jsonl`` and ``.jsonl.gz``, through the CLI."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from test_jsonl import make_corpus

zstandard = pytest.importorskip("zstandard")


def unzstd(path: Path) -> bytes:
    with zstandard.ZstdDecompressor().stream_reader(path.open("rb"), read_across_frames=True) as r:
        return bytes(r.read())


def test_zst_output_dir_matches_the_plain_jsonl(cli, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    make_corpus(src / "c.jsonl")
    plain = (src / "c.jsonl").read_bytes()
    (src / "c.jsonl.gz").write_bytes(gzip.compress(plain))
    (src / "c.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(plain))
    proc = cli("clean", "--output-dir", str(tmp_path / "out"), "--jobs", "2", str(src))
    assert proc.returncode == 2  # the corpus's malformed line, reported once per file
    assert proc.stderr.count(b"line 5: not JSON") == 3
    out = tmp_path / "out"
    cleaned = (out / "c.jsonl").read_bytes()
    assert cleaned != plain  # something was cleaned
    assert unzstd(out / "c.jsonl.zst") == cleaned == gzip.decompress((out / "c.jsonl.gz").read_bytes())


def test_zst_in_place_with_provenance_and_several_frames(cli, tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl.zst"
    first = json.dumps({"id": 1, "text": "仅供学习 禁止外传 用后删除\n述职报告\n正文。\n"}, ensure_ascii=False)
    second = json.dumps({"id": 2, "text": "正文。\n"}, ensure_ascii=False)
    # Two frames, as `cat a.zst b.zst` or a parallel compressor makes.
    cctx = zstandard.ZstdCompressor()
    path.write_bytes(cctx.compress((first + "\n").encode()) + cctx.compress((second + "\n").encode()))
    proc = cli("clean", "--in-place", "--provenance", "--max-removal", "1", str(path))
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in unzstd(path).splitlines()]
    assert [r["id"] for r in records] == [1, 2]  # the second frame was read too
    assert records[0]["text"] == "述职报告\n正文。\n"
    assert records[1]["text"] == "正文。\n"
    assert records[0]["cleaner_provenance"]["edits"]


def test_truncated_or_foreign_zst_fails_and_is_left_alone(cli, tmp_path: Path) -> None:
    data = zstandard.ZstdCompressor().compress(
        b"".join(json.dumps({"text": f"r{i} 仅供学习 禁止外传"}).encode() + b"\n" for i in range(3000))
    )
    cut = tmp_path / "cut.jsonl.zst"
    cut.write_bytes(data[: len(data) // 2])
    plain = tmp_path / "plain.jsonl.zst"
    plain.write_bytes(b'{"text": "plain"}\n')
    proc = cli("clean", "--in-place", str(cut), str(plain))
    assert proc.returncode == 2
    assert b"cut.jsonl.zst: cannot read: the compressed stream ends early (a truncated .zst)" in proc.stderr
    assert b"plain.jsonl.zst: cannot read: not a zstd file" in proc.stderr
    assert cut.read_bytes() == data[: len(data) // 2]  # never replaced by the records read before the cut
    assert plain.read_bytes() == b'{"text": "plain"}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cut.jsonl.zst", "plain.jsonl.zst"]  # no temporary left


def test_zst_to_stdout_prints_plain_records(cli, tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress('{"text": "正文。##paidend##"}\n'.encode()))
    proc = cli("clean", str(path))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"text": "正文。"}
