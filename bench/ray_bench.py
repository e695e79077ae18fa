"""Throughput of the Ray Data engine against the single process, with 1 and 2 workers, on the same records.

    .venv/bin/python bench/ray_bench.py                 # 4,000 records in 4 Parquet files; about a minute on 2 cores
    .venv/bin/python bench/ray_bench.py --records 20000

The records are the bundled test documents (tests/data, decoded) repeated, with
``id``, ``src`` and ``score`` columns, written as 4 Parquet files under
bench/out/ray/. Each Ray run reads them with Ray Data, cleans with
``cleaner.ray.clean_dataset`` and writes Parquet (what ``--engine ray`` does),
timed without the cluster's start-up; the single process decides the same texts
in a loop, and the CLI cleans the same files with --jobs 1 and 2. Every output is checked
against the single process, record by record.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq
import ray
import ray.data

from cleaner import Cleaner
from cleaner.decision import decide
from cleaner.document import decode
from cleaner.ray import clean_dataset, write_parquet

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "ray"


def make_records(n: int) -> list[dict[str, object]]:
    texts = [
        decode(p.read_bytes()).text
        for corpus in ("seeds", "variants", "cases")
        for p in sorted((ROOT / "tests" / "data" / corpus / "input").iterdir())
    ]
    return [{"id": i, "text": texts[i % len(texts)], "src": f"doc{i % len(texts)}", "score": i / 7} for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=4000)
    parser.add_argument("--out", type=Path, default=OUT / "results.json")
    args = parser.parse_args()
    shutil.rmtree(OUT, ignore_errors=True)
    (OUT / "in").mkdir(parents=True)
    rows = make_records(args.records)
    size = -(-len(rows) // 4)
    for k in range(4):
        pq.write_table(pa.Table.from_pylist(rows[k * size : (k + 1) * size]), OUT / "in" / f"part-{k}.parquet")
    mb = sum(len(str(r["text"]).encode("utf-8")) for r in rows) / 1e6

    cleaner = Cleaner(max_removal=None)
    start = time.perf_counter()
    expected = {int(str(r["id"])): decide(cleaner, str(r["text"])).text for r in rows}
    single = time.perf_counter() - start
    results: dict[str, float | int] = {"records": len(rows), "mb": round(mb, 2), "single_process_s": round(single, 2)}

    # The CLI on the same Parquet files, one process and a pool of two (what --jobs gives one machine).
    cli = Path(sys.executable).parent / "cleaner"
    for jobs in (1, 2):
        target = OUT / f"cli-{jobs}"
        start = time.perf_counter()
        cmd = [str(cli), "clean", "--jobs", str(jobs), "--max-removal", "1", "--quiet", "--output-dir", str(target)]
        subprocess.run([*cmd, str(OUT / "in")], check=True)
        results[f"cli_jobs_{jobs}_s"] = round(time.perf_counter() - start, 2)
        got = pq.read_table(target, columns=["id", "text"]).to_pylist()
        assert all(expected[r["id"]] == r["text"] for r in got), "the CLI differs from the single process"

    ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    try:
        for workers in (1, 2):
            target = OUT / f"out-{workers}"
            start = time.perf_counter()
            ds = ray.data.read_parquet(str(OUT / "in"), filesystem=pafs.LocalFileSystem())
            stats, _, written = write_parquet(
                clean_dataset(ds, cleaner=cleaner, stats=True, concurrency=workers), str(target)
            )
            seconds = time.perf_counter() - start
            got = pq.read_table(target, columns=["id", "text"]).to_pylist()
            assert written == len(rows) == len(got) and stats.documents == len(rows)
            assert all(expected[r["id"]] == r["text"] for r in got), "Ray differs from the single process"
            results[f"ray_{workers}_s"] = round(seconds, 2)
    finally:
        ray.shutdown()

    results["single_process_mb_s"] = round(mb / single, 2)
    for workers in (1, 2):
        results[f"ray_{workers}_mb_s"] = round(mb / results[f"ray_{workers}_s"], 2)
        results[f"ray_{workers}_vs_single"] = round(single / results[f"ray_{workers}_s"], 2)
    results["ray_2_vs_ray_1"] = round(results["ray_1_s"] / results["ray_2_s"], 2)
    for jobs in (1, 2):
        results[f"cli_jobs_{jobs}_mb_s"] = round(mb / results[f"cli_jobs_{jobs}_s"], 2)
    results["cli_jobs_2_vs_1"] = round(results["cli_jobs_1_s"] / results["cli_jobs_2_s"], 2)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    for key, value in results.items():
        print(f"{key:>22}  {value}")


if __name__ == "__main__":
    main()
