"""Cleanup passes over trees: parallel equals serial, bad files are named, the guard trips."""

from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path

import pytest
from conftest import DATA, corpus_cases

from cleaner import Cleaner

DIRTY = DATA / "seeds" / "input" / "003_cf18c62b31b01f76.txt"


def make_tree(root: Path, count: int = 1000) -> None:
    """``count`` reports in nested folders, plus a binary, an undecodable file and a symlink."""
    inputs = [inp for _, inp, _ in corpus_cases()]
    for i in range(count):
        folder = root / f"batch{i % 7}" / f"sub{i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(inputs[i % len(inputs)], folder / f"r{i:04d}.txt")
    (root / "batch0" / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (root / "batch1" / "latin1.txt").write_bytes("café crème brûlée".encode("latin-1") + b"\xff")
    (root / "batch2" / "link.txt").symlink_to(inputs[0])
    (root / ".hidden").mkdir()
    shutil.copyfile(DIRTY, root / ".hidden" / "h.txt")


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()
    }


@pytest.mark.slow  # run by .ci/run's second pass (pytest -m slow)
def test_jobs_2_equals_jobs_1_on_a_tree_of_1000_reports(cli, tmp_path: Path) -> None:
    make_tree(tmp_path / "tree")
    results = {}
    for jobs in (1, 2):
        work = tmp_path / f"work{jobs}"
        shutil.copytree(tmp_path / "tree", work, symlinks=True)
        report = tmp_path / f"report{jobs}.json"
        proc = cli("clean", "--in-place", "--jobs", str(jobs), "--report", str(report), str(work))
        assert proc.returncode == 2
        err = proc.stderr.decode()
        assert "picture.txt: binary file" in err and "latin1.txt: undecodable" in err
        assert "h.txt" not in err and "link.txt" not in err
        results[jobs] = (snapshot(work), proc.stderr.replace(str(work).encode(), b"W"), json.loads(report.read_text()))
    assert results[1][0] == results[2][0]
    assert results[1][1] == results[2][1]
    summary = results[2][2]
    assert summary["files"]["failed"] == 2
    assert summary["files"]["changed"] + summary["files"]["unchanged"] == 1000
    # Every report came out as its expected bytes; the hidden folder and the link were left alone.
    expected = {inp.read_bytes(): exp.read_bytes() for _, inp, exp in corpus_cases()}
    tree = snapshot(tmp_path / "tree")
    for rel, data in results[2][0].items():
        if rel.startswith("batch") and rel.endswith(".txt") and "r" in Path(rel).name[:1]:
            assert data == expected[tree[rel]], rel
    assert results[2][0][".hidden/h.txt"] == DIRTY.read_bytes()
    assert os.path.islink(tmp_path / "work2" / "batch2" / "link.txt")


