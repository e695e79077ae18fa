"""Issue 13: no silent loss, no surprises, bounded errors. Each case runs the real CLI."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import DATA


def _drain(master: int) -> bytes:
    """Everything a pty's other side writes until it closes."""
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            return out
        if not chunk:
            return out
        out += chunk


DIRTY = DATA / "seeds" / "input" / "003_cf18c62b31b01f76.txt"
DIRTY_EXPECTED = DATA / "seeds" / "expected" / "003_cf18c62b31b01f76.txt"
CLEAN = DATA / "seeds" / "input" / "001_083cd0e68a556ba8.txt"
OTHER_DIRTY = DATA / "seeds" / "input" / "004_14110ec65c64f1b3.txt"
OTHER_EXPECTED = DATA / "seeds" / "expected" / "004_14110ec65c64f1b3.txt"


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


# 1 -------------------------------------------------------------------------
def test_output_dir_never_overwrites_an_output_of_the_same_run(cli, tmp_path: Path) -> None:
    for folder, src in (("a", DIRTY), ("b", OTHER_DIRTY)):
        (tmp_path / folder).mkdir()
        shutil.copyfile(src, tmp_path / folder / "r.txt")
    out = tmp_path / "out"
    proc = cli("clean", "-o", str(out), str(tmp_path / "a" / "r.txt"), str(tmp_path / "b" / "r.txt"))
    assert proc.returncode == 0, proc.stderr
    assert files_under(out) == ["a/r.txt", "b/r.txt"]
    assert (out / "a" / "r.txt").read_bytes() == DIRTY_EXPECTED.read_bytes()
    assert (out / "b" / "r.txt").read_bytes() == OTHER_EXPECTED.read_bytes()
    assert b"2 file(s) cleaned" in proc.stderr
    # Two folders holding the same relative path: mirrored under their names.
    out2 = tmp_path / "out2"
    proc = cli("clean", "-q", "-o", str(out2), str(tmp_path / "a"), str(tmp_path / "b"))
    assert proc.returncode == 0, proc.stderr
    assert files_under(out2) == ["a/r.txt", "b/r.txt"]
    # One folder, or files of one folder, keep the layout they had.
    out3 = tmp_path / "out3"
    assert cli("clean", "-q", "-o", str(out3), str(tmp_path / "a")).returncode == 0
    assert files_under(out3) == ["r.txt"]


