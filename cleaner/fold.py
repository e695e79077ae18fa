"""Width folding, defined once: full-width ASCII forms and U+3000 read as their
half-width twins, so patterns and cue words are written in one width.

The fold maps one character to one character, so offsets found in folded text
are offsets in the original: a rule matches on the fold and removes from the
original, which is never changed by folding itself.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # ！ … ～ to ! … ~
_TABLE[0x3000] = 0x20  # ideographic space
_TABLE[0xFFE5] = ord("¥")

# the inverse, for looking up a folded word in raw text (space aside: a half-width space stays)
UNFOLD = {v: k for k, v in _TABLE.items() if v != 0x20}


_FOLDS = re.compile("[" + "".join(map(chr, sorted(_TABLE))) + "]")
_HALF = {chr(k): chr(v) for k, v in _TABLE.items()}.__getitem__


def fold(text: str) -> str:
    """``text`` with full-width ASCII forms as ASCII; same length, same offsets."""
    # A substitution per full-width character runs about 3x faster than str.translate,
    # which looks up every character of a CJK text in the table.
    return _FOLDS.sub(lambda m: _HALF(m.group()), text)


@lru_cache(maxsize=1)
def _simplified_pairs() -> dict[str, str]:
    pairs = {}
    with resources.files("cleaner").joinpath("data/t2s.tsv").open(encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                trad, simp = line.rstrip("\n").split("\t")
                pairs[trad] = simp
    return pairs


@lru_cache(maxsize=1)
def _traditional() -> re.Pattern[str]:
    # compiled only for a text in traditional script: counting needs no regex
    return re.compile("[" + "".join(sorted(_simplified_pairs())) + "]")


@lru_cache(maxsize=1)
def _traditional_set() -> frozenset[str]:
    return frozenset(_simplified_pairs())


def traditional_kinds(text: str) -> int:
    """How many different traditional forms with a simplified twin ``text`` holds (a set
    intersection: a simplified text is looked at in C, not character by character)."""
    return len(_traditional_set().intersection(text))


def simplified(text: str) -> str:
    """``text`` with traditional hanzi read as simplified, one character for one (for reading
    the page chrome of mirror sites in traditional script; never applied to what is kept)."""
    pairs = _simplified_pairs()
    return _traditional().sub(lambda m: pairs[m.group()], text)
