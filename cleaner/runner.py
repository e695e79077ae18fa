"""A cleanup pass over many sources: text files in parallel, JSONL and Parquet corpora as streams.

Outcomes come back in source order whatever ``jobs`` is, so what a run
prints and writes does not depend on parallelism.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import BinaryIO

from .batch import Mode, Outcome, process
from .corpus import process_jsonl
from .engine import Cleaner
from .files import STDIN, Source
from .jsonl import is_jsonl
from .parallel import ordered_map
from .parquet import is_parquet, process_parquet


@dataclass(frozen=True, slots=True)
class Settings:
    mode: Mode
    output_dir: Path | None = None
    encoding: str | None = None
    max_removal: float = 1.0
    jobs: int = 1
    text_field: str = "text"
    provenance: bool = False
    output_encoding: str | None = None  # STDOUT: print in this codec (a terminal's), not the file's


Progress = Callable[[int, int], None]  # (files finished, bytes read)


# Files travel to workers in groups: each task costs the parent about half a
# millisecond of pool machinery (measured), as much as cleaning a report, and
# the parent shares the cores with the workers. Groups are as large as keeps
# every worker busy to the end (at least TASKS_PER_WORKER each), up to
# FILES_PER_TASK; smaller when cleaned texts travel back (stdout), to bound
# the memory they take in flight.
FILES_PER_TASK = 256
FILES_PER_TASK_WITH_TEXT = 16
FILES_PER_TASK_WITH_BAR = 16
TASKS_PER_WORKER = 8


def _clean_text_files(cleaner: Cleaner, job: tuple[list[tuple[str, str]], Settings]) -> list[Outcome]:
    # Paths travel as strings and only counts (and stdout bytes) travel back.
    names, s = job
    return [
        process(
            Source(Path(path), Path(rel)), cleaner, s.mode, s.output_dir, s.encoding, output_encoding=s.output_encoding
        ).light()
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
    """Clean every source; text files in runs through the worker pool, corpora one by one.

    ``sources`` may be a lazy folder walk: it is read as the work goes, so the
    workers start before the walk ends and a tree of millions of files is
    never held in memory.
    """
    cleaner = cleaner.with_guard(settings.max_removal)  # the guard travels with the cleaner, to every worker
    stream = iter(sources)
    met: list[Source] = []  # a source read ahead and not yet handled
    while True:
        source = met.pop() if met else next(stream, None)
        if source is None:
            return
        if source.path == STDIN:
            outcome = process(
                source,
                cleaner,
                settings.mode,
                None,
                settings.encoding,
                stdin,
                output_encoding=settings.output_encoding,
            )
            yield outcome.light()
        elif is_jsonl(source.path):
            yield process_jsonl(
                source,
                cleaner,
                settings.mode,
                settings.output_dir,
                text_field=settings.text_field,
                provenance=settings.provenance,
                jobs=settings.jobs,
                sink=sink,
                on_bytes=(lambda n: progress(0, n)) if progress is not None else None,
            )
            if progress is not None:
                progress(1, 0)
        elif is_parquet(source.path):
            yield process_parquet(
                source,
                cleaner,
                settings.mode,
                settings.output_dir,
                text_field=settings.text_field,
                provenance=settings.provenance,
                jobs=settings.jobs,
                on_bytes=(lambda n: progress(0, n)) if progress is not None else None,
            )
            if progress is not None:
                progress(1, 0)
        else:
            yield from _text_run(_texts(source, stream, met), cleaner, settings, progress)


def _is_text(source: Source) -> bool:
    return source.path != STDIN and not is_jsonl(source.path) and not is_parquet(source.path)


def _texts(first: Source, stream: Iterator[Source], met: list[Source]) -> Iterator[Source]:
    """``first`` and the text files after it, up to the next source of another kind (left in ``met``)."""
    yield first
    for source in stream:
        if not _is_text(source):
            met.append(source)
            return
        yield source


def _text_run(
    texts: Iterator[Source], cleaner: Cleaner, settings: Settings, progress: Progress | None
) -> Iterator[Outcome]:
    cap = FILES_PER_TASK_WITH_TEXT if settings.mode is Mode.STDOUT else FILES_PER_TASK
    if progress is not None:
        # A live bar: smaller groups, so it moves smoothly instead of by 256 files at a time.
        cap = min(cap, FILES_PER_TASK_WITH_BAR)
    # Read ahead as many files as a full start needs: a run that ends there
    # has a known length, and its groups are cut so every worker gets several.
    ahead = list(islice(texts, settings.jobs * TASKS_PER_WORKER * cap))
    ended = len(ahead) < settings.jobs * TASKS_PER_WORKER * cap
    workers = min(settings.jobs, len(ahead))
    size = cap if workers <= 1 or not ended else max(1, min(cap, len(ahead) // (workers * TASKS_PER_WORKER)))

    if workers <= 1 and progress is not None:
        # In this process, a big file moves the bar as its rules run, not only when it is done.
        for source in chain(ahead, texts):
            moved = _Moved(progress)
            outcome = process(
                source,
                cleaner,
                settings.mode,
                settings.output_dir,
                settings.encoding,
                output_encoding=settings.output_encoding,
                on_bytes=moved,
            ).light()
            progress(1, max(0, outcome.size - moved.bytes))
            yield outcome
        return

    def tasks() -> Iterator[tuple[list[tuple[str, str]], Settings]]:
        rest = chain(ahead, texts)
        while group := list(islice(rest, size)):
            yield [(str(src.path), str(src.relative)) for src in group], settings

    for outcomes in ordered_map(_clean_text_files, tasks(), cleaner, workers):
        for outcome in outcomes:
            if progress is not None:
                progress(1, outcome.size)
            yield outcome


class _Moved:
    """Bytes of one file a progress bar was already moved by, while it was cleaned."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.bytes = 0

    def __call__(self, n: int) -> None:
        self.bytes += n
        self.progress(0, n)
