"""Print every line's page-chrome score and evidence (for tuning the rule file).

.venv/bin/python tools/chrome_scores.py FILE... [--all]
"""

from __future__ import annotations

import sys
from pathlib import Path

from cleaner.document import decode
from cleaner.lines import Lines
from cleaner.rules import load_rules


def main(argv: list[str]) -> None:
    show_all = "--all" in argv
    rule = next(r for r in load_rules() if r.id == "page-chrome")
    for name in (a for a in argv if a != "--all"):
        text = decode(Path(name).read_bytes()).text
        lines = Lines(text)
        a = rule.finder.analyse(lines)  # type: ignore[union-attr]
        print(f"=== {name}")
        for k, content in enumerate(lines.contents):
            sc = a.scores[k]
            if sc is None and not show_all:
                continue
            mark = "X" if a.chrome[k] else " "
            sc_s = "    " if sc is None else f"{sc:4.1f}"
            why = a.reasons.get(k) or " + ".join(([a.zone[k]] if a.zone[k] else []) + a.fired[k])
            print(f"{mark} {k + 1:3d} {sc_s} {content[:60]!s:60}  {why}")


if __name__ == "__main__":
    main(sys.argv[1:])
