"""Discover at scale: Parquet and .jsonl.zst corpora, and shards whose merged counts give one pass's proposals."""

from __future__ import annotations

import json
import pickle
import random
from pathlib import Path

import pytest
from test_discover import IGNORE, bodies, wrap

from cleaner import Cleaner
from cleaner.discover import Settings, discover
from cleaner.discover.corpus import Reader
from cleaner.discover.count import doc_keys
from cleaner.discover.pipeline import discover_shards
from cleaner.discover.shards import count_shard, finish, merge_counts, plan, survey_shard
from cleaner.files import Source

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
zstandard = pytest.importorskip("zstandard")

WITHOUT = Cleaner(ignore=["page-chrome"], max_removal=None)  # it covers this vendor: see test_discover.IGNORE


def dirty_texts(seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = [wrap(doc, rng, n) for n, doc in enumerate(bodies())]
    # Copies of earlier bodies, in later shards too: each must be left out once, as in one pass.
    return [*texts, texts[1], texts[30], texts[2], texts[-3]]


def write_shards(folder: Path, texts: list[str], cuts: list[int]) -> list[list[Source]]:
    """``texts`` as Parquet shards cut at ``cuts`` (with an id and a score column), one source each."""
    folder.mkdir()
    shards = []
    for i, (a, b) in enumerate(zip([0, *cuts], [*cuts, len(texts)])):
        path = folder / f"part-{i}.parquet"
        part = texts[a:b]
        pq.write_table(pa.table({"id": range(a, b), "text": part, "score": [0.5] * len(part)}), path, row_group_size=17)
        shards.append([Source(path, Path(path.name))])
    return shards


def same(one, other) -> None:
    assert [p.data for p in one.proposals] == [p.data for p in other.proposals]
    assert one.candidates == other.candidates
    assert (one.docs, one.copies, one.threshold, one.errors) == (
        other.docs,
        other.copies,
        other.threshold,
        other.errors,
    )


def test_shards_merged_give_the_proposals_of_one_pass(tmp_path: Path) -> None:
    texts = dirty_texts(4)
    shards = write_shards(tmp_path / "parts", texts, [25, 60])
    settings = Settings(min_docs=3)
    one = discover([src for shard in shards for src in shard], settings, WITHOUT)  # one pass over the same files
    assert len(one.proposals) == 3 and one.copies >= 3  # the copies, two of them across shards, are left out
    same(discover_shards(shards, settings, WITHOUT), one)
    # The steps one by one, their results pickled as if they came back from other machines.
    reader = Reader()
    parts = [pickle.loads(pickle.dumps(count_shard(s, reader, i))) for i, s in enumerate(shards)]
    counts = merge_counts(reversed(parts))  # any order in: merged in shard order
    todo = plan(counts, settings.threshold(counts.docs))
    surveys = [pickle.loads(pickle.dumps(survey_shard(s, reader, todo, i))) for i, s in enumerate(shards)]
    candidates, proposals = finish(counts, todo, reversed(surveys), settings.name, WITHOUT)
    assert [p.data for p in proposals] == [p.data for p in one.proposals]
    assert tuple(candidates) == one.candidates
    assert counts.docs == one.docs


def test_a_copy_in_a_later_shard_is_counted_once(tmp_path: Path) -> None:
    texts = dirty_texts(5)[:10]
    texts.append(next(t for t in texts[:6] if doc_keys(t)[1] is not None))  # a body with a fingerprint
    shards = write_shards(tmp_path / "parts", texts, [6])
    reader = Reader()
    counts = merge_counts(count_shard(s, reader, i) for i, s in enumerate(shards))
    alone = merge_counts([count_shard([src for s in shards for src in s], reader)])
    assert counts.docs == alone.docs == 10
    assert counts.df == alone.df
    assert len(counts.duplicates) == len(alone.duplicates) == 1


def test_discover_cli_reads_parquet_and_zst(cli, tmp_path: Path) -> None:
    texts = dirty_texts(6)
    (tmp_path / "a").mkdir()
    pq.write_table(pa.table({"content": texts[:40], "n": range(40)}), tmp_path / "a" / "one.parquet")
    lines = "".join(json.dumps({"content": t}, ensure_ascii=False) + "\n" for t in texts[40:])
    (tmp_path / "a" / "two.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(lines.encode()))
    pq.write_table(pa.table({"content": [None, "x"]}), tmp_path / "a" / "three.parquet")
    out = tmp_path / "rules"
    proc = cli(
        "discover", str(tmp_path / "a"), "--text-field", "content", "--min-docs", "3", "--out", str(out), *IGNORE
    )
    assert proc.returncode == 2  # the null text is an input error; the rest still runs
    assert b"three.parquet:row 0: 'content' null" in proc.stderr
    assert len(list(out.iterdir())) == 3
    cleaner = Cleaner(rule_dirs=[out], ignore=["page-chrome"])
    bodies_by_text = {wrap_text: doc.text for wrap_text, doc in zip(dirty_texts(6), bodies())}
    for text, body in bodies_by_text.items():
        assert cleaner.clean(text).text == body
