"""data-juicer: a batched ``Mapper`` registered as ``cleaner_mapper``, for YAML recipes.

    # recipe.yaml
    dataset_path: corpus.jsonl
    export_path: cleaned.jsonl
    custom_operator_paths: ['<site-packages>/cleaner/adapters/data_juicer_mapper.py']  # or import it first
    process:
      - cleaner_mapper:
          max_removal: 0.6     # optional, as --max-removal
          select: []           # optional rule ids, as --select
          ignore: []           # optional, as --ignore

Importing this module registers the operator. (Not named data_juicer.py: data-juicer loads a file
by path under its stem as module name, and that one is taken by data-juicer itself.)
"""

from __future__ import annotations

from typing import Any

from data_juicer.ops.base_op import OPERATORS, Mapper

from cleaner.adapters.texts import clean_texts  # absolute: data-juicer may load this file by path
from cleaner.batch import DEFAULT_MAX_REMOVAL
from cleaner.engine import Cleaner

NAME = "cleaner_mapper"


@OPERATORS.register_module(NAME, force=True)  # force: loaded by path and imported, it registers twice
class CleanerMapper(Mapper):  # type: ignore[misc,unused-ignore]
    """Strip vendor boilerplate from each sample's text with the cleaner's rules."""

    _batched_op = True

    def __init__(
        self,
        max_removal: float = DEFAULT_MAX_REMOVAL,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cleaner = Cleaner(select=select or (), ignore=ignore or (), max_removal=max_removal)

    def process_batched(self, samples: dict[str, Any]) -> dict[str, Any]:
        samples[self.text_key] = clean_texts(self.cleaner, samples[self.text_key]).texts
        return samples
