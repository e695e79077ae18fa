"""``cleaner diff --format unified``: a patch that patch -p1 and git apply apply to give the cleaned bytes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DATA, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.document import Document
from cleaner.edits import CleanResult, Edit, apply_edits
from cleaner.review.unified import UnifiedDiffError, unified_diff

PATCH = shutil.which("patch")
GIT = shutil.which("git")
HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$")


def result_of(original: str, *spans: tuple[int, int, str]) -> CleanResult:
    edits = tuple(Edit("r", s, e, original[s:e], repl) for s, e, repl in spans)
    return CleanResult(original, apply_edits(original, edits), edits)


def split_lines(data: bytes) -> list[bytes]:
    """Lines as patch sees them: ended by b"\\n" only (a "\\r" is content)."""
    return re.findall(rb"[^\n]*\n|[^\n]+\Z", data)


def apply_strictly(old: bytes, patch: bytes) -> bytes:
    """A strict, exact applier for one file's unified diff (context must match; no fuzz)."""
    old_lines = split_lines(old)
    lines = split_lines(patch)
    assert lines[0].startswith(b"--- a/") and lines[1].startswith(b"+++ b/")
    out: list[bytes] = []
    pos = 0  # next old line to copy
    i = 2
    while i < len(lines):
        m = HUNK.match(lines[i].rstrip(b"\n"))
        assert m, lines[i]
        old_start, old_len = int(m[1]), int(m[2] or 1)
        new_len = int(m[4] or 1)
        first = old_start - 1 if old_len else old_start
        out.extend(old_lines[pos:first])
        pos = first
        i += 1
        seen_old = seen_new = 0
        while i < len(lines) and not lines[i].startswith(b"@@"):
            line = lines[i]
            body = line[1:]
            if i + 1 < len(lines) and lines[i + 1] == b"\\ No newline at end of file\n":
                body = body[:-1]
                i += 1
            if line.startswith(b" "):
                assert old_lines[pos] == body
                out.append(body)
                pos += 1
                seen_old += 1
                seen_new += 1
            elif line.startswith(b"-"):
                assert old_lines[pos] == body
                pos += 1
                seen_old += 1
            else:
                assert line.startswith(b"+"), line
                out.append(body)
                seen_new += 1
            i += 1
        assert (seen_old, seen_new) == (old_len, new_len)
    out.extend(old_lines[pos:])
    return b"".join(out)


def check(original: str, *spans: tuple[int, int, str], bom: bytes = b"", encoding: str = "utf-8") -> bytes:
    result = result_of(original, *spans)
    doc = Document(original, encoding, bom)
    patch = unified_diff(result, doc, "x.txt", context=1)
    assert apply_strictly(doc.encode(), patch) == doc.with_text(result.text).encode()
    return patch


def test_no_final_newline_is_marked() -> None:
    patch = check("正文。\n\n某某整理，咨询QQ123", (3, 19, ""))
    expected = "-某某整理，咨询QQ123\n\\ No newline at end of file\n+正文。\n\\ No newline at end of file\n"
    assert patch.endswith(expected.encode("utf-8"))


def test_crlf_lines_keep_their_carriage_returns() -> None:
    patch = check("广告\r\n标题\r\n正文\r\n", (0, 4, ""))
    assert b"-\xe5\xb9\xbf\xe5\x91\x8a\r\n" in patch and b" \xe6\xa0\x87\xe9\xa2\x98\r\n" in patch


def test_joined_lines_take_in_the_next_line() -> None:
    check("甲\n第一段##pagebreak##\n继续。\n乙\n", (5, 19, ""))


def test_bom_moves_to_the_new_first_line() -> None:
    patch = check("广告\n标题\n正文\n", (0, 3, ""), bom=b"\xef\xbb\xbf")
    assert b"+\xef\xbb\xbf\xe6\xa0\x87\xe9\xa2\x98\n" in patch


def test_everything_removed_keeps_the_bom() -> None:
    check("广告\n", (0, 3, ""), bom=b"\xef\xbb\xbf")
    check("广告\n", (0, 3, ""))


def test_gb18030_lines_are_in_gb18030() -> None:
    patch = check("广告\n标题\n", (0, 3, ""), encoding="gb18030")
    assert "-广告\n".encode("gb18030") in patch


def test_utf16_is_refused() -> None:
    result = result_of("广告\n标题\n", (0, 3, ""))
    with pytest.raises(UnifiedDiffError, match="utf-16-le"):
        unified_diff(result, Document(result.original, "utf-16-le", b"\xff\xfe"), "x.txt")


def test_no_edits_no_patch() -> None:
    assert unified_diff(result_of("正文\n"), Document("正文\n", "utf-8"), "x.txt") == b""


@st.composite
def edited(draw) -> tuple[str, list[tuple[int, int, str]], bool]:  # type: ignore[no-untyped-def]
    text = draw(st.text(alphabet=st.sampled_from(list("ab正\n\r ")), max_size=50))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))))
    spans = [(s, e, draw(st.sampled_from(["", "", "x", "\n"]))) for s, e in zip(cuts[::2], cuts[1::2]) if s < e]
    return text, spans, draw(st.booleans())


@settings(max_examples=300, deadline=None)
@given(edited(), st.integers(0, 3))
def test_any_edits_give_an_exact_patch(case: tuple[str, list[tuple[int, int, str]], bool], context: int) -> None:
    text, spans, with_bom = case
    result = result_of(text, *spans)
    doc = Document(text, "utf-8", b"\xef\xbb\xbf" if with_bom else b"")
    patch = unified_diff(result, doc, "x.txt", context=context)
    if result.edits:
        assert apply_strictly(doc.encode(), patch) == doc.with_text(result.text).encode()


