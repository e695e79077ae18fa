from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
CORPORA = ("seeds", "variants", "cases")


def cleaner_command() -> list[str]:
    """The installed console script when there is one, else ``python -m cleaner``."""
    script = Path(sys.executable).with_name("cleaner")
    if script.exists():
        return [str(script)]
    found = shutil.which("cleaner")
    return [found] if found else [sys.executable, "-m", "cleaner"]


def run_cli(
    *args: str, input: bytes | None = None, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        cleaner_command() + list(args), input=input, capture_output=True, cwd=cwd, env=full_env, timeout=120
    )


def corpus_cases() -> list[tuple[str, Path, Path]]:
    cases = []
    for corpus in CORPORA:
        for inp in sorted((DATA / corpus / "input").iterdir()):
            cases.append((f"{corpus}/{inp.name}", inp, DATA / corpus / "expected" / inp.name))
    return cases


@pytest.fixture
def cli():
    return run_cli
