"""``cleaner diff``: what would go, in context, through the real command line."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import DATA, run_cli

SEEDS = DATA / "seeds" / "input"
PAID = SEEDS / "000_d10439ccc1bcbc93.txt"
HEADER_A = SEEDS / "003_cf18c62b31b01f76.txt"
HEADER_B = SEEDS / "004_14110ec65c64f1b3.txt"
CLEAN = SEEDS / "001_083cd0e68a556ba8.txt"
HEADER_LINES = (
    "仅供学习 禁止外传 用后删除",
    "【打击倒卖活动】",
    "【会员资料仅供内部交流使用，严禁外传及用于商业用途，违者后果自负】",
)


def sections(stdout: bytes) -> dict[str, list[str]]:
    """Per-file output split on the file headers."""
    out: dict[str, list[str]] = {}
    current: list[str] = []
    for line in stdout.decode("utf-8").splitlines():
        if line.startswith(str(SEEDS)):
            current = out.setdefault(Path(line.split()[0]).name, [])
        current.append(line)
    return out


def test_seeds_show_every_edit_in_context_and_exit_1() -> None:
    proc = run_cli("diff", str(SEEDS))
    assert proc.returncode == 1, proc.stderr.decode()
    files = sections(proc.stdout)
    assert set(files) == {PAID.name, HEADER_A.name, HEADER_B.name}  # clean seeds print nothing

    # 000: the marker inside a long paragraph is a short window with its rule id.
    paid = files[PAID.name]
    assert "paywall-marker 2" in paid[0]
    (window,) = [line for line in paid if "##paidbegin##" in line]
    assert "paywall-marker" in window and "[-##paidbegin##-]" in window
    paragraph = next(line for line in PAID.read_text(encoding="utf-8").splitlines() if "##paidbegin##" in line)
    assert len(paragraph) > 500 and len(window) < 100
    assert (
        "…在不配合、未完成等情形。四是全市统计系统[-##paidbegin##-]党内法规学习教育。组织全市统计系统学习贯…" in window
    )
    (end_marker,) = [line for line in paid if "##paidend##" in line]
    assert " - paywall-marker" in end_marker  # a whole line: a removed row

    # 003/004: the header block as removed rows with rule ids, and both contact lines.
    for name in (HEADER_A.name, HEADER_B.name):
        rows = files[name]
        for text in HEADER_LINES:
            (row,) = [line for line in rows if line.endswith("│ " + text)]
            assert " - vendor-header" in row
        contacts = [line for line in rows if line.endswith("│ 酷乐文行整理，咨询QQ206157060")]
        assert len(contacts) == 2 and all(" - " in line for line in contacts)
        # The body around a block is shown as context, not as removed.
        assert any(line.endswith("│ X县组织人事工作总结汇报") or "X市统计局2020年工作总结" in line for line in rows)

    # The summary table goes to stderr, never into the per-file output.
    err = proc.stderr.decode()
    assert "files changed" in err and "files unchanged" in err and "files failed" in err
    assert "paywall-marker" in err and "vendor-header" in err
    assert "files changed" not in proc.stdout.decode()


def test_clean_file_prints_nothing_and_exits_0() -> None:
    proc = run_cli("diff", str(CLEAN))
    assert proc.returncode == 0
    assert proc.stdout == b""
    assert b"files unchanged" in proc.stderr


def test_colour_only_when_asked_or_on_a_terminal() -> None:
    # (Every other test runs with NO_COLOR=1 and checks the plain marks.)
    coloured = run_cli("diff", "--color", str(PAID))
    assert b"\x1b[" in coloured.stdout
    assert b"[-##paidbegin##-]" not in coloured.stdout  # colour marks it instead
    forced_off = run_cli("diff", "--no-color", str(PAID), env={"NO_COLOR": "", "FORCE_COLOR": "1"})
    assert b"\x1b[" not in forced_off.stdout and b"[-##paidbegin##-]" in forced_off.stdout
    # A pipe is not a terminal: no colour even without NO_COLOR.
    assert b"\x1b[" not in run_cli("diff", str(PAID), env={"NO_COLOR": ""}).stdout


def test_errors_exit_2_and_the_other_files_still_show(tmp_path: Path) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    proc = run_cli("diff", str(binary), str(tmp_path / "missing.txt"), str(HEADER_A))
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "image.txt: binary file" in err and "missing.txt: no such file" in err
    assert "[-" not in err and "vendor-header" in proc.stdout.decode()


def test_rule_selection_and_unknown_rule() -> None:
    proc = run_cli("diff", "--select", "paywall-marker", str(HEADER_A), str(PAID))
    assert proc.returncode == 1
    assert b"vendor-header" not in proc.stdout and b"paywall-marker" in proc.stdout
    assert HEADER_A.name.encode() not in proc.stdout  # nothing selected applies to it
    bad = run_cli("diff", "--ignore", "no-such-rule", str(PAID))
    assert bad.returncode == 2 and b"valid ids:" in bad.stderr and bad.stdout == b""


def test_stdin_and_files_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    shutil.copyfile(HEADER_A, target)
    proc = run_cli("diff", "-", str(target), input=PAID.read_bytes())
    assert proc.returncode == 1
    out = proc.stdout.decode()
    assert out.startswith("stdin  2 removals (paywall-marker 2)") and f"{target}  " in out
    assert target.read_bytes() == HEADER_A.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.txt"]


def test_crlf_and_utf16_show_without_carriage_returns() -> None:
    crlf = DATA / "variants" / "input" / "p02_crlf.txt"
    utf16 = DATA / "cases" / "input" / "j22_utf16le_bom_crlf_contacts.txt"
    proc = run_cli("diff", str(crlf), str(utf16))
    assert proc.returncode == 1
    assert b"\r" not in proc.stdout
    assert "│ 酷乐文行整理，咨询QQ7208093746\n".encode() in proc.stdout
    assert "│ 云山文库整理，咨询微信ysw-2046\n".encode() in proc.stdout


def test_jsonl_corpus_is_reviewed_record_by_record(tmp_path: Path) -> None:
    import json

    corpus = tmp_path / "c.jsonl"
    records = [{"id": 1, "text": "正文一。\n"}, {"id": 2, "text": "述职报告\n正文##paidbegin##继续。\n"}]
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    proc = run_cli("diff", str(corpus))
    assert proc.returncode == 1, proc.stderr.decode()
    out = proc.stdout.decode()
    assert f"{corpus}#2" in out and "[-##paidbegin##-]" in out and f"{corpus}#1" not in out
    explained = json.loads(run_cli("explain", "--format", "json", str(corpus)).stdout)
    assert [(e["record"], e["rule"], e["start"]) for e in explained] == [(2, "paywall-marker", 7)]
