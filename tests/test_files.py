"""Finding files in folders and writing them atomically, down to names, order and permissions."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from cleaner import files
from cleaner.files import Source, iter_sources, read_file, write_atomic


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    for rel in (
        "b.txt",
        "a.md",
        "notes.doc",
        "z/y.txt",
        "z/x/w.jsonl",
        "a/c.txt",
        "a/skip-me.txt",
        ".h.txt",
        ".git/k.txt",
        "z/.cache/q.txt",
    ):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("述职报告\n", encoding="utf-8")
    (root / "link.txt").symlink_to(root / "b.txt")
    (root / "dirlink").symlink_to(root / "a", target_is_directory=True)
    (root / "broken.txt").symlink_to(root / "nowhere.txt")
    return root


def rels(sources: list[Source]) -> list[str]:
    return [str(s.relative) for s in sources]


def test_walk_order_and_defaults(tree: Path) -> None:
    # A folder's own files (sorted) come before its subfolders (sorted); hidden
    # entries, symbolic links and names outside the globs are left out.
    found = list(iter_sources([tree]))
    assert rels(found) == ["a.md", "b.txt", "a/c.txt", "a/skip-me.txt", "z/y.txt", "z/x/w.jsonl"]
    assert [s.path for s in found] == [tree / r for r in rels(found)]


def test_walk_flags(tree: Path) -> None:
    found = rels(list(iter_sources([tree], hidden=True, follow_links=True, exclude=["skip*"])))
    assert found == [
        ".h.txt",
        "a.md",
        "b.txt",
        "broken.txt",
        "link.txt",
        ".git/k.txt",
        "a/c.txt",
        "dirlink/c.txt",
        "z/y.txt",
        "z/.cache/q.txt",
        "z/x/w.jsonl",
    ]


def test_globs_match_the_name_or_the_relative_path(tree: Path) -> None:
    assert rels(list(iter_sources([tree], include=["z/*"]))) == ["z/y.txt", "z/x/w.jsonl"]
    assert rels(list(iter_sources([tree], include=["*.doc"]))) == ["notes.doc"]
    assert rels(list(iter_sources([tree], exclude=["a/*", "*.jsonl"]))) == ["a.md", "b.txt", "z/y.txt"]


def test_named_files_are_always_taken(tree: Path) -> None:
    named = [tree / "notes.doc", tree / ".h.txt", tree / "link.txt"]
    assert [(s.path, s.relative) for s in iter_sources(named)] == [(p, Path(p.name)) for p in named]


def test_read_file(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"x" * 200_000)
    assert read_file(path) == b"x" * 200_000
    (tmp_path / "empty.txt").touch()
    assert read_file(tmp_path / "empty.txt") == b""
    with pytest.raises(IsADirectoryError):
        read_file(tmp_path)


def test_write_atomic_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["f.txt"]


@pytest.mark.parametrize("unnamed", [True, False], ids=["unnamed-then-linked", "temporary-name"])
def test_write_atomic_gives_a_new_file_the_umask_mode(
    tmp_path: Path, unnamed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not unnamed:
        monkeypatch.setattr(files, "_unnamed_ok", False)
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.txt", b"data", durable=False)
        write_atomic(tmp_path / "sub" / "new.txt", b"more", make_folders=True)
    finally:
        os.umask(old)
    assert (tmp_path / "new.txt").read_bytes() == b"data"
    assert (tmp_path / "sub" / "new.txt").read_bytes() == b"more"
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["new.txt", "sub"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="O_TMPFILE and /proc are Linux's")
def test_new_files_are_written_unnamed_on_linux(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_names(*args: object) -> None:
        raise AssertionError("a temporary name was used for a new file")

    monkeypatch.setattr(files, "_named_temp", no_names)
    write_atomic(tmp_path / "new.txt", b"data")
    assert (tmp_path / "new.txt").read_bytes() == b"data"
    with pytest.raises(AssertionError):  # a file that exists is replaced by rename
        write_atomic(tmp_path / "new.txt", b"again")


def test_write_atomic_leaves_no_temp_file_when_it_fails(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomic(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["f.txt"]


def test_write_atomic_steps_over_a_stale_temp_file(tmp_path: Path) -> None:
    # A killed run can leave a temp file with this process's id in its name.
    stale = tmp_path / f".f.txt.{os.getpid()}.0.tmp"
    stale.write_bytes(b"stale")
    write_atomic(tmp_path / "f.txt", b"new")
    assert (tmp_path / "f.txt").read_bytes() == b"new"
    assert stale.read_bytes() == b"stale"


def test_write_atomic_makes_missing_folders_only_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "f.txt"
    with pytest.raises(FileNotFoundError):
        write_atomic(target, b"x")
    write_atomic(target, b"x", make_folders=True)
    write_atomic(target, b"y", make_folders=True)
    assert target.read_bytes() == b"y"


def test_a_refused_link_falls_back_to_a_temporary_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Some sandboxes refuse linkat through /proc: the write still happens, by rename.
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(files, "_unnamed_ok", True)
    monkeypatch.setattr(os, "link", refuse)
    write_atomic(tmp_path / "new.txt", b"data")
    assert (tmp_path / "new.txt").read_bytes() == b"data"
    assert os.listdir(tmp_path) == ["new.txt"]
    assert files._unnamed_ok is False
