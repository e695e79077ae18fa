"""Totals over a run: files by status, removals per rule, characters removed."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .batch import Outcome
from .decision import Stats
from .names import shown


@dataclass(slots=True)
class Summary:
    """Files by status and what is read, over one :class:`Stats` of every decided document.

    The counts of edits, removals, kept lines and mojibake left are the
    documents' (``stats``, merged from each outcome): one way of counting,
    the one every engine uses.
    """

    changed: int = 0  # files by status
    unchanged: int = 0
    refused: int = 0
    failed: int = 0
    skipped: int = 0  # named on the command line but missing
    bytes_read: int = 0
    records: int = 0  # corpora: records read (malformed ones too)
    records_changed: int = 0  # corpora: the records among the changed documents
    problems: int = 0
    stats: Stats = field(default_factory=Stats)
    files: list[dict[str, Any]] = field(default_factory=list)
    keep_files: bool = True  # keep an entry per file (for --report); off, memory stays flat

    @property
    def chars_removed(self) -> int:
        return self.stats.chars_removed

    @property
    def kept(self) -> int:
        """Lines keep patterns saved."""
        return self.stats.kept

    @property
    def beyond_repair(self) -> int:
        """Mojibake spots no rule can repair, kept as they are."""
        return self.stats.beyond_repair

    @property
    def rules(self) -> dict[str, int]:
        """Edits per rule."""
        return self.stats.rules

    def add(self, outcome: Outcome) -> None:
        status = outcome.status
        setattr(self, status, getattr(self, status) + 1)
        stats = outcome.stats
        self.stats.merge(stats)
        self.bytes_read += outcome.size
        self.records += outcome.records
        records_changed = stats.changed if outcome.records else 0  # a text file is no record
        self.records_changed += records_changed
        self.problems += outcome.problem_count or len(outcome.problems)
        if not self.keep_files:
            return
        entry: dict[str, Any] = {
            "path": shown(outcome.source.path),
            "status": status,
            "edits": dict(sorted(stats.rules.items())),
            "chars_removed": stats.chars_removed,
        }
        if outcome.records:
            entry.update(records=outcome.records, records_changed=records_changed)
        if outcome.problems:
            entry["problems"] = list(outcome.problems)
        if outcome.error:
            entry["error"] = outcome.error
        if outcome.refused:
            entry["refused"] = outcome.refused
        if stats.kept:
            entry["kept"] = stats.kept  # lines a keep pattern saved in this file (or corpus)
        if stats.beyond_repair:
            entry["beyond_repair"] = stats.beyond_repair
        self.files.append(entry)

    def extend(self, outcomes: Iterable[Outcome]) -> None:
        for outcome in outcomes:
            self.add(outcome)

    @property
    def edits(self) -> int:
        return self.stats.edits

    def line(self, verb: str) -> str:
        parts = [f"{self.changed} file(s) {verb}", f"{self.unchanged} unchanged"]
        if self.refused:
            parts.append(f"{self.refused} refused by the removal guard")
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        parts.append(f"{self.failed} failed")
        text = ", ".join(parts) + f"; {self.edits} edit(s), {self.chars_removed} character(s) removed."
        if self.kept:
            text += f" {self.kept} line(s) kept by keep patterns."
        if self.beyond_repair:
            text += f" {self.beyond_repair} spot(s) of mojibake beyond repair (锟斤拷, U+FFFD) left as they are."
        if self.records:
            text += f" {self.records_changed} of {self.records} record(s) changed"
            text += f", {self.problems} copied unchanged with a problem." if self.problems else "."
        return text

    def as_json(self) -> dict[str, Any]:
        return {
            "files": {
                "changed": self.changed,
                "unchanged": self.unchanged,
                "refused": self.refused,
                "failed": self.failed,
                "skipped": self.skipped,
            },
            "edits": self.edits,
            "rules": dict(sorted(self.rules.items())),
            "chars_removed": self.chars_removed,
            "bytes_read": self.bytes_read,
            "records": self.records,
            "records_changed": self.records_changed,
            "problems": self.problems,
            "kept": self.kept,
            "beyond_repair": self.beyond_repair,
            "per_file": self.files,
        }

    def write_json(self, path: Path) -> None:
        # Atomic, so a failed run never leaves an empty report; names that are not UTF-8 are escaped.
        from .files import write_atomic

        write_atomic(path, (json.dumps(self.as_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