def test_include_exclude_hidden(cli, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    shutil.copyfile(DIRTY, tmp_path / "a" / "x.txt")
    shutil.copyfile(DIRTY, tmp_path / "a" / "y.text")
    shutil.copyfile(DIRTY, tmp_path / "a" / "skip.txt")
    (tmp_path / ".h").mkdir()
    shutil.copyfile(DIRTY, tmp_path / ".h" / "z.txt")
    proc = cli(
        "clean", "--check", "--include", "*.txt", "--include", "*.text", "--exclude", "skip*", "--hidden", str(tmp_path)
    )
    assert proc.returncode == 1
    named = sorted(line.split("/")[-1] for line in proc.stderr.decode().splitlines() if line.startswith("would clean"))
    assert named == ["x.txt", "y.text", "z.txt"]


def test_removal_guard(cli, tmp_path: Path) -> None:
    mostly_junk = tmp_path / "junk.txt"
    header = "".join(DIRTY.read_text(encoding="utf-8").splitlines(keepends=True)[:15])
    mostly_junk.write_text(header + "述职报告\n", encoding="utf-8")
    before = mostly_junk.read_bytes()
    proc = cli("clean", "--in-place", str(mostly_junk))
    assert proc.returncode == 2
    assert b"refused" in proc.stderr and b"--max-removal" in proc.stderr
    assert mostly_junk.read_bytes() == before
    proc = cli("clean", "--in-place", "--max-removal", "1", str(mostly_junk))
    assert proc.returncode == 0
    assert mostly_junk.read_text(encoding="utf-8") == "述职报告\n"


def test_report_json(cli, tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    shutil.copyfile(DIRTY, target)
    report = tmp_path / "report.json"
    proc = cli("clean", "--check", "--report", str(report), str(target))
    assert proc.returncode == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["files"] == {"changed": 1, "unchanged": 0, "refused": 0, "failed": 0, "skipped": 0}
    assert data["rules"] == {"vendor-header": 1, "contact-line": 2}
    assert data["per_file"][0]["path"] == str(target)
    assert data["chars_removed"] > 100


def test_summary_names_rules_and_characters(cli, tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    shutil.copyfile(DIRTY, target)
    proc = cli("clean", "--in-place", str(target))
    err = proc.stderr.decode()
    assert "1 file(s) cleaned, 0 unchanged, 0 failed" in err and "character(s) removed" in err
    assert "vendor-header" in err and "contact-line" in err


def test_cleaner_pickles_and_clean_many() -> None:
    cleaner = Cleaner(ignore=["page-footer"])
    copy = pickle.loads(pickle.dumps(cleaner))
    assert [r.id for r in copy.rules] == [r.id for r in cleaner.rules]
    texts = [DIRTY.read_text(encoding="utf-8"), "第 1 页 共 2 页\n正文。\n"]
    assert [r.text for r in copy.clean_many(texts)] == [r.text for r in cleaner.clean_many(texts)]
    assert copy.clean(texts[1]).text == texts[1]


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGKILL"])
def test_interrupted_run_leaves_every_file_whole(tmp_path: Path, signal_name: str) -> None:
    import signal
    import subprocess
    import time

    from conftest import cleaner_command

    make_tree(tmp_path / "tree", count=600)
    original = snapshot(tmp_path / "tree")
    cases = {inp.read_bytes(): exp.read_bytes() for _, inp, exp in corpus_cases()}
    proc = subprocess.Popen(
        [*cleaner_command(), "clean", "--in-place", "--jobs", "2", "-q", str(tmp_path / "tree")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 30
    # Stop it once it has started writing.
    while time.time() < deadline and snapshot(tmp_path / "tree") == original and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(getattr(signal, signal_name))
    proc.wait(timeout=30)
    after = snapshot(tmp_path / "tree")
    for rel, data in original.items():
        if rel.startswith(".hidden") or "/." in rel:
            continue
        got = after.get(rel)
        assert got in (data, cases.get(data, data)), f"{rel} is neither untouched nor fully cleaned"
    if signal_name == "SIGINT":
        leftovers = list((tmp_path / "tree").rglob(".*.tmp"))
        assert leftovers == []
    # No worker outlives the run.
    for _ in range(100):
        alive = subprocess.run(["pgrep", "-f", str(tmp_path / "tree")], capture_output=True).stdout
        if not alive:
            break
        time.sleep(0.05)
    assert not alive, "worker processes outlived the killed run"


def test_output_dir_copies_get_the_usual_permissions(tmp_path: Path) -> None:
    # New files follow the umask, as any tool's output would; they used to
    # come out owner-only (0600), the mode of a temporary file.
    import stat
    import subprocess

    from conftest import cleaner_command

    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    shutil.copyfile(DIRTY, src / "sub" / "r.txt")
    (src / "c.jsonl").write_text(
        json.dumps({"text": DIRTY.read_text(encoding="utf-8")}, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    subprocess.run(
        [*cleaner_command(), "clean", "-q", "--output-dir", str(tmp_path / "out"), str(src)],
        check=True,
        preexec_fn=lambda: os.umask(0o027),
    )
    for rel in ("sub/r.txt", "c.jsonl"):
        assert stat.S_IMODE((tmp_path / "out" / rel).stat().st_mode) == 0o640, rel
