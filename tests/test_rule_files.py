"""Rule files a person can read: no line over 160 characters, long patterns written in pieces."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.rules import RuleError, bundled_rules_dir, load_rule_file

MAX_CHARS = 160
# Files still waiting to be wrapped; each leaves this list once it is (the test below
# fails as soon as a listed file has no long line left, so the list cannot go stale).
NOT_YET_WRAPPED: set[str] = set()


def _long_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [f"{path.name}:{i} ({len(line)} characters)" for i, line in enumerate(lines, 1) if len(line) > MAX_CHARS]


def test_no_rule_line_is_longer_than_160_characters() -> None:
    files = sorted(bundled_rules_dir().glob("*.toml"))
    assert len(files) > 10
    too_long = [hit for path in files if path.name not in NOT_YET_WRAPPED for hit in _long_lines(path)]
    assert too_long == [], "wrap these (a pattern may be an array of pieces): " + ", ".join(too_long)


@pytest.mark.parametrize("name", sorted(NOT_YET_WRAPPED))
def test_the_files_not_yet_wrapped_are_still_long(name: str) -> None:
    assert _long_lines(bundled_rules_dir() / name), f"{name} is wrapped now: take it off NOT_YET_WRAPPED"


def _rule(tmp_path: Path, match: str) -> Path:
    path = tmp_path / "r.toml"
    path.write_text(
        f'id = "r"\nsummary = "s"\nkind = "drop-lines"\n[match]\n{match}\n'
        '[[examples]]\nname = "a"\ninput = "ab\\n"\noutput = ""\n[[examples]]\nname = "b"\ninput = "a\\n"\n',
        encoding="utf-8",
    )
    return path


def test_a_pattern_may_be_written_as_an_array_of_pieces(tmp_path: Path) -> None:
    rule = load_rule_file(_rule(tmp_path, "patterns = [['''^a''', '''b$''']]"))
    assert [p.pattern for p in rule.params["patterns"]] == ["^ab$"]
    assert rule.finder is not None
    from cleaner import Cleaner

    assert Cleaner([rule], select=["r"]).clean("ab\na\n").text == "a\n"


def test_pieces_must_be_strings(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match=r"match\.patterns\[0\]: expected a regular expression string or an array"):
        load_rule_file(_rule(tmp_path, "patterns = [['''^a''', 3]]"))