def copy_corpora(root: Path, corpora: tuple[str, ...]) -> list[tuple[Path, Path]]:
    pairs = []
    for corpus in corpora:
        (root / corpus).mkdir(parents=True)
        for inp in sorted((DATA / corpus / "input").iterdir()):
            shutil.copyfile(inp, root / corpus / inp.name)
            pairs.append((Path(corpus) / inp.name, DATA / corpus / "expected" / inp.name))
    return pairs


@pytest.mark.skipif(PATCH is None, reason="GNU patch is not installed (apt-get install patch)")
def test_patch_p1_reproduces_the_cleaned_corpora(tmp_path: Path) -> None:
    work = tmp_path / "work"
    pairs = copy_corpora(work, ("seeds", "variants"))
    proc = run_cli("diff", "--format", "unified", "-q", "seeds", "variants", cwd=work)
    assert proc.returncode == 1, proc.stderr.decode()
    assert proc.stderr == b""
    assert proc.stdout.startswith(b"--- a/seeds/")
    assert b"+++ b/variants/p02_crlf.txt\n" in proc.stdout
    target = tmp_path / "target"
    shutil.copytree(work, target)
    applied = subprocess.run(
        [PATCH, "-p1", "--batch", "--forward", "--no-backup-if-mismatch"],
        input=proc.stdout,
        cwd=target,
        capture_output=True,
    )
    assert applied.returncode == 0, applied.stdout.decode() + applied.stderr.decode()
    for relative, expected in pairs:
        assert (target / relative).read_bytes() == expected.read_bytes(), relative
    if GIT is not None:
        repo = tmp_path / "repo"
        shutil.copytree(work, repo)
        subprocess.run([GIT, "init", "-q", "."], cwd=repo, check=True)
        git = subprocess.run([GIT, "apply", "-p1", "-"], input=proc.stdout, cwd=repo, capture_output=True)
        assert git.returncode == 0, git.stderr.decode()
        for relative, expected in pairs:
            assert (repo / relative).read_bytes() == expected.read_bytes(), relative


@pytest.mark.skipif(PATCH is None, reason="GNU patch is not installed (apt-get install patch)")
def test_patch_reproduces_the_cases_with_bom_gb18030_and_no_final_newline(tmp_path: Path) -> None:
    work = tmp_path / "work"
    pairs = [p for p in copy_corpora(work, ("cases",)) if "utf16" not in p[0].name]
    proc = run_cli("diff", "--format", "unified", "-q", *[str(p[0]) for p in pairs], cwd=work)
    assert proc.returncode == 1, proc.stderr.decode()
    applied = subprocess.run(
        [PATCH, "-p1", "--batch", "--no-backup-if-mismatch"], input=proc.stdout, cwd=work, capture_output=True
    )
    assert applied.returncode == 0, applied.stdout.decode()
    for relative, expected in pairs:
        assert (work / relative).read_bytes() == expected.read_bytes(), relative


def test_utf16_and_jsonl_are_errors_and_the_others_still_go(tmp_path: Path) -> None:
    utf16 = DATA / "cases" / "input" / "j22_utf16le_bom_crlf_contacts.txt"
    other = DATA / "seeds" / "input" / "003_cf18c62b31b01f76.txt"
    shutil.copyfile(utf16, tmp_path / "u.txt")
    shutil.copyfile(other, tmp_path / "o.txt")
    (tmp_path / "c.jsonl").write_text('{"text": "正文##paidend##\\n"}\n', encoding="utf-8")
    proc = run_cli("diff", "--format", "unified", "u.txt", "c.jsonl", "o.txt", cwd=tmp_path)
    assert proc.returncode == 2
    assert b"u.txt: a unified diff needs an ASCII-compatible encoding" in proc.stderr
    assert b"c.jsonl: a unified diff covers text files" in proc.stderr
    assert proc.stdout.startswith(b"--- a/o.txt\n+++ b/o.txt\n")


def test_clean_file_gives_an_empty_patch(tmp_path: Path) -> None:
    clean = DATA / "seeds" / "input" / "001_083cd0e68a556ba8.txt"
    proc = run_cli("diff", "--format", "unified", str(clean))
    assert proc.returncode == 0 and proc.stdout == b""


@pytest.mark.skipif(PATCH is None, reason="GNU patch is not installed (apt-get install patch)")
def test_patch_of_a_path_outside_the_current_folder_applies(tmp_path: Path) -> None:
    # Issue 13 item 9: `../x/r.txt` used to give `a/../x/r.txt`, which patch and git apply refuse.
    (tmp_path / "x").mkdir()
    (tmp_path / "here").mkdir()
    source = DATA / "seeds" / "input" / "003_cf18c62b31b01f76.txt"
    shutil.copyfile(source, tmp_path / "x" / "r.txt")
    proc = run_cli("diff", "--format", "unified", "../x/r.txt", cwd=tmp_path / "here")
    assert proc.returncode == 1, proc.stderr.decode()
    assert proc.stdout.startswith(b"--- a/x/r.txt\n+++ b/x/r.txt\n")
    assert b"relative to " + str(tmp_path).encode() in proc.stderr
    applied = subprocess.run([PATCH, "-p1", "--batch"], input=proc.stdout, cwd=tmp_path, capture_output=True)
    assert applied.returncode == 0, applied.stdout.decode()
    assert (tmp_path / "x" / "r.txt").read_bytes() == (DATA / "seeds" / "expected" / source.name).read_bytes()
