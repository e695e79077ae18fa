"""Project configuration: ``cleaner.toml`` or ``[tool.cleaner]`` in ``pyproject.toml``.

Found in the current folder or the nearest parent (not above a folder that
holds ``.git``). Command-line flags win over it. Unknown keys and wrong types
are errors naming the file and the key. Relative rule folders are resolved
against the configuration file's folder.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rules: tuple[Path, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_removal: float | None = None
    jobs: int | None = None
    text_field: str | None = None
    keep: tuple[str, ...] = ()
    force_exclude: bool | None = None


_LISTS = ("select", "ignore", "rules", "include", "exclude", "keep")
KEYS = (*_LISTS, "max-removal", "jobs", "text-field", "force-exclude")


def find_config(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "cleaner.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "cleaner" in _load(pyproject).get("tool", {}):
            return pyproject
        if (folder / ".git").exists():
            return None
    return None


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """Read ``path`` (or the one found from ``start``/the current folder); defaults when none."""
    if path is None:
        path = find_config((start or Path.cwd()).resolve())
        if path is None:
            return Config()
    data = _load(path)
    if path.name == "pyproject.toml":
        table, prefix = data.get("tool", {}).get("cleaner", {}), "tool.cleaner."
    elif "tool" in data and isinstance(data["tool"], dict) and "cleaner" in data["tool"]:
        # The pyproject.toml form copied into cleaner.toml: take it, unless it is mixed with the plain form.
        others = [k for k in data if k != "tool"]
        if others or set(data["tool"]) != {"cleaner"}:
            raise ConfigError(
                f"{path}: tool: cleaner.toml takes its keys at the top level (or all of them under [tool.cleaner]); "
                f"found both"
                if others
                else f"{path}: tool: only [tool.cleaner] may appear under [tool]"
            )
        table, prefix = data["tool"]["cleaner"], "tool.cleaner."
    else:
        table, prefix = data, ""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {prefix.rstrip('.') or 'cleaner'}: expected a table")
    return _parse(table, path, prefix)


def _load(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _parse(table: dict[str, Any], path: Path, prefix: str) -> Config:
    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(f"{path}: {prefix}{key}: {message}")

    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in KEYS:
            raise fail(key, f"unknown key (expected one of: {', '.join(KEYS)})")
        if key in _LISTS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise fail(key, "expected a list of strings")
            if key == "rules":
                values["rules"] = tuple((path.parent / v).resolve() for v in value)
            else:
                values[key] = tuple(value)
        elif key == "max-removal":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:  # nan fails too
                raise fail(key, "expected a number from 0 to 1")
            values["max_removal"] = float(value)
        elif key == "jobs":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise fail(key, "expected a whole number of at least 1")
            values["jobs"] = value
        elif key == "text-field":
            if not isinstance(value, str) or not value:
                raise fail(key, "expected a non-empty string")
            values["text_field"] = value
        elif key == "force-exclude":
            if not isinstance(value, bool):
                raise fail(key, "expected true or false")
            values["force_exclude"] = value
    if "keep" in values:
        from .keep import KeepError, compile_keep

        try:
            compile_keep(values["keep"])
        except KeepError as exc:
            raise fail(f"keep[{exc.index}]", exc.message) from None
    return Config(path=path, **values)
