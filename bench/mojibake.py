"""What the mojibake repairs cost: the pipeline and the repair phase alone, in process.

    .venv/bin/python bench/mojibake.py                      # 10 MB of the benchmark corpus, 5 runs each
    .venv/bin/python bench/mojibake.py --code /tmp/old      # the same with another checkout's cleaner

Builds (or reuses) the benchmark corpus of ``corpus.py`` under ``bench/out/``
and cleans every text with ``Cleaner()`` (all rules) and with the repair rules
alone, alternating the two, and prints the median MB/s in CPU time of each.
``--code`` puts another checkout first on the import path, so that code before
and after a change can be measured on one machine in one sitting. It also
reports how many documents each repair rule changed, and, for the CJK repair,
how many clean documents it touched (there should be none). Nothing asserts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MB = 1024 * 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--code", type=Path, help="a checkout whose cleaner package is measured instead")
    args = parser.parse_args(argv)
    if args.code is not None:
        sys.path.insert(0, str(args.code.resolve()))
    sys.path.insert(0, str(HERE))
    from corpus import build_corpus, text_bytes

    from cleaner import Cleaner

    corpus = build_corpus(HERE / "out" / f"corpus-{args.size_mb:g}", int(args.size_mb * MB), args.seed)
    texts = list(corpus.texts())
    nbytes = sum(text_bytes(t) for t in texts)
    full = Cleaner()
    repair_ids = [r.id for r in full.rules if r.phase == "repair"]
    repair = Cleaner(select=repair_ids)
    for cleaner in (full, repair):
        for text in texts[:30]:
            cleaner.clean(text)  # warm up: lazy imports, regex caches, cue plans
    timings: dict[str, list[float]] = {"pipeline": [], "repair rules": []}
    for _ in range(args.runs):
        for name, cleaner in (("pipeline", full), ("repair rules", repair)):
            cpu = time.process_time()
            for text in texts:
                cleaner.clean(text)
            timings[name].append(time.process_time() - cpu)
    changed: dict[str, int] = {}
    for text in texts:
        for rule in repair.clean(text).rule_counts():
            changed[rule] = changed.get(rule, 0) + 1
    figures = {
        "code": str(Path(sys.modules["cleaner"].__file__).parent),
        "docs": len(texts),
        "mb": round(nbytes / MB, 2),
        "repair_rules": repair_ids,
        "docs_changed_by_repair_rule": changed,
    }
    for name, runs in timings.items():
        figures[f"{name} cpu MB/s (median)"] = round(nbytes / MB / statistics.median(runs), 2)
        figures[f"{name} cpu MB/s (runs)"] = [round(nbytes / MB / s, 2) for s in runs]
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
