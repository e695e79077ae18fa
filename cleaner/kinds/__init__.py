"""The registry of rule kinds: each is one small module with a pure finder."""

from __future__ import annotations

from .base import Kind, Marks, Span
from .drop_block import KIND as DROP_BLOCK
from .drop_lines import KIND as DROP_LINES
from .drop_repeated_lines import KIND as DROP_REPEATED_LINES
from .fix_cjk_mojibake import KIND as FIX_CJK_MOJIBAKE
from .fix_mojibake import KIND as FIX_MOJIBAKE
from .score_lines import KIND as SCORE_LINES
from .strip_inline import KIND as STRIP_INLINE

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (DROP_BLOCK, DROP_LINES, DROP_REPEATED_LINES, STRIP_INLINE, FIX_MOJIBAKE, FIX_CJK_MOJIBAKE, SCORE_LINES)
}

__all__ = ["KINDS", "Kind", "Marks", "Span"]
