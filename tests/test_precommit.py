"""The real pre-commit, trying this repository's hooks on a throwaway git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA

ROOT = Path(__file__).parents[1]
DIRTY = DATA / "seeds" / "input" / "004_14110ec65c64f1b3.txt"
CLEAN = DATA / "seeds" / "expected" / "004_14110ec65c64f1b3.txt"


def pre_commit() -> list[str]:
    script = Path(sys.executable).with_name("pre-commit")
    if script.exists():
        return [str(script)]
    if shutil.which("pre-commit"):
        return ["pre-commit"]
    pytest.skip("pre-commit is not installed (pip install '.[test]')")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.mark.slow  # run by .ci/run's second pass (pytest -m slow)
def test_try_repo_fixes_then_passes(tmp_path: Path) -> None:
    repo = tmp_path / "reports"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "t@example.com")
    git(repo, "config", "user.name", "t")
    shutil.copyfile(DIRTY, repo / "report.txt")
    git(repo, "add", "report.txt")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}

    def try_repo(hook: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*pre_commit(), "try-repo", str(ROOT), hook, "--files", "report.txt"],
            cwd=repo,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )

    check = try_repo("cleaner-check")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "- hook id: cleaner-check" in check.stdout and "- exit code: 1" in check.stdout, check.stdout
    assert (repo / "report.txt").read_bytes() == DIRTY.read_bytes()  # the check hook writes nothing
    first = try_repo("cleaner")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert (repo / "report.txt").read_bytes() == CLEAN.read_bytes()
    git(repo, "add", "report.txt")
    second = try_repo("cleaner")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Passed" in second.stdout
    assert try_repo("cleaner-check").returncode == 0
