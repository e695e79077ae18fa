"""``cleaner diff --html``: one self-contained report; in a real browser, one highlight per edit."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DATA, run_cli

from cleaner.batch import clean_bytes
from cleaner.edits import CleanResult, Edit, apply_edits
from cleaner.engine import Cleaner
from cleaner.review.html import ReportFile, render_report

SEEDS = DATA / "seeds" / "input"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def result_of(original: str, *spans: tuple[str, int, int]) -> CleanResult:
    edits = tuple(Edit(rule, s, e, original[s:e]) for rule, s, e in spans)
    return CleanResult(original, apply_edits(original, edits), edits)


def test_report_escapes_everything_and_needs_no_network() -> None:
    original = "<script>alert(1)</script>\n正文 & “引号”\u200b\n" + "正文\n" * 30 + "尾\n"
    result = result_of(original, ('x"><img src=x onerror=alert(1)>', 0, 26), ("invisible-chars", 36, 37))
    page = render_report([ReportFile("<b>name</b>.txt", result), ReportFile("bad.txt", error="<oops>")])
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;b&gt;name&lt;/b&gt;.txt" in page and "&lt;oops&gt;" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert page.count('class="edit ') == 2
    assert "U+200B" in page or "\\u200b" in page  # the removed zero-width space is visible
    assert '<details class="fold">' in page  # thirty unchanged lines fold


def test_cli_writes_the_report_and_still_prints(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    proc = run_cli("diff", "--html", str(report), str(SEEDS))
    assert proc.returncode == 1
    assert b"paywall-marker" in proc.stdout and b"report written to" in proc.stderr
    page = report.read_text(encoding="utf-8")
    cleaner = Cleaner()
    edits = sum(len(clean_bytes(p.read_bytes(), cleaner)[1].edits) for p in SEEDS.iterdir())
    assert page.count('class="edit ') == edits > 0
    assert "001_083cd0e68a556ba8.txt" in page  # unchanged files are listed too


def chromium(url: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}", *extra, url,
        ],
        capture_output=True, text=True, timeout=60,
    )


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")
def test_browser_shows_one_highlight_per_edit_and_filters_by_rule(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    cleaner = Cleaner()
    edits = [e for p in SEEDS.iterdir() for e in clean_bytes(p.read_bytes(), cleaner)[1].edits]
    assert run_cli("diff", "-q", "--html", str(report), str(SEEDS)).returncode == 1

    dom = chromium(report.as_uri(), tmp_path, "--dump-dom").stdout
    shown = re.findall(r'<span class="edit r\d+"', dom)  # after the script ran: no "off" class
    assert len(shown) == len(edits) > 0
    assert re.search(rf'id="shown-count">{len(edits)}<', dom)

    # The filter works from the address too: only the paywall markers stay highlighted.
    paid = sum(e.rule == "paywall-marker" for e in edits)
    dom = chromium(report.as_uri() + "#only=paywall-marker", tmp_path, "--dump-dom").stdout
    assert len(re.findall(r'<span class="edit r\d+"', dom)) == paid
    assert len(re.findall(r'<span class="edit r\d+ off"', dom)) == len(edits) - paid
    assert re.search(rf'id="shown-count">{paid}<', dom)


def test_a_rule_keeps_its_colour_from_report_to_report(tmp_path: Path) -> None:
    # Issue 13 item 15: colours came from a rule's position in the report.
    from cleaner.review.html import rule_hue

    one, two = tmp_path / "one.html", tmp_path / "two.html"
    contact = "述职报告\n本文档由某某文库整理，咨询QQ：12345\n正文。\n"
    (tmp_path / "a.txt").write_text("##paidbegin##正文。\n" + contact, encoding="utf-8")
    (tmp_path / "b.txt").write_text(contact, encoding="utf-8")
    assert run_cli("diff", "-q", "--html", str(one), str(tmp_path / "a.txt")).returncode == 1
    assert run_cli("diff", "-q", "--html", str(two), str(tmp_path / "b.txt")).returncode == 1
    hue = f"hsl({rule_hue('contact-line')} 85% 86%)"
    assert hue in one.read_text(encoding="utf-8") and hue in two.read_text(encoding="utf-8")
    assert rule_hue("contact-line") != rule_hue("paywall-marker")
