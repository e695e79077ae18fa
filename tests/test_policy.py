"""The removal policy of DESIGN.md, one clause at a time, with a tiny rule set."""

from __future__ import annotations

import pytest

from cleaner import Cleaner
from cleaner.rules import parse_rule

JUNK = parse_rule(
    {
        "id": "junk",
        "summary": "test rule: lines reading JUNK",
        "kind": "drop-lines",
        "match": {"patterns": ["^JUNK$"]},
        "examples": [{"name": "a", "input": "JUNK\nx\n", "output": "x\n"}, {"name": "b", "input": "x\n"}],
    },
    "junk.toml",
)
MARK = parse_rule(
    {
        "id": "mark",
        "summary": "test rule: strip @@",
        "kind": "strip-inline",
        "match": {"patterns": ["@@"]},
        "examples": [{"name": "a", "input": "a@@b\n", "output": "ab\n"}, {"name": "b", "input": "x\n"}],
    },
    "mark.toml",
)
CLEANER = Cleaner([JUNK, MARK], max_removal=None)  # the policy cases remove whole texts: no removal guard


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # a removed line goes with its terminator
        ("a\nJUNK\nb\n", "a\nb\n"),
        ("a\r\nJUNK\r\nb\r\n", "a\r\nb\r\n"),
        # a line emptied by inline removals goes too
        ("a\n@@\nb\n", "a\nb\n"),
        ("a\n  @@ @@ \nb\n", "a\nb\n"),
        # blank lines enclosed between removed lines belong to the removal
        ("JUNK\n\n\nJUNK\ntitle\n", "title\n"),
        ("a\nJUNK\n\nJUNK\nb\n", "a\nb\n"),
        # blank lines left at the very start are dropped
        ("JUNK\n\n\ntitle\n", "title\n"),
        ("\n\nJUNK\ntitle\n", "title\n"),
        # blank lines left at the end collapse to the final newline
        ("body\n\nJUNK\n\n", "body\n"),
        ("body\n\nJUNK\n\n\n", "body\n"),
        ("body\n\nJUNK", "body"),
        ("body\nJUNK", "body"),
        ("body\r\n\r\nJUNK\r\n", "body\r\n"),
        # joined runs of blank lines: no longer than the longer run
        ("a\n\nJUNK\n\nb\n", "a\n\nb\n"),
        ("a\n\n\nJUNK\n\nb\n", "a\n\n\nb\n"),
        ("a\n\nJUNK\n\n\nb\n", "a\n\n\nb\n"),
        ("title\nJUNK\n\nbody\n", "title\n\nbody\n"),
        ("title\n\nJUNK\nbody\n", "title\n\nbody\n"),
        # nothing else is touched
        ("a  \n\n\n\nb\u3000\n", "a  \n\n\n\nb\u3000\n"),
        ("no final newline", "no final newline"),
        # everything removed
        ("JUNK\n\nJUNK\n", ""),
    ],
)
def test_policy(before: str, after: str) -> None:
    result = CLEANER.clean(before)
    assert result.text == after
    assert CLEANER.clean(after).text == after


def test_edits_carry_rule_position_and_text() -> None:
    text = "title\nJUNK\nbody@@more\n"
    result = CLEANER.clean(text)
    assert [(e.rule, e.start, e.end, e.text) for e in result.edits] == [
        ("junk", 6, 11, "JUNK\n"),
        ("mark", 15, 17, "@@"),
    ]
    for edit in result.edits:
        assert text[edit.start : edit.end] == edit.text


def test_rule_counts() -> None:
    assert CLEANER.clean("JUNK\na@@b@@\nJUNK\nc\n").rule_counts() == {"junk": 2, "mark": 2}
