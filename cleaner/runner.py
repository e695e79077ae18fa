"""A cleanup pass over many sources: text files in parallel, JSONL corpora as streams.

Outcomes come back in source order whatever ``jobs`` is, so what a run
prints and writes does not depend on parallelism.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .batch import Mode, Outcome, Packed, process
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


# Files travel to workers in groups: each task costs the parent about half a
# millisecond of pool machinery (measured), as much as cleaning a report, and
# the parent shares the cores with the workers. Groups are as large as keeps
# every worker busy to the end (at least TASKS_PER_WORKER each), up to
# FILES_PER_TASK; smaller when cleaned texts travel back (stdout), to bound
# the memory they take in flight.
FILES_PER_TASK = 256
FILES_PER_TASK_WITH_TEXT = 16
TASKS_PER_WORKER = 8


def _clean_text_files(cleaner: Cleaner, job: tuple[list[tuple[str, str]], Settings]) -> list[Packed]:
    # Paths travel as strings and only counts (and stdout bytes) travel back:
    # the parent's share of the work is what keeps two workers from two cores.
    names, s = job
    return [
        process(Source(Path(path), Path(rel)), cleaner, s.mode, s.output_dir, s.encoding, max_removal=s.max_removal).packed()
        for path, rel in names
    ]


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
        cap = FILES_PER_TASK_WITH_TEXT if settings.mode is Mode.STDOUT else FILES_PER_TASK
        size = max(1, min(cap, n // (workers * TASKS_PER_WORKER))) if workers > 1 else cap
        names = [(str(src.path), str(src.relative)) for src in run_of_texts]
        tasks = [(names[i : i + size], settings) for i in range(0, n, size)]
        done = 0
        for packed in ordered_map(_clean_text_files, tasks, cleaner, workers):
            for item in packed:
                outcome = Outcome.unpack(run_of_texts[done], item)
                done += 1
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