# 2 -------------------------------------------------------------------------
def test_config_exclude_holds_for_named_files_with_force_exclude(cli, tmp_path: Path) -> None:
    (tmp_path / "cleaner.toml").write_text('exclude = ["drafts/*"]\n', encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    draft = tmp_path / "drafts" / "r.txt"
    shutil.copyfile(DIRTY, draft)
    proc = cli("clean", "--in-place", "--force-exclude", "drafts/r.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert draft.read_bytes() == DIRTY.read_bytes()
    hooks = (Path(__file__).parents[1] / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert hooks.count("--force-exclude") == 2  # both hooks name files: both honour the excludes
    # Without it, a named file is taken, as black and ruff do.
    assert cli("clean", "--in-place", "-q", "drafts/r.txt", cwd=tmp_path).returncode == 0
    assert draft.read_bytes() == DIRTY_EXPECTED.read_bytes()


# 3, 17 ---------------------------------------------------------------------
def test_output_dir_inside_the_input_is_not_walked(cli, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copyfile(DIRTY, src / "r.txt")
    out = src / "cleaned"
    for _ in range(2):
        proc = cli("clean", "-o", str(out), str(src), "--jobs", "1")
        assert proc.returncode == 0, proc.stderr
        assert b"1 file(s) cleaned" in proc.stderr or b"0 file(s) cleaned, 1 unchanged" in proc.stderr
    assert files_under(out) == ["r.txt"]  # never cleaned/cleaned/r.txt


def test_output_dir_equal_to_the_input_is_refused(cli, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copyfile(DIRTY, src / "r.txt")
    for out in (src, tmp_path / "src" / "."):
        proc = cli("clean", "-o", str(out), str(src))
        assert proc.returncode == 2
        assert b"--in-place" in proc.stderr
    proc = cli("clean", "-o", str(src), str(src / "r.txt"))
    assert proc.returncode == 2
    assert (src / "r.txt").read_bytes() == DIRTY.read_bytes()


# 24 ------------------------------------------------------------------------
def test_in_place_writes_through_links_and_keeps_owner(cli, tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    shutil.copyfile(DIRTY, target)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    proc = cli("clean", "--in-place", str(link))
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and target.read_bytes() == DIRTY_EXPECTED.read_bytes()
    # A hard-linked file: refused (replacing it would leave its twin dirty), both untouched.
    twin_a, twin_b = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copyfile(DIRTY, twin_a)
    os.link(twin_a, twin_b)
    proc = cli("clean", "--in-place", str(twin_a))
    assert proc.returncode == 2
    assert b"hard links" in proc.stderr
    assert twin_a.read_bytes() == twin_b.read_bytes() == DIRTY.read_bytes()
    if os.geteuid() == 0:
        owned = tmp_path / "owned.txt"
        shutil.copyfile(DIRTY, owned)
        os.chown(owned, 65534, 65534)
        assert cli("clean", "--in-place", str(owned)).returncode == 0
        st = owned.stat()
        assert (st.st_uid, st.st_gid) == (65534, 65534)
        assert owned.read_bytes() == DIRTY_EXPECTED.read_bytes()
        corpus = tmp_path / "owned.jsonl"  # the same for a corpus rewritten in place
        corpus.write_text(
            json.dumps({"text": DIRTY.read_text(encoding="utf-8")}, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        os.chown(corpus, 65534, 65534)
        assert cli("clean", "--in-place", str(corpus)).returncode == 0
        st = corpus.stat()
        assert (st.st_uid, st.st_gid) == (65534, 65534)


# 26 ------------------------------------------------------------------------
def test_same_file_named_twice_is_cleaned_once(cli, tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    shutil.copyfile(DIRTY, target)
    proc = cli("clean", "--check", str(target), str(tmp_path / "." / "r.txt"), str(tmp_path))
    assert proc.returncode == 1
    assert proc.stderr.count(b"would clean") == 1
    assert b"1 file(s) would be cleaned" in proc.stderr


def test_write_failure_names_the_output_and_counts_no_removals(cli, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copyfile(DIRTY, src / "r.txt")
    out = tmp_path / "out"
    out.mkdir()
    (out / "r.txt").mkdir()  # the output path is taken by a folder: the write fails
    report = tmp_path / "run.json"
    proc = cli("clean", "-o", str(out), "--report", str(report), str(src))
    assert proc.returncode == 2
    assert f"cannot write {out / 'r.txt'}".encode() in proc.stderr
    summary = json.loads(report.read_text(encoding="utf-8"))
    assert summary["files"]["failed"] == 1 and summary["edits"] == 0 and summary["chars_removed"] == 0


# 5, 26 ---------------------------------------------------------------------
def test_jsonl_problems_are_said_once_with_a_count(cli, tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    lines = [json.dumps({"id": i, "body": "x"}) + "\n" for i in range(3000)]
    lines += ["not json\n"] * 2000 + [json.dumps({"text": None}) + "\n"]
    corpus.write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    proc = cli("clean", "-o", str(out), str(corpus))
    assert proc.returncode == 2
    warnings = [line for line in proc.stderr.splitlines() if line.startswith(b"warning:")]
    assert len(warnings) == 3, proc.stderr
    assert (
        b"3000 records: field 'text' missing" in proc.stderr and b"(lines 1, 2, 3, 4, 5, \xe2\x80\xa6)" in proc.stderr
    )
    assert b"2000 records: not JSON" in proc.stderr
    assert b"field 'text' null" in proc.stderr
    assert b"5001 copied unchanged with a problem" in proc.stderr
    assert (out / "c.jsonl").read_text(encoding="utf-8") == "".join(lines)


# 6 -------------------------------------------------------------------------
def test_rules_test_on_an_empty_or_missing_folder_fails(cli, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for folder in (tmp_path / "empty", tmp_path / "missing"):
        proc = cli("rules", "test", str(folder))
        assert proc.returncode == 2
        assert str(folder).encode() in proc.stderr


# 16 ------------------------------------------------------------------------
def test_max_removal_rejects_nan_and_inf(cli, tmp_path: Path) -> None:
    for command, value in (("clean", "nan"), ("diff", "inf")):
        proc = cli(command, "--max-removal", value, str(CLEAN))
        assert proc.returncode == 2, (command, value)
        assert b"--max-removal" in proc.stderr
    shutil.copyfile(DIRTY, tmp_path / "r.txt")
    for value in ("nan", "inf", "-inf"):  # as the configuration file refuses them
        (tmp_path / "cleaner.toml").write_text(f"max-removal = {value}\n", encoding="utf-8")
        proc = cli("clean", "--in-place", "r.txt", cwd=tmp_path)
        assert proc.returncode == 2 and b"cleaner.toml: max-removal: expected a number from 0 to 1" in proc.stderr
        assert (tmp_path / "r.txt").read_bytes() == DIRTY.read_bytes()


# 18 ------------------------------------------------------------------------
def test_truncated_or_fake_gzip_fails_that_file_only(cli, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    data = gzip.compress(b"".join(json.dumps({"text": f"r{i}"}).encode() + b"\n" for i in range(2000)))
    (src / "a.jsonl.gz").write_bytes(data[: len(data) // 2])
    (src / "b.jsonl.gz").write_bytes(b'{"text": "plain"}\n')
    shutil.copyfile(DIRTY, src / "c.txt")
    damaged = bytearray(data)
    for i in range(200, 260):
        damaged[i] ^= 0x55
    (src / "d.jsonl.gz").write_bytes(bytes(damaged))  # damaged deflate data
    crc = bytearray(data)
    crc[-6] ^= 1
    (src / "e.jsonl.gz").write_bytes(bytes(crc))  # whole, but its checksum fails
    proc = cli("clean", "-o", str(tmp_path / "out"), str(src))
    assert proc.returncode == 2
    assert b"a.jsonl.gz: cannot read: the compressed stream ends early" in proc.stderr
    assert b"b.jsonl.gz: cannot read: not a gzip file" in proc.stderr
    assert b"d.jsonl.gz: cannot read: corrupt gzip data" in proc.stderr
    assert b"e.jsonl.gz: cannot read: corrupt gzip data (CRC check failed" in proc.stderr
    assert not (tmp_path / "out" / "e.jsonl.gz").exists()  # nothing half-read is written
    review = cli("diff", str(src))  # a review says it in the same words
    assert review.returncode == 2
    for name, said in (("a", b"the compressed stream ends early"), ("d", b"corrupt gzip data"), ("e", b"corrupt gzip")):
        assert f"{name}.jsonl.gz: cannot read: ".encode() + said in review.stderr, (name, review.stderr)
    assert b"aborted" not in proc.stderr.lower()
    assert (tmp_path / "out" / "c.txt").read_bytes() == DIRTY_EXPECTED.read_bytes()


# 20 ------------------------------------------------------------------------
def test_walk_takes_regular_files_only(cli, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    os.mkfifo(src / "pipe.txt")
    shutil.copyfile(DIRTY, src / "r.txt")
    proc = cli("clean", "--check", str(src))
    assert proc.returncode == 1
    assert b"pipe.txt" not in proc.stderr


def test_an_endless_input_is_bounded(cli) -> None:
    proc = cli("clean", "--check", "/dev/zero")
    assert proc.returncode == 2
    assert b"/dev/zero: cannot read: larger than" in proc.stderr


# 21 ------------------------------------------------------------------------
def test_follow_links_does_not_loop(cli, tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "d").mkdir(parents=True)
    shutil.copyfile(DIRTY, src / "d" / "r.txt")
    (src / "d" / "loop").symlink_to(src, target_is_directory=True)
    (src / "d" / "loop2").symlink_to(src / "d", target_is_directory=True)
    proc = cli("clean", "--check", "--follow-links", str(src))
    assert proc.returncode == 1
    assert proc.stderr.count(b"would clean") == 1


# 22, 23 --------------------------------------------------------------------
def test_odd_file_names_are_escaped_and_never_crash(cli, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    names = [b"\xff\xfe.txt", b"esc\x1b]0;owned\x07.txt", b"new\nline.txt"]
    for name in names:
        shutil.copyfile(DIRTY, os.path.join(os.fsencode(src), name))
    report, html = tmp_path / "run.json", tmp_path / "[red]r.html"  # rich markup in a name is text too
    proc = cli("clean", "--check", "--report", str(report), str(src))
    assert proc.returncode == 1, proc.stderr
    assert b"\x1b" not in proc.stderr and b"\xff" not in proc.stderr
    assert b"esc\\x1b]0;owned\\x07.txt" in proc.stderr and b"new\\nline.txt" in proc.stderr
    entries = json.loads(report.read_text(encoding="utf-8"))["per_file"]
    assert sorted(e["path"].rsplit("/", 1)[1] for e in entries) == [
        "\\xff\\xfe.txt",
        "esc\\x1b]0;owned\\x07.txt",
        "new\\nline.txt",
    ]
    proc = cli("diff", "--html", str(html), str(src))
    assert proc.returncode == 1, proc.stderr
    assert b"\x1b" not in proc.stdout + proc.stderr
    assert b"report written to " + str(html).encode() in proc.stderr
    assert "\\xff\\xfe.txt" in html.read_text(encoding="utf-8")
    proc = cli("explain", "--format", "json", str(src))
    assert proc.returncode == 0, proc.stderr
    assert {e["path"].rsplit("/", 1)[1] for e in json.loads(proc.stdout)} >= {"\\xff\\xfe.txt"}


# 10 ------------------------------------------------------------------------
def test_keep_patterns_win_over_every_rule(cli, tmp_path: Path) -> None:
    text = "述职报告\n本文档由某某文库整理，咨询QQ：12345\n正文第一段。\n本文档由某某文库整理，咨询QQ：12345\n"
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    assert cli("clean", str(path), "--ignore", "contact-line").stdout.decode() != text  # repeated-contact takes them
    proc = cli("clean", str(path), "--keep", "咨询QQ", "--ignore", "contact-line")
    assert proc.returncode == 0 and proc.stdout.decode() == text
    (tmp_path / "cleaner.toml").write_text('keep = ["咨询QQ"]\n', encoding="utf-8")
    proc = cli("clean", "--check", "r.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert b"kept" in proc.stderr  # a saved line is reported
    proc = cli("explain", "r.txt", cwd=tmp_path)
    assert "kept by a keep pattern" in proc.stdout.decode()


def test_keep_patterns_are_reported_for_corpora_and_pools(cli, tmp_path: Path) -> None:
    import re

    # Two alike contact lines in each record: both are saved, both counted (not one per distinct text).
    text = "述职报告\n本文档由某某文库整理，咨询QQ：12345\n正文第一段。\n本文档由某某文库整理，咨询QQ：12345\n"
    corpus = tmp_path / "c.jsonl"
    lines = "".join(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n" for i in range(300))
    corpus.write_text(lines, encoding="utf-8")  # two batches of records, so a pool shares them out
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    for jobs in ("1", "2"):
        out, report = tmp_path / f"out{jobs}", tmp_path / f"run{jobs}.json"
        proc = cli(
            "clean",
            "-o",
            str(out),
            "--keep",
            "咨询QQ",
            "--jobs",
            jobs,
            "--report",
            str(report),
            str(tmp_path / "c.jsonl"),
            str(tmp_path / "r.txt"),
        )
        assert proc.returncode == 0, proc.stderr
        assert b"602 line(s) kept by keep patterns" in proc.stderr, (jobs, proc.stderr)
        summary = json.loads(report.read_text(encoding="utf-8"))
        assert summary["kept"] == 602
        assert {e["path"].rsplit("/", 1)[1]: e["kept"] for e in summary["per_file"]} == {"c.jsonl": 600, "r.txt": 2}
        assert (out / "c.jsonl").read_text(encoding="utf-8") == lines and (out / "r.txt").read_text(
            encoding="utf-8"
        ) == text
    proc = cli("explain", "--keep", "咨询QQ", str(corpus))
    assert proc.stdout.decode().count("kept by a keep pattern") == 600
    # diff and its HTML report count them as clean does.
    html = tmp_path / "r.html"
    proc = cli("diff", "--keep", "咨询QQ", "--html", str(html), str(corpus), str(tmp_path / "r.txt"))
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"lines kept\s+│\s+602 ", proc.stderr.decode()), proc.stderr
    assert "602 line(s) kept by keep patterns" in html.read_text(encoding="utf-8")


def test_a_keep_pattern_counts_lines_once_each() -> None:
    from cleaner import Cleaner

    twice = "述职报告\n##paidbegin##咨询QQ：1##paidend##\n正文。\n##paidbegin##咨询QQ：1##paidend##\n"
    kept = Cleaner(select=["paywall-marker"], keep=["咨询QQ"]).clean(twice).kept
    assert kept == (("paywall-marker", "##paidbegin##咨询QQ：1##paidend##"),) * 2  # two spans a line: one line


def test_exclude_a_folder_name_and_gitignore(cli, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    for rel in ("drafts/r.txt", "a/drafts/r.txt", "keep/r.txt", "build/r.txt", "notes/x.txt"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DIRTY, root / rel)
    (root / ".git").mkdir()
    shutil.copyfile(DIRTY, root / ".git" / "msg.txt")  # git's own folder: never walked, even with --hidden
    (root / ".gitignore").write_text("build/\n", encoding="utf-8")
    (root / "notes" / ".gitignore").write_text("*.txt\n", encoding="utf-8")

    def walked(*args: str) -> list[str]:
        proc = cli("clean", "--check", *args, str(root), cwd=tmp_path)
        return sorted(
            line.split(b"/repo/", 1)[1].decode() for line in proc.stderr.splitlines() if line.startswith(b"would clean")
        )

    assert walked("--exclude", "drafts") == ["keep/r.txt"]
    assert walked("--exclude", "drafts", "--no-gitignore") == ["build/r.txt", "keep/r.txt", "notes/x.txt"]
    assert walked("--exclude", "drafts", "--hidden") == ["keep/r.txt"]


# 13 ------------------------------------------------------------------------
def test_api_clean_has_the_cli_removal_guard() -> None:
    from cleaner import Cleaner, clean

    junk = "仅供学习 禁止外传 用后删除\n" * 3 + "正文。\n"
    guarded = clean(junk)
    assert guarded.text == junk and not guarded.edits and guarded.refused
    assert clean(junk, max_removal=None).text == "正文。\n"
    assert Cleaner().clean(junk).refused and Cleaner(max_removal=None).clean(junk).text == "正文。\n"
    with pytest.raises(ValueError):
        Cleaner(max_removal=float("nan"))


# 14 ------------------------------------------------------------------------
def test_config_forms_and_verbose(cli, tmp_path: Path) -> None:
    (tmp_path / "cleaner.toml").write_text('[tool.cleaner]\nignore = ["repair-mojibake"]\n', encoding="utf-8")
    shutil.copyfile(CLEAN, tmp_path / "r.txt")
    proc = cli("clean", "--check", "--verbose", "r.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert b"configuration: " in proc.stderr and b"cleaner.toml" in proc.stderr
    assert b"rules: " in proc.stderr and b"repair-mojibake" not in proc.stderr.split(b"rules: ")[1].split(b"\n")[0]
    (tmp_path / "cleaner.toml").write_text(
        'ignore = []\n[tool.cleaner]\nignore = ["repair-mojibake"]\n', encoding="utf-8"
    )
    proc = cli("clean", "--check", "r.txt", cwd=tmp_path)
    assert proc.returncode == 2 and b"cleaner.toml: tool:" in proc.stderr


def test_readme_pre_commit_rev_is_the_version() -> None:
    import re

    import cleaner

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    revs = re.findall(r"rev: (\S+)", readme)
    assert revs and all(rev == f"v{cleaner.__version__}" for rev in revs)
    pyproject = (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{cleaner.__version__}"' in pyproject


def test_readme_contributing_gates_are_the_ci_gates() -> None:
    # The Contributing section gives the very commands .ci/run fails on, so the two stay in step.
    root = Path(__file__).parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Contributing", 1)[1]
    documented = {line.split("#", 1)[0].strip() for line in section.splitlines() if line.startswith("    .venv/bin/")}
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    gates = [line.strip() for line in ci.splitlines() if line.startswith(".venv/bin/") and "pytest" not in line]
    assert gates and set(gates) <= documented, (gates, documented)
    assert ".venv/bin/pre-commit install" in documented and ".venv/bin/python -m pytest" in documented


def run_on_a_terminal(args: list[str], env: dict[str, str] | None = None, stdin_tty: bool = False) -> tuple[int, bytes]:
    """Run the CLI with stdout (and optionally stdin) on a pseudo-terminal; returns (exit code, what it printed)."""
    import pty
    import subprocess

    from conftest import cleaner_command

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        cleaner_command() + args,
        stdout=slave,
        stderr=slave,
        stdin=slave if stdin_tty else subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
    )
    os.close(slave)
    out = b""
    if stdin_tty:
        import select
        import time

        deadline = time.monotonic() + 10
        while b"stdin" not in out and time.monotonic() < deadline:
            if select.select([master], [], [], 0.2)[0]:
                try:
                    out += os.read(master, 4096)
                except OSError:
                    break
        os.write(master, b"\x04")  # Ctrl-D: end of input
    out += _drain(master)
    os.close(master)
    return proc.wait(timeout=60), out


# 7 -------------------------------------------------------------------------
def test_waiting_for_a_terminal_stdin_says_so() -> None:
    for command in ("clean", "diff", "explain"):  # every command that reads stdin when given no path
        code, out = run_on_a_terminal([command], stdin_tty=True)
        assert code == 0, (command, out)
        assert f"reading the text from stdin (end with Ctrl-D; see `cleaner {command} --help`".encode() in out, command


# 11 ------------------------------------------------------------------------
def test_printing_to_a_terminal_uses_its_encoding(tmp_path: Path) -> None:
    gb = DATA / "variants" / "input" / "p03_gb18030.txt"
    expected = (DATA / "variants" / "expected" / "p03_gb18030.txt").read_bytes().decode("gb18030")
    code, out = run_on_a_terminal(["clean", str(gb)], env={"PYTHONIOENCODING": "utf-8"})
    assert code == 0
    assert out.replace(b"\r\n", b"\n") == expected.replace("\r\n", "\n").encode("utf-8")


# 19 ------------------------------------------------------------------------
EVIL_RULE = """id = "evil"
summary = "Patterns that backtrack for minutes in Python's engine."
kind = "strip-inline"
[match]
patterns = ['''(a+)+$''', '''(.*?,){30}X''']
[[examples]]
name = "a match"
input = "正文aaa\\n"
output = "正文\\n"
[[examples]]
name = "body stays"
input = "正文。\\n"
"""


def test_user_patterns_cannot_hang_a_run(cli, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "evil.toml").write_text(EVIL_RULE, encoding="utf-8")
    doc = tmp_path / "long.txt"
    doc.write_text("a" * 31 + "b\n" + "a," * 15_000 + "\n", encoding="utf-8")
    # Both would run for minutes in a backtracking engine; the CLI's 120 s timeout would end the test.
    proc = cli("clean", "--check", "--rules", str(rules), "--select", "evil", str(doc))
    assert proc.returncode == 0, proc.stderr
    proc = cli("rules", "test", str(rules))
    assert proc.returncode == 0 and b"2 passed" in proc.stdout


BACKTRACKING_RULE = """id = "evil"
summary = "A lookahead: RE2 cannot run it, so Python's engine does, and backtracks for hours."
kind = "strip-inline"
[match]
patterns = ['''(a+)+(?=!)!X''']
[[examples]]
name = "a match"
input = "正文aa!X\\n"
output = "正文\\n"
[[examples]]
name = "body stays"
input = "正文。\\n"
"""


def test_a_pattern_re2_cannot_run_ends_within_its_budget(cli, tmp_path: Path) -> None:
    import time

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "evil.toml").write_text(BACKTRACKING_RULE, encoding="utf-8")
    src = tmp_path / "src"
    src.mkdir()
    (src / "a-evil.txt").write_text("a" * 34 + "!\n", encoding="utf-8")
    shutil.copyfile(DIRTY, src / "b-dirty.txt")
    records = [{"text": "a" * 34 + "!"}, {"text": "正文aa!X"}]
    corpus = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (src / "c.jsonl").write_text(corpus, encoding="utf-8")
    budget = {"CLEANER_RULE_BUDGET": "2"}  # the default is 10 s; the test need not wait that long
    for jobs in ("1", "2"):  # in this process and in worker processes
        out = tmp_path / f"out{jobs}"
        started = time.monotonic()
        proc = cli("clean", "-o", str(out), "--rules", str(rules), "--jobs", jobs, str(src), env=budget)
        assert time.monotonic() - started < 60  # each hopeless match ends after its 2 s
        assert proc.returncode == 2, proc.stderr
        said = b"rule evil ran past its 2 s budget on this text"
        assert b"a-evil.txt: " + said in proc.stderr and b"c.jsonl: line 1: " + said in proc.stderr, proc.stderr
        assert (out / "b-dirty.txt").read_bytes() == DIRTY_EXPECTED.read_bytes()  # the run went on
        lines = (out / "c.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
        assert lines[0] == corpus.splitlines(keepends=True)[0] and json.loads(lines[1])["text"] == "正文"
    proc = cli("explain", "--rules", str(rules), str(src / "c.jsonl"), env=budget)
    assert proc.returncode == 2 and b"c.jsonl#1: rule evil ran past" in proc.stderr
    assert b"Traceback" not in proc.stderr
    # A keep pattern on Python's engine has its budget too.
    proc = cli("clean", "--check", "--keep", "(.+)+(?=!)!X", str(DIRTY), env=budget)
    assert proc.returncode == 2 and b"a keep pattern ran past its 2 s budget" in proc.stderr


def test_a_time_budget_leaves_other_timers_and_threads_alone() -> None:
    import re
    import signal
    import threading

    from cleaner.budget import RuleTimeout, time_budget

    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(RuleTimeout, match="rule slow ran past"), time_budget(0.2, "rule slow"):
        re.search(r"(a+)+(?=!)!X", "a" * 40 + "!")
    assert signal.getsignal(signal.SIGALRM) is before and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    ran: list[bool] = []

    def in_a_thread() -> None:
        with time_budget(0.01, "rule slow"):  # no timer off the main thread: it runs to its end
            ran.append(True)

    thread = threading.Thread(target=in_a_thread)
    thread.start()
    thread.join()
    assert ran == [True]


def test_user_patterns_keep_pythons_meaning_under_re2() -> None:
    from cleaner.patterns import SafePattern, compile_user, to_re2

    for pattern, text, found in (
        (r"\s*咨询\d+", "\u3000咨询１２３", "\u3000咨询１２３"),  # ideographic space, full-width digits
        (r"[\w\-]+", "文库-abc_1", "文库-abc_1"),
        (r"\u4e00+", "一一二", "一一"),
        (r"[^\s]+", "正文\u3000后", "正文"),
        (r"[]a]+", "]a]b", "]a]"),
    ):
        compiled = compile_user(pattern)
        assert isinstance(compiled, SafePattern), pattern
        match = compiled.search(text)
        assert match is not None and match.group() == found, pattern
    for pattern in (r"广告(?!法)", r"(a)\1", r"\bQQ\b", r"[\S]+"):
        assert to_re2(pattern) is None  # RE2 cannot say the same: Python's engine, named by rules test
        assert not isinstance(compile_user(pattern), SafePattern)


# 8 -------------------------------------------------------------------------
def test_clean_check_diff_and_html_count_alike(cli, tmp_path: Path) -> None:
    import re

    src = tmp_path / "src"
    src.mkdir()
    shutil.copyfile(DIRTY, src / "dirty.txt")
    shutil.copyfile(CLEAN, src / "clean.txt")
    (src / "bin.txt").write_bytes(b"\x00\x01binary")
    (src / "mostly.txt").write_text("仅供学习 禁止外传 用后删除\n会员群：123456\n正文。\n", encoding="utf-8")
    records = [{"text": DIRTY.read_text(encoding="utf-8")}, {"text": "正文。"}, {"body": "no text"}]
    (src / "c.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    check = cli("clean", "--check", str(src))
    html = tmp_path / "r.html"
    diff = cli("diff", "--html", str(html), str(src))
    assert check.returncode == diff.returncode == 2
    line = check.stderr.decode()
    want = re.search(
        r"(\d+) file\(s\) would be cleaned, (\d+) unchanged, (\d+) refused by the removal guard, (\d+) failed; (\d+) edit",
        line,
    )
    assert want is not None, line
    changed, unchanged, refused, failed, edits = map(int, want.groups())
    assert (changed, unchanged, refused, failed) == (2, 1, 1, 1)
    table = dict(re.findall(r"│ ([a-z -]+?)\s+│\s+([0-9a-z ]+?) │", diff.stderr.decode()))
    assert table["files changed"] == str(changed) and table["files unchanged"] == str(unchanged)
    assert table["files refused"] == str(refused) and table["files failed"] == str(failed)
    assert table["edits"] == str(edits) and table["records changed"] == "1 of 3"
    page = re.sub(r"<[^>]+>", "", html.read_text(encoding="utf-8"))
    assert (
        f"5 file(s): {changed} changed, {unchanged} unchanged, {refused} refused by the removal guard, "
        f"{failed} failed; {edits} edit(s); 1 of 3 record(s) changed, 1 copied unchanged with a problem"
    ) in page
    assert "1 of 3 record(s) changed, 1 copied unchanged with a problem" in line


# 12 ------------------------------------------------------------------------
def test_one_big_corpus_shows_a_bar_on_a_terminal_only(cli, tmp_path: Path) -> None:
    import pty
    import subprocess

    from conftest import cleaner_command

    corpus = tmp_path / "big.jsonl"
    record = json.dumps({"text": "正文。" * 1500}, ensure_ascii=False) + "\n"
    corpus.write_text(record * 2000, encoding="utf-8")  # about 9 MB
    args = ["clean", "--check", "--select", "paywall-marker", "--jobs", "1", str(corpus)]
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        cleaner_command() + args, stdout=subprocess.DEVNULL, stderr=slave, env={**os.environ, "NO_COLOR": "1"}
    )
    os.close(slave)
    seen = _drain(master)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    assert b"cleaning" in seen and b"MB" in seen  # a bar by bytes, for one file
    piped = cli(*args)
    assert b"cleaning" not in piped.stderr  # never on a non-terminal


def test_one_big_text_file_moves_the_bar_as_it_is_cleaned(cli, tmp_path: Path) -> None:
    import re

    big = tmp_path / "big.txt"
    big.write_text("述职报告\n" + "本人认真履行岗位职责，完成了各项工作任务。\n" * 150_000, encoding="utf-8")  # 9.6 MB
    total = f"{big.stat().st_size / 1e6:.1f}".encode()
    code, seen = run_on_a_terminal(["clean", "--check", str(big)])
    assert code == 0, seen
    shown = {float(x) for x in re.findall(rb"(\d+\.\d)/" + re.escape(total) + rb" MB", seen)}
    # Not only 0 and the whole: bytes move on while the one file is cleaned, rule by rule.
    assert any(0 < x < float(total) for x in shown), shown
    assert b"cleaning" not in cli("clean", "--check", str(big)).stderr  # never on a non-terminal


def test_a_watched_cleaner_reports_its_share_and_cleans_alike() -> None:
    from cleaner import Cleaner

    text = DIRTY.read_text(encoding="utf-8")
    cleaner = Cleaner(max_removal=None)
    shares: list[float] = []
    watched = cleaner.watched(shares.append)
    assert watched.clean(text) == cleaner.clean(text)
    assert shares == sorted(shares) and shares[-1] == 1.0 and len(set(shares)) > 10
    assert 0.5 <= shares[-2] < 1.0  # a dirty text: the second pass (that confirms) fills the second half
    shares.clear()
    watched.clean(DIRTY_EXPECTED.read_text(encoding="utf-8"))
    assert shares == sorted(shares) and max(shares[:-1]) <= 0.5 and shares[-1] == 1.0  # clean: one pass
    import pickle

    assert pickle.loads(pickle.dumps(watched))._on_step is None  # the callback stays in this process


def test_a_live_bar_gets_small_groups_of_files(monkeypatch, tmp_path: Path) -> None:
    from cleaner import Cleaner, runner
    from cleaner.batch import Mode
    from cleaner.files import Source

    sizes: list[int] = []
    real = runner.ordered_map

    def spy(func, items, cleaner, jobs, window=None):  # type: ignore[no-untyped-def]
        def watched():  # type: ignore[no-untyped-def]
            for item in items:
                sizes.append(len(item[0]))
                yield item

        return real(func, watched(), cleaner, jobs, window)

    monkeypatch.setattr(runner, "ordered_map", spy)
    for i in range(600):
        (tmp_path / f"{i}.txt").write_text("正文。\n", encoding="utf-8")
    sources = [Source(tmp_path / f"{i}.txt", Path(f"{i}.txt")) for i in range(600)]
    pool = runner.Settings(mode=Mode.CHECK, jobs=2)
    cleaner = Cleaner(select=["paywall-marker"])
    list(runner.run(sources, cleaner, pool, progress=lambda files, size: None))
    assert max(sizes) <= runner.FILES_PER_TASK_WITH_BAR
    sizes.clear()
    list(runner.run(sources, cleaner, pool))
    assert max(sizes) > runner.FILES_PER_TASK_WITH_BAR  # without a bar, the big groups stay
    # In one process the bar moves file by file, by each file's bytes.
    sizes.clear()
    moves: list[tuple[int, int]] = []
    list(
        runner.run(
            sources, cleaner, runner.Settings(mode=Mode.CHECK, jobs=1), progress=lambda f, b: moves.append((f, b))
        )
    )
    assert moves == [(1, len("正文。\n".encode()))] * 600 and not sizes


def test_a_folder_named_on_the_command_line_is_walked_though_gitignore_lists_it(cli, tmp_path: Path) -> None:
    # bench/out is git-ignored; `cleaner clean bench/out/docs` must still clean what it holds,
    # while a walk from the top of the work tree leaves it out.
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / ".gitignore").write_text("out/\n", encoding="utf-8")
    (root / "out" / "docs").mkdir(parents=True)
    shutil.copyfile(DIRTY, root / "out" / "docs" / "r.txt")
    shutil.copyfile(DIRTY, root / "kept.txt")

    def walked(target: Path) -> list[str]:
        proc = cli("clean", "--check", str(target), cwd=tmp_path)
        return sorted(
            line.split(b"/repo/", 1)[1].decode() for line in proc.stderr.splitlines() if line.startswith(b"would clean")
        )

    assert walked(root) == ["kept.txt"]
    assert walked(root / "out" / "docs") == ["out/docs/r.txt"]
    assert walked(root / "out") == ["out/docs/r.txt"]


def test_the_run_summary_counts_through_one_stats(tmp_path: Path) -> None:
    # One way of counting: the summary's edits, removals and kept lines are its Stats, the sum of
    # every outcome's (files and corpora alike), as decision.Stats adds shards.
    from cleaner import Cleaner
    from cleaner.batch import Mode
    from cleaner.decision import Stats
    from cleaner.files import Source
    from cleaner.runner import Settings, run
    from cleaner.summary import Summary

    shutil.copyfile(DIRTY, tmp_path / "a.txt")
    (tmp_path / "c.jsonl").write_text(
        json.dumps({"text": OTHER_DIRTY.read_text(encoding="utf-8")}, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    sources = [Source(tmp_path / name, Path(name)) for name in ("a.txt", "c.jsonl")]
    outcomes = list(run(sources, Cleaner(keep=["咨询QQ"]), Settings(mode=Mode.CHECK)))
    summary = Summary()
    summary.extend(outcomes)
    total = Stats()
    for outcome in outcomes:
        total = total + outcome.stats
    assert summary.stats == total and total.edits > 0
    assert (summary.edits, summary.chars_removed, summary.kept, summary.rules) == (
        total.edits,
        total.chars_removed,
        total.kept,
        total.rules,
    )
    assert summary.as_json()["edits"] == total.edits and summary.as_json()["kept"] == total.kept
