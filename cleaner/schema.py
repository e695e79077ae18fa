"""Typed parameters for rule kinds, validated with messages that name the key.

Each kind declares its ``[match]`` table as a mapping of :class:`Param`. The
loader checks every key against it: unknown keys, wrong types and patterns
that do not compile are errors such as ``match.patterns[2]: unbalanced
parenthesis at 14``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from .fold import fold
from .patterns import compile_rule_pattern
from .vocabulary import EMPTY, Vocabulary, VocabularyError

# The vocabulary that ``{name}`` in patterns refers to while rule files load.
_VOCABULARY: ContextVar[Vocabulary] = ContextVar("vocabulary", default=EMPTY)


@contextmanager
def vocabulary_in_use(vocab: Vocabulary) -> Iterator[None]:
    token = _VOCABULARY.set(vocab)
    try:
        yield
    finally:
        _VOCABULARY.reset(token)


def current_vocabulary() -> Vocabulary:
    return _VOCABULARY.get()


class SchemaError(ValueError):
    """A value does not fit its parameter; ``key`` is the dotted path to it."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


_TYPE_NAMES = {
    "str": "a string",
    "int": "an integer",
    "bool": "true or false",
    "pattern": "a regular expression string (or an array of its pieces, joined)",
    "patterns": "a list of regular expression strings (each may be an array of its pieces)",
    "float": "a number",
    "tables": "an array of tables",
    "words": "the name of a vocabulary word list",
    "literals": "a list of strings, or the name of a vocabulary word list",
}


@dataclass(frozen=True, slots=True)
class Param:
    type: str  # one of _TYPE_NAMES
    doc: str
    default: Any = None
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: int | float | None = None
    fields: Mapping[str, Param] | None = None  # the schema of each table of a "tables" param


def compile_pattern(source: object, key: str) -> re.Pattern[str]:
    # A long pattern may be written as an array of pieces, joined as they are (no separator):
    # rule files stay readable, with no line over 160 characters.
    if isinstance(source, list) and source and all(isinstance(piece, str) for piece in source):
        source = "".join(source)
    if not isinstance(source, str):
        raise SchemaError(
            key, f"expected a regular expression string or an array of its pieces, got {_type_of(source)}"
        )
    try:
        return compile_rule_pattern(_VOCABULARY.get().expand(source, key))  # type: ignore[return-value]
    except VocabularyError as exc:
        raise SchemaError(key, exc.message) from None
    except re.error as exc:
        where = f" at {exc.pos}" if exc.pos is not None else ""
        raise SchemaError(key, f"{exc.msg}{where}") from None


def _type_of(value: object) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _check(param: Param, value: object, key: str) -> object:
    kind = param.type
    if kind == "pattern":
        return compile_pattern(value, key)
    if kind == "patterns":
        if not isinstance(value, list):
            raise SchemaError(key, f"expected {_TYPE_NAMES[kind]}, got {_type_of(value)}")
        return tuple(compile_pattern(v, f"{key}[{i}]") for i, v in enumerate(value))
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise SchemaError(key, f"expected an integer, got {_type_of(value)}")
        if param.minimum is not None and value < param.minimum:
            raise SchemaError(key, f"must be at least {param.minimum}, got {value}")
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SchemaError(key, f"expected a number, got {_type_of(value)}")
        if param.minimum is not None and value < param.minimum:
            raise SchemaError(key, f"must be at least {param.minimum}, got {value}")
        return float(value)
    if kind == "tables":
        if not isinstance(value, list):
            raise SchemaError(key, f"expected an array of tables, got {_type_of(value)}")
        assert param.fields is not None
        return tuple(validate(param.fields, v, f"{key}[{i}]") for i, v in enumerate(value))
    if kind == "words":
        if not isinstance(value, str):
            raise SchemaError(key, f"expected the name of a vocabulary word list, got {_type_of(value)}")
        words = _VOCABULARY.get().words
        if value not in words:
            raise SchemaError(key, f"unknown word list {value!r} (known: {', '.join(sorted(words))})")
        return tuple(fold(w) for w in words[value])
    if kind == "literals":
        if isinstance(value, str):
            return _check(Param("words", param.doc), value, key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise SchemaError(key, f"expected {_TYPE_NAMES[kind]}, got {_type_of(value)}")
        return tuple(fold(v) for v in value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise SchemaError(key, f"expected true or false, got {_type_of(value)}")
        return value
    if kind == "str":
        if not isinstance(value, str):
            raise SchemaError(key, f"expected a string, got {_type_of(value)}")
        if param.choices and value not in param.choices:
            raise SchemaError(key, f"expected one of {', '.join(param.choices)}, got {value!r}")
        return value
    raise AssertionError(f"unknown parameter type {kind}")  # a bug in a kind's schema


def validate(schema: Mapping[str, Param], table: object, prefix: str) -> dict[str, Any]:
    """Check ``table`` against ``schema``; return values with defaults and compiled patterns."""
    if not isinstance(table, dict):
        raise SchemaError(prefix, f"expected a table, got {_type_of(table)}")
    for key in table:
        if key not in schema:
            known = ", ".join(sorted(schema))
            raise SchemaError(f"{prefix}.{key}", f"unknown key (expected one of: {known})")
    out: dict[str, Any] = {}
    for name, param in schema.items():
        key = f"{prefix}.{name}"
        if name in table:
            out[name] = _check(param, table[name], key)
        elif param.required:
            raise SchemaError(key, "missing required key")
        elif param.type == "patterns":
            out[name] = tuple(compile_pattern(v, key) for v in (param.default or ()))
        elif param.type == "tables":
            out[name] = ()
        elif param.type == "pattern" and param.default is not None:
            out[name] = compile_pattern(param.default, key)
        else:
            out[name] = param.default
    return out
