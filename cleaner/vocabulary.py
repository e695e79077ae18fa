"""The shared vocabulary: named word lists and pattern pieces, defined once.

``rules/vocabulary.toml`` names them; a pattern in any rule file refers to a
name as ``{name}`` (a word list becomes an alternation of its words, escaped;
a piece is a regex fragment and may refer to other names), and the
``score-lines`` kind takes word lists by name as evidence. Words and pieces
are written half-width: rules match on the width-folded text (``fold``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

FILE_NAME = "vocabulary.toml"
_REF = re.compile(r"\{([a-z][a-z0-9_]*)\}")  # {2} and {1,3} are quantifiers, never names


class VocabularyError(ValueError):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


@dataclass(frozen=True)
class Vocabulary:
    words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    pieces: Mapping[str, str] = field(default_factory=dict)

    def expand(self, source: str, key: str = "pattern", _depth: int = 0) -> str:
        """``source`` with every ``{name}`` replaced by its regex."""
        if "{" not in source:
            return source
        if _depth > 8:
            raise VocabularyError(key, "vocabulary pieces refer to each other in a loop")

        def one(m: re.Match[str]) -> str:
            name = m.group(1)
            if name in self.words:
                return "(?:" + "|".join(re.escape(w) for w in sorted(self.words[name], key=len, reverse=True)) + ")"
            if name in self.pieces:
                return "(?:" + self.expand(self.pieces[name], f"pieces.{name}", _depth + 1) + ")"
            known = ", ".join(sorted({*self.words, *self.pieces}))
            raise VocabularyError(key, f"unknown vocabulary name {{{name}}} (known: {known})")

        return _REF.sub(one, source)

    def merged(self, other: Vocabulary) -> Vocabulary:
        """This vocabulary with ``other``'s names added or replacing."""
        return Vocabulary({**self.words, **other.words}, {**self.pieces, **other.pieces})


EMPTY = Vocabulary()


def load_vocabulary(path: Path) -> Vocabulary:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise VocabularyError(str(path), f"cannot read: {exc}") from None
    unknown = set(data) - {"words", "pieces"}
    if unknown:
        raise VocabularyError(f"{path}: {sorted(unknown)[0]}", "unknown key (expected words or pieces)")
    words: dict[str, tuple[str, ...]] = {}
    for name, value in data.get("words", {}).items():
        if not _REF.fullmatch("{" + name + "}"):
            raise VocabularyError(f"{path}: words.{name}", "names are lower-case letters, digits and _")
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            raise VocabularyError(f"{path}: words.{name}", "expected a list of non-empty strings")
        words[name] = tuple(value)
    pieces: dict[str, str] = {}
    for name, value in data.get("pieces", {}).items():
        if not _REF.fullmatch("{" + name + "}"):
            raise VocabularyError(f"{path}: pieces.{name}", "names are lower-case letters, digits and _")
        if not isinstance(value, str):
            raise VocabularyError(f"{path}: pieces.{name}", "expected a regular expression string")
        pieces[name] = value
    vocab = Vocabulary(words, pieces)
    for name in pieces:  # every piece must expand and compile
        try:
            re.compile(vocab.expand("{" + name + "}", f"{path}: pieces.{name}"))
        except re.error as exc:
            raise VocabularyError(f"{path}: pieces.{name}", exc.msg) from None
    return vocab
