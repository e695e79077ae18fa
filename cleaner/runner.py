"""A cleanup pass over many sources: text files in parallel, JSONL corpora as streams.

Outcomes come back in source order whatever ``jobs`` is, so what a run
prints and writes does not depend on parallelism.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .batch import Mode, Outcome, process
from .corpus import process_jsonl
from .engine import Cleaner
from .files import STDIN, Source
from .jsonl import is_jsonl
from .parallel import ordered_map



@dataclass(frozen=True, slots=True)
class Settings:
    mode: Mode
    output_dir: Path | None = None
    encoding: str | None = None
    max_removal: float = 1.0
    jobs: int = 1
    text_field: str = "text"
    provenance: bool = False


Progress = Callable[[int, int], None]  # (files finished, bytes read)


# Files travel to workers in small groups: one task per file costs more in
# inter-process traffic than cleaning a short report does.
FILES_PER_TASK = 16


def _clean_text_files(cleaner: Cleaner, job: tuple[list[Source], Settings]) -> list[Outcome]:
    sources, s = job
    # The texts stay in the worker; only counts (and stdout bytes) travel back.
    return [process(src, cleaner, s.mode, s.output_dir, s.encoding, max_removal=s.max_removal).light() for src in sources]


def run(
    sources: Iterable[Source],
    cleaner: Cleaner,
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    sink: BinaryIO | None = None,
    progress: Progress | None = None,
) -> Iterator[Outcome]:
    """Clean every source; text files in runs through the worker pool, corpora one by one."""
    run_of_texts: list[Source] = []

    def flush() -> Iterator[Outcome]:
        n = len(run_of_texts)
        workers = min(settings.jobs, n)
        # Small groups when there are few files, so every worker gets some.
        size = max(1, min(FILES_PER_TASK, n // (workers * 4) if workers > 1 else FILES_PER_TASK))
        tasks = [(run_of_texts[i : i + size], settings) for i in range(0, n, size)]
        for outcomes in ordered_map(_clean_text_files, tasks, cleaner, workers):
            for outcome in outcomes:
                if progress is not None:
                    progress(1, outcome.size)
                yield outcome
        run_of_texts.clear()

    for source in sources:
        if source.path == STDIN:
            yield from flush()
            outcome = process(source, cleaner, settings.mode, None, settings.encoding, stdin, max_removal=settings.max_removal)
            yield outcome.light()
        elif is_jsonl(source.path):
            yield from flush()
            yield process_jsonl(
                source,
                cleaner,
                settings.mode,
                settings.output_dir,
                text_field=settings.text_field,
                provenance=settings.provenance,
                max_removal=settings.max_removal,
                jobs=settings.jobs,
                sink=sink,
                on_bytes=(lambda n: progress(0, n)) if progress is not None else None,
            )
            if progress is not None:
                progress(1, 0)
        else:
            run_of_texts.append(source)
    yield from flush()
