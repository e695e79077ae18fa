"""Derive a case's expected/ file from its input/ file and a list of junk lines.

The expected bytes are computed, never typed: body lines are copied from the
input unchanged, and blank lines are healed by the project's removal policy
(DESIGN.md): blank lines enclosed between removed lines go with them, blank
lines left at the start are dropped, blank lines left at the end collapse to
the final newline, and where a removal joins two blank runs the longer run
is kept.

    python3 label.py NAME --drop 1,3-5 [--cut 7:SUBSTRING ...] [--dir ../holdout]

NAME is the file name in input/ (UTF-8); --drop lists 1-based line numbers
of whole junk lines; --cut LINE:TEXT removes the exact TEXT (first
occurrence) from that line (inline junk such as a jammer string with its
space, a paywall marker). A line left empty by cuts goes too.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def parse_drop(spec: str) -> set[int]:
    out: set[int] = set()
    for part in filter(None, (p.strip() for p in spec.split(","))):
        if "-" in part:
            a, b = part.split("-", 1)
            out.update(range(int(a), int(b) + 1))
        else:
            out.add(int(part))
    return out


def apply(text: str, drop: set[int], cuts: list[tuple[int, str]]) -> str:
    lines = text.splitlines(keepends=True)
    content = [ln.rstrip("\r\n") for ln in lines]
    ends = [ln[len(c):] for ln, c in zip(lines, content)]
    removed = [False] * len(lines)
    for n in drop:
        if not 1 <= n <= len(lines):
            sys.exit(f"--drop {n}: the file has {len(lines)} lines")
        removed[n - 1] = True
    for n, sub in cuts:
        if sub not in content[n - 1]:
            sys.exit(f"--cut {n}: {sub!r} is not in line {n}: {content[n - 1]!r}")
        content[n - 1] = content[n - 1].replace(sub, "", 1)
        if not content[n - 1].strip():
            removed[n - 1] = True
    blank = [not c.strip() and not removed[i] for i, c in enumerate(content)]
    # blank runs enclosed between removed lines go with them
    i = 0
    while i < len(lines):
        if blank[i]:
            j = i
            while j < len(lines) and blank[j]:
                j += 1
            before = i > 0 and removed[i - 1]
            after = j < len(lines) and removed[j]
            if before and after:
                for k in range(i, j):
                    removed[k] = True
                    blank[k] = False
            i = j
        else:
            i += 1
    # runs of blanks joined by a removal: keep the longer run only
    out_idx = [k for k in range(len(lines)) if not removed[k]]
    result: list[int] = []
    pos = 0
    while pos < len(out_idx):
        k = out_idx[pos]
        if not blank[k]:
            result.append(k)
            pos += 1
            continue
        # a run of kept blank lines in the output; split it into its source runs
        run = [k]
        pos += 1
        while pos < len(out_idx) and blank[out_idx[pos]]:
            run.append(out_idx[pos])
            pos += 1
        pieces: list[list[int]] = [[run[0]]]
        for a, b in zip(run, run[1:]):
            if b == a + 1:
                pieces[-1].append(b)
            else:
                pieces.append([b])
        result.extend(max(pieces, key=len))
    # blank lines left at the start by removals are dropped
    first_removed_at_start = bool(lines) and removed[0]
    if first_removed_at_start:
        while result and blank[result[0]]:
            result.pop(0)
    out = "".join(content[k] + ends[k] for k in result)
    # blank lines left at the end collapse to the final newline
    if lines and removed[-1] or (result and result[-1] != len(lines) - 1):
        while result and blank[result[-1]]:
            result.pop()
        final_nl = ends[-1] if ends[-1] else ""
        out = "".join(content[k] + ends[k] for k in result)
        if result:
            last = result[-1]
            out = out[: len(out) - len(ends[last])] + final_nl
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("name")
    ap.add_argument("--drop", default="")
    ap.add_argument("--cut", action="append", default=[])
    ap.add_argument("--dir", type=Path, default=HERE, help="the corpus folder (default: this one)")
    a = ap.parse_args()
    here = a.dir
    src = here / "input" / a.name
    text = src.read_bytes().decode("utf-8")
    cuts = []
    for c in a.cut:
        n, sub = c.split(":", 1)
        cuts.append((int(n), sub))
    out = apply(text, parse_drop(a.drop), cuts)
    (here / "expected").mkdir(exist_ok=True)
    (here / "expected" / a.name).write_bytes(out.encode("utf-8"))
    for line in difflib.unified_diff(text.splitlines(), out.splitlines(), lineterm="", n=0):
        print(line)


if __name__ == "__main__":
    main()
