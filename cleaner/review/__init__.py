"""Reviewing what cleaning would do: diff views, explain listings and the HTML report.

Everything here renders from the engine's edits (``CleanResult.edits``) and
never re-diffs the texts to guess what changed.
"""

from .diff import FORMATS, run_diff
from .explain import Entry, explain

__all__ = ["FORMATS", "Entry", "explain", "run_diff"]
