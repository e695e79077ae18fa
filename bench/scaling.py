"""One scaling case in its own process (so a quadratic blow-up can be timed out).

    python bench/scaling.py single-line 20      # one 20 MB line of report text
    python bench/scaling.py short-lines 8       # 8 MB of very short lines

Prints one JSON object: seconds (cleaning only), bytes, lines, edits.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import PAYWALL, ZERO_WIDTH, documents, load_pools, text_bytes
from measure import MB

_LATIN = re.compile("[\u00c2-\u00f4]")  # what a mojibake line starts with


def single_line(size: int, seed: int = 7) -> str:
    """Report text with inline junk (paywall markers, zero-width characters, contact text), no line break."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    for doc in documents(load_pools(), seed):
        if total >= size:
            break
        if _LATIN.search(doc.text):
            continue  # mojibake would hand the whole line to ftfy: that measures ftfy, not the engine
        piece = doc.text.replace("\r", "").replace("\n", "")
        if rng.random() < 0.3:
            piece += rng.choice(PAYWALL) + rng.choice(ZERO_WIDTH)
        parts.append(piece)
        total += text_bytes(piece)
    return "".join(parts)


def short_lines(size: int, seed: int = 7) -> str:
    """Very many short lines: fragments of body lines, blanks, footers, markers, repeated contacts."""
    rng = random.Random(seed)
    pools = load_pools()
    body = [line for text in pools.bodies for line in text.split("\n") if line.strip()]
    junk = [line for line in pools.lines if len(line) < 30] + list(PAYWALL)
    out: list[str] = []
    total = 0
    while total < size:
        roll = rng.random()
        if roll < 0.15:
            line = ""
        elif roll < 0.20:
            line = rng.choice(junk)
        elif roll < 0.22:
            line = rng.choice(body)[:6] + rng.choice(ZERO_WIDTH)
        else:
            line = rng.choice(body)[: rng.randint(1, 8)]
        out.append(line)
        total += text_bytes(line) + 1
    return "\n".join(out) + "\n"


CASES = {"single-line": single_line, "short-lines": short_lines}


def main(argv: list[str]) -> int:
    case, mb = argv[0], float(argv[1])
    text = CASES[case](int(mb * MB))
    from cleaner import Cleaner

    cleaner = Cleaner()
    start = time.perf_counter()
    result = cleaner.clean(text)
    seconds = time.perf_counter() - start
    lines = text.count("\n") + (not text.endswith("\n"))
    print(json.dumps({"seconds": seconds, "bytes": text_bytes(text), "lines": lines, "edits": len(result.edits)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
