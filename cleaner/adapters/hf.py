"""Hugging Face ``datasets``: a function for ``Dataset.map(batched=True)``.

    from cleaner.adapters.hf import clean_batch
    ds = ds.map(clean_batch, batched=True)                       # the bundled rules, field "text"
    ds = ds.map(clean_batch, batched=True, fn_kwargs={"text_field": "content", "provenance": True})

Every column is returned as it came except the text field (and, with
``provenance``, the ``cleaner_provenance`` column: the audit as JSON).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..decision import PROVENANCE_FIELD
from ..engine import Cleaner
from .texts import clean_texts

_default: Cleaner | None = None


def clean_batch(
    batch: Mapping[str, list[Any]], text_field: str = "text", cleaner: Cleaner | None = None, provenance: bool = False
) -> dict[str, list[Any]]:
    """Clean ``batch[text_field]`` (a batch as ``datasets`` hands it to a batched map)."""
    global _default
    if cleaner is None:
        if _default is None:
            _default = Cleaner()  # compiled once per process, not once per batch
        cleaner = _default
    done = clean_texts(cleaner, batch[text_field], provenance=provenance)
    out = {text_field: done.texts}
    if done.provenance is not None:
        out[PROVENANCE_FIELD] = done.provenance
    return out
