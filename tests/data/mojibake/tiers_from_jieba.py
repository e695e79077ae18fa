"""Print the frequency tiers of rules/repair-cjk-mojibake.toml from jieba's dictionary.

    python -m venv /tmp/j && /tmp/j/bin/pip install jieba==0.42.1
    /tmp/j/bin/python tests/data/mojibake/tiers_from_jieba.py > tiers.toml

jieba (MIT licence) ships dict.txt: 349,046 words with corpus frequencies. A
character's frequency is the sum over the words that hold it; the tiers are
its ranks among the 20,902 CJK unified ideographs (U+4E00-U+9FFF). Not a
dependency of the cleaner: the tiers are data in the rule file.
"""

from __future__ import annotations

from pathlib import Path

import jieba

TIERS = ((300, -6.0), (1000, -8.0), (2000, -9.5), (3500, -11.0))  # (rank up to, weight)


def main() -> None:
    freq: dict[str, int] = {}
    for line in (Path(jieba.__file__).parent / "dict.txt").read_text(encoding="utf-8").splitlines():
        word, count, *_ = line.split()
        for ch in word:
            if "\u4e00" <= ch <= "\u9fff":
                freq[ch] = freq.get(ch, 0) + int(count)
    ranked = sorted(freq, key=lambda c: (-freq[c], c))
    low = 0
    for high, weight in TIERS:
        print(f"[[match.tiers]]  # ranks {low + 1}-{high}\nweight = {weight}\nchars = \"{''.join(ranked[low:high])}\"\n")
        low = high


if __name__ == "__main__":
    main()
