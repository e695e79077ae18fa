"""The Ray Data engine on a real local Ray cluster: same records as the single-process path, stats that add up."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("ray.data", reason="the ray extra is not installed (pip install 'cleaner[ray]')")

import pyarrow as pa
import pyarrow.parquet as pq
import ray
import ray.data
from conftest import CORPORA, DATA, run_cli

from cleaner import Cleaner
from cleaner.decision import PROVENANCE_FIELD, Stats, decide, undo
from cleaner.document import decode
from cleaner.ray import STATS_FIELD, clean_dataset, dataset_stats, write_parquet


@pytest.fixture(scope="session")
def cluster() -> Iterator[dict[str, Any]]:
    """One real local cluster for the whole session (starting one takes seconds)."""
    context = ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield context.address_info
    ray.shutdown()


def corpus_texts() -> list[tuple[str, str, str | None]]:
    """(name, input text, expected text or None) of every bundled test document."""
    out = []
    for corpus in CORPORA:
        for path in sorted((DATA / corpus / "input").iterdir()):
            expected = DATA / corpus / "expected" / path.name
            text = decode(path.read_bytes()).text
            out.append(
                (f"{corpus}/{path.name}", text, decode(expected.read_bytes()).text if expected.exists() else None)
            )
    return out


def records(n: int) -> list[dict[str, Any]]:
    texts = corpus_texts()
    return [
        {"id": i, "text": texts[i % len(texts)][1], "src": texts[i % len(texts)][0], "score": i / 7} for i in range(n)
    ]


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return records(300)


def test_records_match_the_single_process_cleaner(cluster: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    cleaner = Cleaner()
    got = clean_dataset(ray.data.from_items(rows), batch_size=32).take_all()
    assert len(got) == len(rows)
    by_id = {r["id"]: r for r in got}
    for row in rows:
        out = by_id[row["id"]]
        assert out["text"] == decide(cleaner, row["text"]).text, row["src"]
        assert (out["src"], out["score"]) == (row["src"], row["score"])
        assert set(out) == {"id", "text", "src", "score"}  # no column added or lost


def test_bundled_documents_clean_to_their_expected_texts(cluster: dict[str, Any]) -> None:
    texts = [(name, text, want) for name, text, want in corpus_texts() if want is not None]
    ds = ray.data.from_items([{"name": name, "text": text} for name, text, _ in texts])
    got = {r["name"]: r["text"] for r in clean_dataset(ds).take_all()}
    for name, _, want in texts:
        assert got[name] == want, name


def test_stats_summed_over_batches_equal_the_whole_run(cluster: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    cleaner = Cleaner()
    whole = Stats.of((decide(cleaner, r["text"]), r["text"]) for r in rows)
    assert whole.changed and whole.rules  # the data has something to count
    # Small batches over several blocks: many partial stats to add up.
    ds = ray.data.from_items(rows).repartition(5)
    assert dataset_stats(clean_dataset(ds, stats=True, batch_size=16)) == whole


def test_column_types_and_nulls_are_carried(cluster: dict[str, Any]) -> None:
    table = pa.table(
        {
            "id": pa.array([1, 2, 3], pa.int32()),
            "text": pa.array(["正文。\n", None, "##paidbegin##正文。\n"], pa.large_string()),
            "tags": pa.array([["a"], [], ["b", "c"]]),
            "score": pa.array([0.5, None, 1.5], pa.float32()),
        }
    )
    out = clean_dataset(ray.data.from_arrow(table)).to_arrow_refs()
    got = pa.concat_tables(ray.get(out)).sort_by("id")
    assert got.schema == table.schema
    assert got.column("text").to_pylist() == ["正文。\n", None, "正文。\n"]
    assert got.column("tags").to_pylist() == [["a"], [], ["b", "c"]]


def test_provenance_column_undoes_the_clean(cluster: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    got = clean_dataset(ray.data.from_items(rows[:40]), provenance=True).take_all()
    originals = {r["id"]: r["text"] for r in rows}
    changed = 0
    for row in got:
        audit = json.loads(row[PROVENANCE_FIELD])
        changed += bool(audit["edits"])
        assert undo(row["text"], audit) == originals[row["id"]]
    assert changed


def test_the_guard_travels_with_the_cleaner(cluster: dict[str, Any]) -> None:
    text = decode((DATA / "seeds" / "input" / "003_cf18c62b31b01f76.txt").read_bytes()).text
    share = decide(Cleaner(max_removal=None), text).removed_chars / len(text)
    assert share > 0
    strict = Cleaner(max_removal=share / 2)
    got = clean_dataset(ray.data.from_items([{"text": text}]), cleaner=strict, stats=True).take_all()
    assert got[0]["text"] == text  # refused by the guard, on the worker as in this process
    assert json.loads(got[0][STATS_FIELD])["refused"] == 1


def test_a_missing_text_column_is_an_error(cluster: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="no column 'body'"):
        clean_dataset(ray.data.from_items([{"text": "x"}]), text_field="body")


def test_write_parquet_drops_the_stats_column_and_returns_the_sum(
    cluster: dict[str, Any], rows: list[dict[str, Any]], tmp_path: Path
) -> None:
    cleaner = Cleaner()
    whole = Stats.of((decide(cleaner, r["text"]), r["text"]) for r in rows)
    ds = ray.data.from_items(rows).repartition(3)
    stats, missing, written = write_parquet(clean_dataset(ds, stats=True, batch_size=64), str(tmp_path / "out"))
    assert (stats, missing, written) == (whole, 0, len(rows))
    table = pq.read_table(tmp_path / "out")
    assert table.num_rows == len(rows)
    assert set(table.schema.names) == {"id", "text", "src", "score"}


def _write_shards(folder: Path, rows: list[dict[str, Any]], shards: int) -> None:
    folder.mkdir(parents=True)
    size = -(-len(rows) // shards)
    for k in range(shards):
        pq.write_table(pa.Table.from_pylist(rows[k * size : (k + 1) * size]), folder / f"shard-{k}.parquet")


def test_cli_engine_ray_matches_the_jsonl_path(cluster: dict[str, Any], tmp_path: Path) -> None:
    rows = records(2000)
    _write_shards(tmp_path / "in", rows, 4)
    # The same records as one JSONL file, cleaned by the single-process path.
    (tmp_path / "jsonl").mkdir()
    with open(tmp_path / "jsonl" / "all.jsonl", "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    local = run_cli("clean", "-q", "--output-dir", str(tmp_path / "local"), str(tmp_path / "jsonl"))
    assert local.returncode == 0, local.stderr.decode()
    expected = {}
    for line in (tmp_path / "local" / "all.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        expected[record["id"]] = record

    report = tmp_path / "report.json"
    proc = run_cli(
        "clean", "--engine", "ray", "--output-dir", str(tmp_path / "out"), "--report", str(report), str(tmp_path / "in")
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert "read with Ray" in proc.stderr.decode()
    table = pq.read_table(tmp_path / "out")
    assert table.num_rows == len(rows)
    assert table.schema.field("score").type == pa.float64()
    for record in table.to_pylist():
        want = expected[record["id"]]
        assert record == want, record["id"]  # text cleaned alike; id, src, score unchanged
    summary = json.loads(report.read_text())
    assert summary["records"] == len(rows)
    assert summary["records_changed"] == sum(1 for r in rows if expected[r["id"]]["text"] != r["text"]) > 0


def test_cli_engine_ray_joins_a_cluster_and_reads_jsonl(cluster: dict[str, Any], tmp_path: Path) -> None:
    rows = records(200)
    (tmp_path / "in").mkdir()
    with open(tmp_path / "in" / "part.jsonl", "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    (tmp_path / "in" / "notes.txt").write_text("not a table\n", encoding="utf-8")  # left out of the walk
    proc = run_cli(
        "clean",
        "--engine",
        "ray",
        "--ray-address",
        cluster["address"],
        "--provenance",
        "--output-dir",
        str(tmp_path / "out"),
        str(tmp_path / "in"),
    )
    assert proc.returncode == 0, proc.stderr.decode()
    got = {r["id"]: r for r in pq.read_table(tmp_path / "out").to_pylist()}
    cleaner = Cleaner()
    assert len(got) == len(rows)
    for row in rows:
        assert got[row["id"]]["text"] == decide(cleaner, row["text"]).text
        assert undo(got[row["id"]]["text"], json.loads(got[row["id"]][PROVENANCE_FIELD])) == row["text"]


def test_cli_engine_ray_needs_an_output_dir(tmp_path: Path) -> None:
    proc = run_cli("clean", "--engine", "ray", str(tmp_path))
    assert proc.returncode == 2
    assert "--output-dir" in proc.stderr.decode()


def _readme_block(heading: str) -> str:
    """The first indented Python block of a README section, dedented."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split(heading, 1)[1].split("\n### ", 1)[0]
    paragraphs = section.split("\n\n")
    start = next((i for i, b in enumerate(paragraphs) if b.startswith(("    import ", "    from "))), None)
    assert start is not None, f"no Python example under {heading}"
    block = []  # the example's paragraphs: indented, until the text goes on
    for b in paragraphs[start:]:
        if not b.startswith("    "):
            break
        block.append(b)
    return "\n\n".join("\n".join(line[4:] for line in b.splitlines()) for b in block)


def test_readme_ray_example_runs_as_written(
    cluster: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").mkdir()
    pq.write_table(pa.Table.from_pylist(records(40)), tmp_path / "corpus" / "part-0.parquet")
    scope: dict[str, Any] = {}
    exec(_readme_block("### Ray Data ("), scope)
    stats = scope["stats"]
    assert stats.documents == 40 and scope["records"] == 40
    expected = {r["id"]: decide(Cleaner(), r["text"]).text for r in records(40)}
    got = pq.read_table(tmp_path / "cleaned", columns=["id", "text"]).to_pylist()
    assert {r["id"]: r["text"] for r in got} == expected
