"""Every example in every bundled rule file runs as a test."""

from __future__ import annotations

import pytest

from cleaner import Cleaner, load_rules
from cleaner.examples import check_example

RULES = load_rules()
EXAMPLES = [(rule, ex) for rule in RULES for ex in rule.examples]
FULL = Cleaner()


@pytest.mark.parametrize(("rule", "example"), EXAMPLES, ids=[f"{r.id}:{e.name}" for r, e in EXAMPLES])
def test_example(rule, example) -> None:
    failure = check_example(rule, example)
    assert failure is None, f"{failure.message}\nexpected: {failure.expected!r}\ngot:      {failure.got!r}"


KEEPS = [(rule, ex) for rule, ex in EXAMPLES if ex.output is None]


@pytest.mark.parametrize(("rule", "example"), KEEPS, ids=[f"{r.id}:{e.name}" for r, e in KEEPS])
def test_must_keep_examples_survive_every_rule(rule, example) -> None:
    # Body traps written for one rule must not be eaten by any other rule either.
    assert FULL.clean(example.input).text == example.input


def test_every_rule_has_both_kinds_of_example() -> None:
    for rule in RULES:
        assert any(e.output is not None for e in rule.examples), rule.id
        assert any(e.output is None for e in rule.examples), rule.id


def test_bundled_rules_cover_every_kind_of_junk() -> None:
    ids = {r.id for r in RULES}
    assert {
        "vendor-header",
        "contact-line",
        "paywall-marker",
        "page-footer",
        "platform-chrome",
        "invisible-chars",
        "repair-mojibake",
    } <= ids
