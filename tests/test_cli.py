"""The command-line contract, through real subprocesses."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from conftest import DATA

DIRTY = DATA / "seeds" / "input" / "003_cf18c62b31b01f76.txt"
DIRTY_EXPECTED = DATA / "seeds" / "expected" / "003_cf18c62b31b01f76.txt"
CLEAN = DATA / "seeds" / "input" / "001_083cd0e68a556ba8.txt"
GB = DATA / "variants" / "input" / "p03_gb18030.txt"
GB_EXPECTED = DATA / "variants" / "expected" / "p03_gb18030.txt"


def test_file_to_stdout_in_its_own_encoding(cli) -> None:
    proc = cli("clean", str(GB))
    assert proc.returncode == 0
    assert proc.stdout == GB_EXPECTED.read_bytes()
    assert proc.stderr == b""


def test_stdin_to_stdout(cli) -> None:
    for args in ((), ("-",)):
        proc = cli("clean", *args, input=DIRTY.read_bytes())
        assert proc.returncode == 0
        assert proc.stdout == DIRTY_EXPECTED.read_bytes()


def test_check_exit_codes(cli, tmp_path: Path) -> None:
    dirty = tmp_path / "dirty.txt"
    shutil.copyfile(DIRTY, dirty)
    proc = cli("clean", "--check", str(dirty), str(CLEAN))
    assert proc.returncode == 1
    assert dirty.read_bytes() == DIRTY.read_bytes()  # --check writes nothing
    assert b"dirty.txt" in proc.stderr and proc.stdout == b""
    assert cli("clean", "--check", str(CLEAN)).returncode == 0
    assert cli("clean", "--check", "-", input=DIRTY.read_bytes()).returncode == 1


def test_in_place_keeps_permissions_and_leaves_no_temp_files(cli, tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    shutil.copyfile(DIRTY, target)
    os.chmod(target, 0o640)
    proc = cli("clean", "--in-place", str(target))
    assert proc.returncode == 0
    assert target.read_bytes() == DIRTY_EXPECTED.read_bytes()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.txt"]


def test_output_dir_mirrors_the_tree(cli, tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "a" / "b").mkdir(parents=True)
    shutil.copyfile(DIRTY, src / "a" / "b" / "dirty.txt")
    shutil.copyfile(CLEAN, src / "clean.txt")
    (src / "notes.csv").write_text("x", encoding="utf-8")
    out = tmp_path / "out"
    proc = cli("clean", "--output-dir", str(out), str(src))
    assert proc.returncode == 0, proc.stderr
    assert (out / "a" / "b" / "dirty.txt").read_bytes() == DIRTY_EXPECTED.read_bytes()
    assert (out / "clean.txt").read_bytes() == CLEAN.read_bytes()
    assert not (out / "notes.csv").exists()
    assert (src / "a" / "b" / "dirty.txt").read_bytes() == DIRTY.read_bytes()


def test_bad_files_are_reported_and_the_run_goes_on(cli, tmp_path: Path) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    undecodable = tmp_path / "latin.txt"
    undecodable.write_bytes(b"caf\xe9 cr\xe8me \xff\xff")
    good = tmp_path / "good.txt"
    shutil.copyfile(DIRTY, good)
    proc = cli("clean", "--in-place", str(binary), str(undecodable), str(tmp_path / "missing.txt"), str(good))
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "image.txt: binary file" in err
    assert "latin.txt: undecodable" in err
    assert "missing.txt: no such file" in err
    assert good.read_bytes() == DIRTY_EXPECTED.read_bytes()
    assert binary.read_bytes().startswith(b"\x89PNG")


def test_bad_rule_file_is_exit_2_with_file_key_message(cli, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "mine.toml").write_text(
        'id = "mine"\nsummary = "x"\nkind = "drop-lines"\n[match]\npatterns = ["(oops"]\n', encoding="utf-8"
    )
    target = tmp_path / "r.txt"
    shutil.copyfile(DIRTY, target)
    proc = cli("clean", "--in-place", "--rules", str(rules), str(target))
    assert proc.returncode == 2
    assert f"{rules / 'mine.toml'}: match.patterns[0]: missing ), unterminated subpattern at 0" in proc.stderr.decode()
    assert target.read_bytes() == DIRTY.read_bytes()


def test_select_and_ignore(cli) -> None:
    proc = cli("clean", "--select", "page-footer", str(DIRTY))
    assert proc.stdout == DIRTY.read_bytes()
    proc = cli("clean", "--ignore", "contact-line,repeated-contact,vendor-footer", str(DIRTY))
    assert "咨询QQ206157060".encode() in proc.stdout
    proc = cli("clean", "--select", "no-such-rule", str(DIRTY))
    assert proc.returncode == 2 and b"valid ids:" in proc.stderr


def test_usage_errors_exit_2(cli, tmp_path: Path) -> None:
    assert cli("clean", "--in-place", "--check", str(CLEAN)).returncode == 2
    assert cli("clean", "--in-place", input=b"x").returncode == 2
    assert cli("clean", "--no-such-flag").returncode == 2


def test_rules_list_show_and_test(cli, tmp_path: Path) -> None:
    proc = cli("rules")
    assert proc.returncode == 0
    for rule_id in ("vendor-header", "contact-line", "paywall-marker", "page-footer"):
        assert rule_id.encode() in proc.stdout
    show = cli("rules", "show", "paywall-marker")
    assert show.returncode == 0 and b"[[examples]]" in show.stdout
    assert cli("rules", "show", "nope").returncode == 2
    ok = cli("rules", "test")
    assert ok.returncode == 0 and b" 0 failed" in ok.stdout
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "wrong.toml").write_text(
        'id = "wrong"\nsummary = "x"\nkind = "drop-lines"\n[match]\npatterns = ["^A$"]\n'
        '[[examples]]\nname = "e1"\ninput = "A\\nB\\n"\noutput = "A\\n"\n'
        '[[examples]]\nname = "e2"\ninput = "B\\n"\n',
        encoding="utf-8",
    )
    failing = cli("rules", "test", str(bad))
    assert failing.returncode == 1
    assert b"FAILED wrong :: e1" in failing.stdout and b"1 passed, 1 failed" in failing.stdout


def test_python_dash_m(tmp_path: Path) -> None:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(DIRTY)], capture_output=True)
    assert proc.returncode == 0 and proc.stdout == DIRTY_EXPECTED.read_bytes()


def test_main_returns_exit_code(tmp_path: Path) -> None:
    from cleaner.cli import main

    target = tmp_path / "r.txt"
    shutil.copyfile(DIRTY, target)
    assert main(["clean", "--check", "-q", str(target)]) == 1
    assert main(["clean", "-i", "-q", str(target)]) == 0
    assert main(["clean", "--check", "-q", str(target)]) == 0


def test_installed_package_finds_its_rules_from_anywhere(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = "from cleaner.rules import bundled_rules_dir as d; print(d()); print(len(list(d().glob('*.toml'))))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    folder, count = proc.stdout.split()
    assert Path(folder).is_dir()
    assert int(count) == len(list((Path(__file__).parents[1] / "rules").glob("*.toml")))


def test_examples_folder_is_cleaned(cli, tmp_path: Path) -> None:
    examples = Path(__file__).parents[1] / "examples"
    proc = cli("clean", "--output-dir", str(tmp_path / "out"), str(examples))
    assert proc.returncode == 0
    assert b"4 file(s) cleaned, 1 unchanged, 0 failed" in proc.stderr
