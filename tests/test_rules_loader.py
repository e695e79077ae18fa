"""Rule files are validated on load; errors name the file, the key and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.rules import RuleError, bundled_rules_dir, load_rule_file, load_rules

GOOD = """\
id = "{id}"
summary = "test"
kind = "drop-lines"
[match]
patterns = ['''^JUNK$''']
[[examples]]
name = "goes"
input = "JUNK\\nx\\n"
output = "x\\n"
[[examples]]
name = "stays"
input = "x\\n"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_rule_loads(tmp_path: Path) -> None:
    rule = load_rule_file(write(tmp_path, "r", GOOD.format(id="r")))
    assert rule.id == "r" and rule.kind.name == "drop-lines" and len(rule.examples) == 2


@pytest.mark.parametrize(
    ("edit", "key", "message"),
    [
        (
            lambda t: t.replace("patterns = ['''^JUNK$''']", "patterns = ['''^JUNK$''', '''a''', '''(unclosed''']"),
            "match.patterns[2]",
            "missing ), unterminated subpattern at 0",
        ),
        (lambda t: t.replace("[match]", "[match]\nmax_char = 3"), "match.max_char", "unknown key"),
        (
            lambda t: t.replace("[match]", "[match]\nmax_chars = 'ten'"),
            "match.max_chars",
            "expected an integer, got a string",
        ),
        (lambda t: t.replace('kind = "drop-lines"', 'kind = "drop-everything"'), "kind", "expected one of"),
        (lambda t: t.replace('summary = "test"', 'summary = "test"\ncolour = "red"'), "colour", "unknown key"),
        (lambda t: t.replace('id = "r"', 'id = "other"'), "id", "must equal the file name"),
        (lambda t: t.replace('output = "x\\n"', ""), "examples", "at least one example with an output"),
        (lambda t: t.replace("patterns = ['''^JUNK$''']", ""), "match.patterns", "missing required key"),
        (
            lambda t: t.replace('[[examples]]\nname = "stays"', '[[examples]]\nnam = "stays"'),
            "examples[1].nam",
            "unknown key",
        ),
    ],
)
def test_errors_name_file_key_and_reason(tmp_path: Path, edit, key: str, message: str) -> None:
    path = write(tmp_path, "r", edit(GOOD.format(id="r")))
    with pytest.raises(RuleError) as info:
        load_rule_file(path)
    assert info.value.key == key
    assert message in info.value.message
    assert str(info.value).startswith(f"{path}: {key}: ")


def test_toml_syntax_error(tmp_path: Path) -> None:
    path = write(tmp_path, "r", "id = \n")
    with pytest.raises(RuleError, match="not valid TOML"):
        load_rule_file(path)


def test_user_folder_adds_and_overrides(tmp_path: Path) -> None:
    write(tmp_path, "r", GOOD.format(id="r"))
    override = GOOD.format(id="page-footer").replace('summary = "test"', 'summary = "mine"')
    write(tmp_path, "page-footer", override)
    rules = {r.id: r for r in load_rules(tmp_path)}
    assert "r" in rules and rules["page-footer"].summary == "mine"
    assert "contact-line" in rules


def test_bundled_rules_found() -> None:
    files = [p.stem for p in bundled_rules_dir().glob("*.toml") if p.name != "vocabulary.toml"]
    assert sorted(files) == sorted(r.id for r in load_rules())
