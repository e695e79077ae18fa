"""Junk-line recall and trap-line losses on tests/data/real, by class (LINES.tsv).

    .venv/bin/python tools/line_recall.py

A junk line counts as removed when its text is no longer a line of the cleaned
page; a trap line counts as lost when it is no longer there.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

from cleaner import Cleaner
from cleaner.batch import clean_bytes

REAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "real"


def main() -> None:
    cleaner = Cleaner()
    with open(REAL / "LINES.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    kept: dict[str, Counter[str]] = {}
    for name in {r["name"] for r in rows}:
        _doc, result = clean_bytes((REAL / "input" / name).read_bytes(), cleaner)
        kept[name] = Counter(line.strip() for line in result.text.splitlines())
    total: dict[tuple[str, str], int] = defaultdict(int)
    hit: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        key = (r["label"], r["class"])
        total[key] += 1
        gone = kept[r["name"]][r["text"].strip()] == 0
        hit[key] += gone
    for label in ("junk", "trap"):
        keys = sorted(k for k in total if k[0] == label)
        t, h = sum(total[k] for k in keys), sum(hit[k] for k in keys)
        verb = "removed" if label == "junk" else "lost"
        print(f"{label}: {h}/{t} {verb}")
        for k in keys:
            print(f"  {k[1]:16s} {hit[k]:4d}/{total[k]}")


if __name__ == "__main__":
    main()
