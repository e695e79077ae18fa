"""Parquet against the JSONL path: the same records cleaned from .jsonl, .jsonl.gz, .jsonl.zst and .parquet.

    .venv/bin/python bench/parquet.py                     # 50 MB of text; about a minute on 2 cores
    .venv/bin/python bench/parquet.py --size-mb 5         # a quick look
    .venv/bin/python bench/parquet.py --big-mb 2048       # also one Parquet file of 2 GB of text: peak memory

Each format is cleaned by ``cleaner clean --max-removal 1 --quiet --jobs N --output-dir OUT FILE`` in its
own process (N from ``--jobs``, 1 and 2 by default); MB/s counts the records' text as UTF-8. The cleaned
texts of every format are compared record for record. Writes ``bench/out/parquet.json``.
Needs the ``[parquet]`` extra (pyarrow, zstandard).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pyarrow as pa
import pyarrow.parquet as pq
import zstandard
from corpus import documents, load_pools, text_bytes
from measure import MB, cleaner_command, run_child

OUT = Path(__file__).resolve().parent / "out"
ROW_GROUP_ROWS = 10_000
FORMATS = ("corpus.jsonl", "corpus.jsonl.gz", "corpus.jsonl.zst", "corpus.parquet")


def records(size: int, seed: int) -> Iterator[dict[str, object]]:
    """Records of ``size`` bytes of text in all, with the extra columns users' corpora carry."""
    total = 0
    for n, doc in enumerate(documents(load_pools(), seed)):
        if total >= size:
            return
        total += text_bytes(doc.text)
        yield {"id": doc.id, "text": doc.text, "src": f"site{n % 7}", "score": (n % 100) / 100}


SCHEMA = pa.schema([("id", pa.string()), ("text", pa.string()), ("src", pa.string()), ("score", pa.float64())])


def write_parquet(path: Path, rows: Iterator[dict[str, object]]) -> tuple[int, int]:
    """Stream ``rows`` into ``path`` in row groups; returns (records, text bytes)."""
    count = size = 0
    with pq.ParquetWriter(path, SCHEMA) as writer:
        group: list[dict[str, object]] = []
        for row in rows:
            group.append(row)
            count += 1
            size += text_bytes(str(row["text"]))
            if len(group) >= ROW_GROUP_ROWS:
                writer.write_table(pa.Table.from_pylist(group, SCHEMA))
                group = []
        if group:
            writer.write_table(pa.Table.from_pylist(group, SCHEMA))
    return count, size


def build(root: Path, size: int, seed: int) -> tuple[int, int]:
    root.mkdir(parents=True, exist_ok=True)
    rows = list(records(size, seed))
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    (root / "corpus.jsonl").write_bytes(lines)
    (root / "corpus.jsonl.gz").write_bytes(gzip.compress(lines, compresslevel=6))
    (root / "corpus.jsonl.zst").write_bytes(zstandard.ZstdCompressor(level=3).compress(lines))
    return write_parquet(root / "corpus.parquet", iter(rows))


def cleaned_texts(path: Path) -> Iterator[str]:
    if path.suffix == ".parquet":
        for batch in pq.ParquetFile(path).iter_batches(columns=["text"]):
            yield from batch.column(0).to_pylist()
        return
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    elif path.name.endswith(".zst"):
        with zstandard.ZstdDecompressor().stream_reader(data) as r:
            data = r.read()
    for line in data.splitlines():
        yield json.loads(line)["text"]


def digest(texts: Iterator[str]) -> str:
    h = hashlib.sha256()
    for t in texts:
        h.update(t.encode("utf-8") + b"\0")
    return h.hexdigest()[:16]


def clean(path: Path, out: Path, jobs: int, timeout: float) -> dict[str, object]:
    shutil.rmtree(out, ignore_errors=True)
    args = [
        *cleaner_command(),
        "clean",
        "--max-removal",
        "1",
        "--quiet",
        "--jobs",
        str(jobs),
        "-o",
        str(out),
        str(path),
    ]
    run = run_child(args, timeout=timeout)
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({run.returncode}): {run.stderr}")
    return {
        "seconds": round(run.seconds, 2),
        "cpu_seconds": round(run.cpu_seconds, 2),
        "peak_rss_mb": round(run.max_rss_mb, 1),
        "tree_rss_mb": round(run.tree_rss_mb, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=50)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--big-mb", type=float, default=0, help="also clean one Parquet file of this much text")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--out", type=Path, default=OUT / "parquet.json")
    args = parser.parse_args()
    root = OUT / "parquet"
    shutil.rmtree(root, ignore_errors=True)
    docs, size = build(root / "in", int(args.size_mb * MB), args.seed)
    mb = size / MB
    print(f"{docs} records, {mb:.1f} MB of text", file=sys.stderr)
    results: dict[str, object] = {"records": docs, "text_mb": round(mb, 1), "runs": {}}
    digests = {}
    for jobs in args.jobs:
        for name in FORMATS:
            out = root / f"out-{jobs}-{name}"
            item = clean(root / "in" / name, out, jobs, args.timeout)
            item["mb_per_s"] = round(mb / float(item["seconds"]), 2)  # type: ignore[arg-type]
            results["runs"][f"{name} --jobs {jobs}"] = item  # type: ignore[index]
            digests[(jobs, name)] = digest(cleaned_texts(out / name))
            print(
                f"{name:18} --jobs {jobs}: {item['seconds']:7.2f} s  {item['mb_per_s']:6.2f} MB/s  "
                f"peak RSS {item['peak_rss_mb']:6.1f} MB",
                file=sys.stderr,
            )
    results["same_texts"] = len(set(digests.values())) == 1
    print(f"same cleaned texts in every format and --jobs: {results['same_texts']}", file=sys.stderr)
    if args.big_mb > 0:
        big = root / "big" / "big.parquet"
        big.parent.mkdir(parents=True)
        docs, size = write_parquet(big, records(int(args.big_mb * MB), args.seed + 1))
        item = clean(big, root / "big-out", max(args.jobs), args.timeout * 10)
        item.update(
            records=docs,
            text_mb=round(size / MB, 1),
            mb_per_s=round(size / MB / float(item["seconds"]), 2),  # type: ignore[arg-type]
            file_mb=round(big.stat().st_size / MB, 1),
            jobs=max(args.jobs),
        )
        results["big"] = item
        print(f"big: {item}", file=sys.stderr)
        shutil.rmtree(root / "big-out", ignore_errors=True)
        big.unlink()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1))
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
