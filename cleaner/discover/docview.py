"""An example document seen line by line, each line with its matching key."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..lines import Lines
from .normalize import countable_form, line_key, visible
from .survey import ExampleDoc


@dataclass(frozen=True)
class DocView:
    ordinal: int
    label: str
    lines: Lines  # split exactly as the engine splits, offsets into the original text
    keys: tuple[int | None, ...]  # per line: the key of a countable line, else None

    @classmethod
    def of(cls, doc: ExampleDoc) -> DocView:
        lines = Lines(doc.text)
        keys: list[int | None] = []
        for line in lines:
            normalized = countable_form(line.content)
            keys.append(line_key(normalized) if normalized is not None else None)
        return cls(doc.ordinal, doc.label, lines, tuple(keys))

    @cached_property
    def nonblank(self) -> tuple[int, ...]:
        """Indices of the lines with visible content."""
        return tuple(line.index for line in self.lines if visible(line.content).strip())

    def indices(self, key: int) -> list[int]:
        return [i for i, k in enumerate(self.keys) if k == key]
