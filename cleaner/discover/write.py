"""Proposals as rule files in the normal ``rules/<id>.toml`` format, loaded back to be sure.

Patterns are written as TOML literal strings ('''…''') like the bundled
rules, so a backslash reads as itself; examples as multi-line basic strings
with every character that TOML would alter escaped. Each written file is
loaded back with :func:`cleaner.rules.load_rule_file` and compared with what
was meant to be written.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..files import write_atomic
from ..rules import RuleError, load_rule_file
from .propose import Proposal

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}


def basic_string(text: str, multiline: bool = False) -> str:
    """A TOML basic string holding exactly ``text`` (multi-line when asked and useful)."""
    out: list[str] = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch == "\n":
            out.append("\n" if multiline else "\\n")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    body = "".join(out)
    # A newline right after the opening quotes would be trimmed by TOML, so one is added for it.
    return f'"""\n{body}"""' if multiline else f'"{body}"'


def pattern_string(pattern: str) -> str:
    """A regular expression as a literal string when it can be one, else a basic string."""
    plain = all(ch == "\t" or (ord(ch) >= 0x20 and ord(ch) != 0x7F) for ch in pattern)
    if plain and "'''" not in pattern and not pattern.endswith("'"):
        return f"'''{pattern}'''"
    return basic_string(pattern)


def _value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return basic_string(value, multiline="\n" in value)
    if isinstance(value, list):
        # Every list a discovered rule holds is a list of patterns.
        return "[\n" + "".join(f"  {pattern_string(v)},\n" for v in value) + "]"
    raise TypeError(f"{key}: cannot write {type(value).__name__}")


def rule_toml(data: Mapping[str, Any]) -> str:
    lines = [f"{key} = {_value(key, data[key])}" for key in ("id", "summary", "kind", "description") if key in data]
    lines += ["", "[match]"]
    lines += [f"{key} = {_value(key, value)}" for key, value in data["match"].items()]
    for example in data["examples"]:
        lines += ["", "[[examples]]"]
        lines += [f"{key} = {_value(key, example[key])}" for key in ("name", "input", "output") if key in example]
    return "\n".join(lines) + "\n"


def write_proposals(proposals: Sequence[Proposal], out_dir: Path) -> list[Path]:
    """Write one ``<id>.toml`` per proposal into ``out_dir``; raise if any file does not load back as meant."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for proposal in proposals:
        path = out_dir / f"{proposal.id}.toml"
        text = rule_toml(proposal.data)
        write_atomic(path, text.encode("utf-8"))
        _check_round_trip(path, text, proposal.data)
        written.append(path)
    return written


def _check_round_trip(path: Path, text: str, data: Mapping[str, Any]) -> None:
    rule = load_rule_file(path)  # the same loader `cleaner clean --rules` uses
    if tomllib.loads(text) != _plain(data):
        raise RuleError(path, "", "written file does not read back as proposed (a bug in cleaner discover)")
    if [(e.name, e.input, e.output) for e in rule.examples] != [
        (e["name"], e["input"], e.get("output")) for e in data["examples"]
    ]:
        raise RuleError(path, "examples", "examples do not read back as proposed (a bug in cleaner discover)")


def _plain(value: Any) -> Any:
    # Mappings and sequences as tomllib returns them (dicts and lists).
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Iterable) and not isinstance(value, str):
        return [_plain(v) for v in value]
    return value
