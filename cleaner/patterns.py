"""Compiling patterns that come from the user (keep patterns on the command line or in the configuration)."""

from __future__ import annotations

import re


class PatternError(ValueError):
    pass


def compile_user(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise PatternError(f"{exc}") from None
