"""Rules are data: one ``<id>.toml`` file per rule, validated and compiled on load."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .kinds import KINDS
from .kinds.base import Finder, Kind, Marks
from .lines import Lines
from .patterns import patterns_from_user, user_patterns
from .schema import Param, SchemaError, current_vocabulary, validate, vocabulary_in_use
from .vocabulary import EMPTY, FILE_NAME, Vocabulary, VocabularyError, load_vocabulary

PHASES = ("repair", "remove")

_TOP = {
    "id": Param("str", "The rule id; must equal the file name.", required=True),
    "summary": Param("str", "One line saying what the rule removes.", required=True),
    "kind": Param("str", "Which kind of code runs the rule.", required=True, choices=tuple(sorted(KINDS))),
    "description": Param("str", "Longer notes: what it removes, what it must keep.", default=""),
    "phase": Param("str", "When it runs: repair (before) or remove.", choices=PHASES),
    "order": Param("int", "Order among the rules of one phase (lower first).", default=100),
    "enabled": Param("bool", "Whether the rule runs unless selected explicitly.", default=True),
    "anchors_blocks": Param(
        "bool", "Whether block rules may build on the lines it removes (default: as its kind says)."
    ),
}
_EXAMPLE = {
    "name": Param("str", "What the example shows.", required=True),
    "input": Param("str", "Text given to the rule alone.", required=True),
    "output": Param("str", "Exact expected text; without it the input must stay unchanged."),
}


class RuleError(ValueError):
    """A rule file is wrong: ``path: key: message``."""

    def __init__(self, path: Path | str, key: str, message: str) -> None:
        where = f"{path}: {key}: " if key else f"{path}: "
        super().__init__(where + message)
        self.path = str(path)
        self.key = key
        self.message = message


@dataclass(frozen=True, slots=True)
class Example:
    name: str
    input: str
    output: str | None  # None: must stay unchanged


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """What a rule was built from, so it can be built again anywhere (a pickled Cleaner, a Ray worker):
    the file's data, its path (for messages), the vocabulary in use and whether it is a user's rule."""

    data: Mapping[str, Any]
    path: str
    vocabulary: Vocabulary
    user: bool

    def build(self) -> Rule:
        with vocabulary_in_use(self.vocabulary), user_patterns(self.user):
            return parse_rule(self.data, self.path)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    summary: str
    kind: Kind
    phase: str
    order: int
    enabled: bool
    params: Mapping[str, Any]
    examples: tuple[Example, ...]
    source: str  # the file it came from
    description: str = ""
    finder: Finder | None = None
    anchors_blocks: bool = True  # block rules may build on the lines it removes (see Kind.anchors_blocks)
    spec: RuleSpec | None = None  # what it was built from (None: built by hand from a Kind)

    def find(self, lines: Lines) -> Marks:
        assert self.finder is not None
        return self.finder(lines)


def bundled_rules_dir() -> Path:
    """The rules shipped with the package (the repository's ``rules/`` in a checkout)."""
    here = Path(__file__).resolve().parent
    installed = here / "_rules"
    return installed if installed.is_dir() else here.parent / "rules"


@lru_cache(maxsize=1)
def _bundled_vocabulary() -> Vocabulary:
    # Read once a process: every rule file loaded on its own (a pickled Cleaner) needs it.
    bundled = bundled_rules_dir() / FILE_NAME
    return _load_vocabulary(bundled) if bundled.is_file() else EMPTY


def folder_vocabulary(folder: Path, base: Vocabulary | None = None) -> Vocabulary:
    """``base`` (the bundled vocabulary by default) with ``folder``'s own vocabulary.toml added."""
    base = _bundled_vocabulary() if base is None else base
    own = folder / FILE_NAME
    if own.is_file() and own.resolve() != (bundled_rules_dir() / FILE_NAME).resolve():
        return base.merged(_load_vocabulary(own))
    return base


def _load_vocabulary(path: Path) -> Vocabulary:
    try:
        return load_vocabulary(path)
    except VocabularyError as exc:
        raise RuleError(path, exc.key.removeprefix(f"{path}: ").removeprefix(str(path)), exc.message) from None


def load_rule_file(path: Path, vocabulary: Vocabulary | None = None) -> Rule:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(path, "", f"cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(path, "", f"not valid TOML: {exc}") from None
    vocab = vocabulary if vocabulary is not None else folder_vocabulary(path.parent)
    # A user's rule runs its patterns by RE2 where it can (see cleaner.patterns): it cannot hang a run.
    with vocabulary_in_use(vocab), user_patterns(not _bundled(path)):
        return parse_rule(data, path)


def _bundled(path: Path) -> bool:
    return path.resolve().parent == bundled_rules_dir().resolve()


def parse_rule(data: Mapping[str, Any], path: Path | str) -> Rule:
    top = {k: v for k, v in data.items() if k not in ("match", "examples")}
    try:
        head = validate(_TOP, top, "").copy()
    except SchemaError as exc:
        raise RuleError(path, exc.key.lstrip("."), exc.message) from None
    stem = Path(path).stem
    if head["id"] != stem:
        raise RuleError(path, "id", f"must equal the file name {stem!r}, got {head['id']!r}")
    kind = KINDS[head["kind"]]
    try:
        params = validate(kind.schema, data.get("match", {}), "match")
    except SchemaError as exc:
        raise RuleError(path, exc.key, exc.message) from None
    raw_examples = data.get("examples", [])
    if not isinstance(raw_examples, list):
        raise RuleError(path, "examples", "expected an array of tables ([[examples]])")
    examples: list[Example] = []
    for i, raw in enumerate(raw_examples):
        try:
            ex = validate(_EXAMPLE, raw, f"examples[{i}]")
        except SchemaError as exc:
            raise RuleError(path, exc.key, exc.message) from None
        examples.append(Example(ex["name"], ex["input"], ex["output"]))
    if not any(e.output is not None for e in examples):
        raise RuleError(path, "examples", "needs at least one example with an output (must change)")
    if not any(e.output is None for e in examples):
        raise RuleError(path, "examples", "needs at least one example without output (must stay unchanged)")
    return Rule(
        id=head["id"],
        summary=head["summary"],
        kind=kind,
        phase=head["phase"] or kind.phase,
        order=head["order"],
        enabled=head["enabled"],
        params=params,
        examples=tuple(examples),
        source=str(path),
        description=head["description"],
        finder=_build(kind, params, path),
        anchors_blocks=kind.anchors_blocks if head["anchors_blocks"] is None else head["anchors_blocks"],
        spec=RuleSpec(data, str(path), current_vocabulary(), patterns_from_user()),
    )


def _build(kind: Kind, params: Mapping[str, Any], path: Path | str) -> Finder:
    try:
        return kind.build(params)
    except SchemaError as exc:
        raise RuleError(path, exc.key, exc.message) from None


def load_rules(*dirs: Path | str, bundled: bool = True) -> list[Rule]:
    """Load the bundled rules (unless ``bundled=False``) and every ``*.toml`` in ``dirs``.

    A rule in a later folder with the id of an earlier one replaces it, so a
    user can override a bundled rule. Raises :class:`RuleError` on the first
    bad file; use :func:`load_rules_collecting` to gather every error.
    """
    rules, errors = load_rules_collecting(*dirs, bundled=bundled)
    if errors:
        raise errors[0]
    return rules


def load_rules_collecting(*dirs: Path | str, bundled: bool = True) -> tuple[list[Rule], list[RuleError]]:
    folders = ([bundled_rules_dir()] if bundled else []) + [Path(d) for d in dirs]
    by_id: dict[str, Rule] = {}
    errors: list[RuleError] = []
    vocab: Vocabulary | None = None
    for folder in folders:
        if not folder.is_dir():
            errors.append(RuleError(folder, "", "not a folder of rule files"))
            continue
        try:
            vocab = folder_vocabulary(folder, vocab)
        except RuleError as exc:
            errors.append(exc)
            continue
        for path in sorted(folder.glob("*.toml")):
            if path.name == FILE_NAME:
                continue  # the folder's vocabulary, not a rule
            try:
                rule = load_rule_file(path, vocab)
            except RuleError as exc:
                errors.append(exc)
                continue
            by_id[rule.id] = rule
    return sort_rules(by_id.values()), errors


def sort_rules(rules: Iterable[Rule]) -> list[Rule]:
    return sorted(rules, key=lambda r: (PHASES.index(r.phase), r.order, r.id))


def select_rules(rules: Sequence[Rule], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """Pick rules by id: ``select`` (if given) replaces the enabled set, ``ignore`` removes.

    Unknown ids raise ``KeyError`` with the list of valid ids.
    """
    select, ignore = list(select), list(ignore)
    known = {r.id for r in rules}
    unknown = [i for i in select + ignore if i not in known]
    if unknown:
        raise KeyError(f"unknown rule id {', '.join(unknown)}; valid ids: {', '.join(sorted(known))}")
    chosen = [r for r in rules if (r.id in select if select else r.enabled)]
    return [r for r in chosen if r.id not in ignore]
