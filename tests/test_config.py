"""Configuration files: found upward, flags win, unknown keys are errors naming the key."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import DATA

DIRTY = DATA / "seeds" / "input" / "003_cf18c62b31b01f76.txt"


def setup(tmp_path: Path, config_name: str, body: str) -> Path:
    (tmp_path / ".git").mkdir(parents=True)
    (tmp_path / config_name).write_text(body, encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copyfile(DIRTY, docs / "r.txt")
    return docs


def test_pyproject_tool_cleaner(cli, tmp_path: Path) -> None:
    docs = setup(
        tmp_path,
        "pyproject.toml",
        '[project]\nname = "x"\n[tool.cleaner]\nignore = ["vendor-header", "vendor-notice", "page-chrome"]\n',
    )
    proc = cli("clean", "r.txt", cwd=docs)
    assert proc.returncode == 0, proc.stderr
    assert "仅供学习".encode() in proc.stdout and "咨询QQ206157060".encode() not in proc.stdout
    # A flag wins over the file.
    proc = cli("clean", "--ignore", "page-footer", "r.txt", cwd=docs)
    assert "仅供学习".encode() not in proc.stdout


def test_cleaner_toml_with_rule_folder_and_max_removal(cli, tmp_path: Path) -> None:
    docs = setup(tmp_path, "cleaner.toml", 'rules = ["my-rules"]\nmax-removal = 0.01\n')
    rules = tmp_path / "my-rules"
    rules.mkdir()
    (rules / "mine.toml").write_text(
        'id = "mine"\nsummary = "x"\nkind = "drop-lines"\n[match]\npatterns = ["^按照市委组织部"]\n'
        '[[examples]]\nname = "a"\ninput = "按照市委组织部\\n"\noutput = ""\n[[examples]]\nname = "b"\ninput = "b\\n"\n',
        encoding="utf-8",
    )
    proc = cli("clean", "--check", "r.txt", cwd=docs)
    assert proc.returncode == 2 and b"refused" in proc.stderr  # max-removal 1% from the file
    proc = cli("clean", "--max-removal", "1", "r.txt", cwd=docs)
    assert proc.returncode == 0
    assert (
        "按照市委组织部通知要求和工作安排".encode() not in proc.stdout
    )  # the user rule from the configured folder ran


def test_unknown_key_is_an_error_naming_it(cli, tmp_path: Path) -> None:
    docs = setup(tmp_path, "cleaner.toml", 'selec = ["page-footer"]\n')
    proc = cli("clean", "r.txt", cwd=docs)
    assert proc.returncode == 2
    assert f"{tmp_path / 'cleaner.toml'}: selec: unknown key".encode() in proc.stderr
    docs2 = setup(tmp_path / "p", "pyproject.toml", "[tool.cleaner]\njobs = 0\n")
    proc = cli("clean", "r.txt", cwd=docs2)
    assert proc.returncode == 2 and b"tool.cleaner.jobs: expected a whole number" in proc.stderr
