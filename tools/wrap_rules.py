"""Wrap the long lines of rule files' example strings so that no line is over 160 characters.

    python3 tools/wrap_rules.py rules/page-chrome.toml [...]

An example string (input = / output =) that holds a line longer than the limit is written
again as a TOML basic multi-line string, its long lines continued with a trailing backslash
(TOML trims the newline, so the value is the same); the file is checked to load to the same
data before it is written.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

LIMIT = 160
WIDTH = 100
_KEY = re.compile(r"^(input|output) = (\"\"\"|''')", re.M)


def _basic(text: str) -> str:
    """The text as the body of a basic multi-line string, long lines continued."""
    esc = text.replace("\\", "\\\\").replace('"""', '""\\"')
    out = []
    for line in esc.split("\n"):
        while len(line) > WIDTH:
            cut = WIDTH
            # never cut before whitespace (the continuation would trim it) nor inside an escape
            while cut < len(line) and (line[cut] in " \t" or line[cut - 1] == "\\"):
                cut += 1
            out.append(line[:cut] + "\\")
            line = line[cut:]
        out.append(line)
    return "\n".join(out)


def wrap(path: Path) -> bool:
    src = path.read_text(encoding="utf-8")
    data = tomllib.loads(src)
    pieces, pos = [], 0
    for m in _KEY.finditer(src):
        quote = m.group(2)
        end = src.index(quote, m.end())
        while src.startswith(quote + quote[0], end):  # a quote right before the closing delimiter
            end += 1
        value = tomllib.loads(f"v = {quote}{src[m.end() : end]}{quote}")["v"]
        if all(len(x) <= LIMIT for x in src[m.start() : end + 3].split("\n")):
            continue
        pieces.append(src[pos : m.start()])
        pieces.append(f'{m.group(1)} = """\\\n{_basic(value)}"""')
        pos = end + 3
    pieces.append(src[pos:])
    new = "".join(pieces)
    if new == src:
        return False
    assert tomllib.loads(new) == data, f"{path}: wrapping changed the data"
    path.write_text(new, encoding="utf-8")
    return True


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(name, "wrapped" if wrap(Path(name)) else "unchanged")
