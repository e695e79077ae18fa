"""Split tests/data/real by site into folds, for leave-sites-out scoring.

    python3 tools/site_folds.py OUT [--folds 2]

Writes OUT/fold0, OUT/fold1, … each with input/, expected/ and CASES.tsv;
a site's cases all go to one fold (crc32 of the site name), so a rule
tuned on some folds is scored on sites it has never seen.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import zlib
from pathlib import Path

REAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "real"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--folds", type=int, default=2)
    a = ap.parse_args()
    with open(REAL / "SOURCES.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    for i in range(a.folds):
        d = a.out / f"fold{i}"
        shutil.rmtree(d, ignore_errors=True)
        (d / "input").mkdir(parents=True)
        (d / "expected").mkdir()
        (d / "CASES.tsv").write_text("name\tgroup\n", encoding="utf-8")
    for row in rows:
        i = zlib.crc32(row["site"].encode()) % a.folds
        d = a.out / f"fold{i}"
        for sub in ("input", "expected"):
            shutil.copy(REAL / sub / row["name"], d / sub / row["name"])
        with open(d / "CASES.tsv", "a", encoding="utf-8") as f:
            f.write(f"{row['name']}\t{row['group']}\n")
    for i in range(a.folds):
        print(f"fold{i}: {len(list((a.out / f'fold{i}' / 'input').iterdir()))} cases")


if __name__ == "__main__":
    main()
