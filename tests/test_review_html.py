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
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            *extra,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=60,
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


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB(A) rows of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    import struct
    import zlib

    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, channels, rows


def hsl_rgb(hue: int, saturation: float, lightness: float) -> tuple[int, int, int]:
    import colorsys

    r, g, b = colorsys.hls_to_rgb(hue / 360, lightness, saturation)
    return round(r * 255), round(g * 255), round(b * 255)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium fonts-noto-cjk)")
def test_screenshot_shows_chinese_and_highlights(tmp_path: Path) -> None:
    # Issue 13 item 15: the DOM test cannot tell tofu boxes from Chinese, nor see a highlight.
    from cleaner.review.html import rule_hue

    def shot(url: str, name: str, size: str) -> tuple[int, int, list[bytes]]:
        png = tmp_path / name
        chromium(url, tmp_path, f"--screenshot={png}", f"--window-size={size}", "--hide-scrollbars")
        assert png.exists(), "chromium wrote no screenshot"
        return read_png(png)

    pages = {}
    for name, text in (("a", "正文"), ("b", "文正")):
        page = tmp_path / f"{name}.html"
        page.write_text(f'<meta charset="utf-8"><p style="font:48px sans-serif;margin:0">{text}</p>', encoding="utf-8")
        pages[name] = shot(page.as_uri(), f"{name}.png", "120,60")[2]
    # Missing glyphs draw the same box for every character: two orders of two characters would look alike.
    assert pages["a"] != pages["b"]
    assert any(min(row) < 100 for row in pages["a"])  # and something dark was drawn at all

    doc = tmp_path / "r.txt"
    doc.write_text("述职报告\n本文档由某某文库整理，咨询QQ：12345\n正文第一段。\n", encoding="utf-8")
    report = tmp_path / "report.html"
    assert run_cli("diff", "-q", "--html", str(report), str(doc)).returncode == 1
    width, channels, rows = shot(report.as_uri(), "report.png", "800,420")
    want = hsl_rgb(rule_hue("contact-line"), 0.85, 0.86)
    highlighted = sum(
        1
        for row in rows
        for x in range(0, width * channels, channels)
        if all(abs(row[x + k] - want[k]) <= 6 for k in range(3))
    )
    assert highlighted > 500  # the removed contact line's background, in its rule's colour
