"""Run the examples a rule file carries: each must change exactly, or stay unchanged."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .engine import Cleaner
from .rules import Example, Rule


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    rule: str
    example: str
    message: str
    expected: str
    got: str


def check_example(rule: Rule, example: Example) -> ExampleFailure | None:
    """Run ``example`` through ``rule`` alone; ``None`` when it behaves as written."""
    cleaner = Cleaner([rule], select=[rule.id], max_removal=None)
    want = example.input if example.output is None else example.output
    got = cleaner.clean(example.input).text
    if got != want:
        what = "must stay unchanged" if example.output is None else "output differs"
        return ExampleFailure(rule.id, example.name, what, want, got)
    again = cleaner.clean(got).text
    if again != got:
        return ExampleFailure(rule.id, example.name, "not stable: cleaning the output changes it again", got, again)
    return None


def check_rules(rules: Iterable[Rule]) -> Iterator[tuple[Rule, Example, ExampleFailure | None]]:
    for rule in rules:
        for example in rule.examples:
            yield rule, example, check_example(rule, example)
