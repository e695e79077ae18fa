"""The labelled corpora, byte for byte: through the API and through the real CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CORPORA, DATA, corpus_cases, run_cli

from cleaner import Cleaner
from cleaner.batch import clean_bytes

CASES = corpus_cases()
CLEANER = Cleaner()


@pytest.mark.parametrize(("name", "inp", "expected"), CASES, ids=[c[0] for c in CASES])
def test_api_produces_expected_bytes(name: str, inp: Path, expected: Path) -> None:
    doc, result = clean_bytes(inp.read_bytes(), CLEANER)
    assert doc.with_text(result.text).encode() == expected.read_bytes()


@pytest.mark.parametrize(("name", "inp", "expected"), CASES, ids=[c[0] for c in CASES])
def test_expected_is_a_fixed_point(name: str, inp: Path, expected: Path) -> None:
    _doc, result = clean_bytes(expected.read_bytes(), CLEANER)
    assert result.edits == ()


@pytest.mark.parametrize("corpus", CORPORA)
def test_cli_in_place_matches_expected(corpus: str, tmp_path: Path) -> None:
    inputs = sorted((DATA / corpus / "input").iterdir())
    for inp in inputs:
        shutil.copyfile(inp, tmp_path / inp.name)
    proc = run_cli("clean", "--in-place", *[str(tmp_path / p.name) for p in inputs])
    assert proc.returncode == 0, proc.stderr.decode()
    for inp in inputs:
        assert (tmp_path / inp.name).read_bytes() == (DATA / corpus / "expected" / inp.name).read_bytes(), inp.name


def test_clean_documents_are_not_rewritten(tmp_path: Path) -> None:
    # A document with nothing to remove keeps its bytes and its modification time.
    clean = DATA / "seeds" / "input" / "001_083cd0e68a556ba8.txt"
    target = tmp_path / "clean.txt"
    shutil.copyfile(clean, target)
    before = target.stat().st_mtime_ns
    proc = run_cli("clean", "--in-place", str(target))
    assert proc.returncode == 0
    assert target.read_bytes() == clean.read_bytes()
    assert target.stat().st_mtime_ns == before
