"""datatrove: a ``PipelineStep`` that cleans ``Document.text`` and counts what it did.

    from datatrove.executor import LocalPipelineExecutor
    from cleaner.adapters.datatrove import CleanerStep
    LocalPipelineExecutor(pipeline=[reader, CleanerStep(), writer], tasks=4).run()

Stats (datatrove's own, per task): ``total``, ``changed``, ``refused``,
``chars_removed`` and one ``rule:<id>`` counter per rule that fired.
"""

from __future__ import annotations

from typing import Any

from datatrove.pipeline.base import PipelineStep

from ..decision import PROVENANCE_FIELD, decide
from ..engine import Cleaner


class CleanerStep(PipelineStep):  # type: ignore[misc,unused-ignore]
    name = "🧹 cleaner"
    type = "✂️ - FORMAT"

    def __init__(self, cleaner: Cleaner | None = None, provenance: bool = False) -> None:
        super().__init__()
        self.cleaner = cleaner if cleaner is not None else Cleaner()  # pickles as its rule specs to each task
        self.provenance = provenance

    def run(self, data: Any, rank: int = 0, world_size: int = 1) -> Any:
        for doc in data:
            self.stat_update("total")
            with self.track_time():
                decision = decide(self.cleaner, doc.text)
            if decision.refused:
                self.stat_update("refused")
            if decision.changed:
                self.stat_update("changed")
                self.stat_update("chars_removed", value=decision.removed_chars)
                for rule, n in decision.counts.items():
                    self.stat_update(f"rule:{rule}", value=n)
            doc.text = decision.text
            if self.provenance:
                doc.metadata[PROVENANCE_FIELD] = decision.provenance(self.cleaner)
            yield doc
