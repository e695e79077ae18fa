"""Rewrite tests/data/real/KNOWN.toml from what the cleaner does now on the real corpora.

Run after a change that fixes (or breaks) real cases, then read the diff of KNOWN.toml:
a case that leaves the list is fixed; one that joins it is a regression to look at first.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from cleaner import Cleaner
from cleaner.batch import clean_bytes
from cleaner.document import decode

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
HEADER = """# Cases the cleaner does not get right yet (strict expected failures in tests/test_real_pages.py).
# Take a case off the list when a change fixes it; the suite fails until you do.
# Regenerate with: .venv/bin/python tools/known.py (then read the diff).
"""


def _lines(data: bytes) -> Counter[str]:
    return Counter(line for line in decode(data).text.splitlines() if line.strip())


def main() -> int:
    cleaner = Cleaner()
    not_exact: dict[str, str] = {}
    loses: dict[str, str] = {}
    for corpus in ("real", "holdout", "wild-dev"):
        for inp in sorted((DATA / corpus / "input").iterdir()):
            name = f"{corpus}/{inp.name}"
            want = (DATA / corpus / "expected" / inp.name).read_bytes()
            doc, result = clean_bytes(inp.read_bytes(), cleaner)
            got = doc.with_text(result.text).encode()
            if got == want:
                continue
            lost = _lines(want) - _lines(got)
            not_exact[name] = "body lost" if lost else "junk left in"
            if lost:
                first = next(iter(lost)).strip()[:40].replace("\\", "\\\\").replace('"', '\\"')
                loses[name] = f"loses {sum(lost.values())} line(s), e.g. '{first}'"
    out = [HEADER, "[not_exact]"]
    out += [f'"{k}" = "{v}"' for k, v in sorted(not_exact.items())]
    out += ["", "[loses_body]"]
    out += [f'"{k}" = "{v}"' for k, v in sorted(loses.items())]
    (DATA / "real" / "KNOWN.toml").write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{len(not_exact)} not exact, {len(loses)} losing body lines", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
