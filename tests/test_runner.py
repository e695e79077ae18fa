"""The cleanup pass over a stream of sources: order, grouping and lazy reading."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import corpus_cases

from cleaner import Cleaner, runner
from cleaner.batch import Mode
from cleaner.files import Source

CASES = corpus_cases()


def make_sources(root: Path, count: int, jsonl_every: int = 0) -> list[tuple[Source, bytes]]:
    """Text files from the corpus (with their expected bytes), a JSONL corpus every ``jsonl_every``."""
    root.mkdir()
    made = []
    for i in range(count):
        _, inp, exp = CASES[i % len(CASES)]
        if jsonl_every and i % jsonl_every == jsonl_every - 1:
            path = root / f"c{i:04d}.jsonl"
            text = exp.read_bytes().decode("utf-8", "replace")
            path.write_text(json.dumps({"text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
            made.append((Source(path, Path(path.name)), path.read_bytes()))
            continue
        path = root / f"r{i:04d}.txt"
        shutil.copyfile(inp, path)
        made.append((Source(path, Path(path.name)), exp.read_bytes()))
    return made


@pytest.mark.parametrize("jobs", [1, 2])
def test_outcomes_follow_the_sources_across_kinds(tmp_path: Path, jobs: int) -> None:
    made = make_sources(tmp_path / "in", 90, jsonl_every=13)
    settings = runner.Settings(mode=Mode.OUTPUT_DIR, output_dir=tmp_path / "out", max_removal=1.0, jobs=jobs)
    outcomes = list(runner.run((s for s, _ in made), Cleaner(), settings))
    assert [o.source for o in outcomes] == [s for s, _ in made]
    for source, expected in made:
        if source.path.suffix == ".txt":
            assert (tmp_path / "out" / source.relative).read_bytes() == expected, source.relative
    assert sum(o.records for o in outcomes) == 6


def test_workers_start_before_the_walk_ends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Small groups, so that the read-ahead (jobs x 8 groups) is 32 files of 300.
    monkeypatch.setattr(runner, "FILES_PER_TASK", 2)
    made = make_sources(tmp_path / "in", 300)
    read = 0

    def walk() -> Iterator[Source]:
        nonlocal read
        for source, _ in made:
            read += 1
            yield source

    settings = runner.Settings(mode=Mode.CHECK, max_removal=1.0, jobs=2)
    outcomes = runner.run(walk(), Cleaner(), settings)
    first = next(outcomes)
    assert first.source == made[0][0]
    assert read < 100, "the whole walk was read before the first result"
    rest = list(outcomes)
    assert read == 300 and len(rest) == 299


@pytest.mark.parametrize("count", [1, 3, 17, 200])
def test_short_runs_are_split_over_the_workers(tmp_path: Path, count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    real = runner.ordered_map

    def spy(func, items, cleaner, jobs, window=None):  # type: ignore[no-untyped-def]
        items = list(items)
        seen.extend(len(names) for names, _ in items)
        seen.append(-jobs)
        return real(func, items, cleaner, jobs, window)

    monkeypatch.setattr(runner, "ordered_map", spy)
    made = make_sources(tmp_path / "in", count)
    settings = runner.Settings(mode=Mode.CHECK, max_removal=1.0, jobs=2)
    assert len(list(runner.run([s for s, _ in made], Cleaner(), settings))) == count
    groups, workers = seen[:-1], -seen[-1]
    assert sum(groups) == count
    assert workers == min(2, count)
    if count > 1:
        assert len(groups) >= min(count, 2 * runner.TASKS_PER_WORKER)
