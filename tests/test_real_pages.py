"""Real pages of many sites (tests/data/real, tests/data/wild-dev): never lose body text; exact where we are.

``real`` holds 107 pages of 102 sites collected for this project (sources in
SOURCES.tsv, every labelled line in LINES.tsv); ``holdout`` holds 42 pages of
42 further sites, collected and labelled apart and never tuned on (scored only:
see its README); ``wild-dev`` is the shared development sample. The cleaner does not yet remove every junk line of every
site: the cases it leaves junk in, and the few where it still loses body
text, are listed in KNOWN.toml and marked as strict expected failures, so a
fix shows up as an unexpected pass (take the case off the list) and a new
miss or loss fails the suite.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest
from conftest import DATA

from cleaner import Cleaner
from cleaner.batch import clean_bytes
from cleaner.document import decode

CLEANER = Cleaner()
KNOWN = tomllib.loads((DATA / "real" / "KNOWN.toml").read_text(encoding="utf-8"))
CASES = [
    (f"{corpus}/{p.name}", p, DATA / corpus / "expected" / p.name)
    for corpus in ("real", "holdout", "wild-dev")
    for p in sorted((DATA / corpus / "input").iterdir())
]


def _mark(name: str, key: str) -> list[pytest.MarkDecorator]:
    why = KNOWN[key].get(name)
    return [pytest.mark.xfail(strict=True, reason=why)] if why is not None else []


def _lines(data: bytes) -> Counter[str]:
    return Counter(line for line in decode(data).text.splitlines() if line.strip())


@pytest.mark.parametrize(
    ("inp", "expected"),
    [pytest.param(i, e, id=n, marks=_mark(n, "not_exact")) for n, i, e in CASES],
)
def test_exact(inp: Path, expected: Path) -> None:
    doc, result = clean_bytes(inp.read_bytes(), CLEANER)
    assert doc.with_text(result.text).encode() == expected.read_bytes()


@pytest.mark.parametrize(
    ("inp", "expected"),
    [pytest.param(i, e, id=n, marks=_mark(n, "loses_body")) for n, i, e in CASES],
)
def test_no_body_line_lost(inp: Path, expected: Path) -> None:
    doc, result = clean_bytes(inp.read_bytes(), CLEANER)
    kept = _lines(doc.with_text(result.text).encode())
    lost = _lines(expected.read_bytes()) - kept
    # A line cut inline (a jammer) is changed, not lost: it must be in the output as expected.
    assert not lost, f"body lines lost: {list(lost)[:5]}"


def test_sources_cover_every_case() -> None:
    import csv

    with open(DATA / "real" / "SOURCES.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    names = {r["name"] for r in rows}
    assert names == {p.name for p in (DATA / "real" / "input").iterdir()}
    assert all(r["site"] and r["url"].startswith("http") for r in rows)
    assert len({r["site"] for r in rows}) >= 60


def test_holdout_sites_are_new() -> None:
    """The held-out pages come from sites of their own: none of tests/data/real's."""
    import csv

    def rows(corpus: str) -> list[dict[str, str]]:
        with open(DATA / corpus / "SOURCES.tsv", encoding="utf-8") as f:
            return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))

    held = rows("holdout")
    assert {r["name"] for r in held} == {p.name for p in (DATA / "holdout" / "input").iterdir()}
    assert all(r["site"] and r["url"].startswith("http") for r in held)
    assert len({r["site"] for r in held}) == len(held) >= 20
    assert not {r["site"] for r in held} & {r["site"] for r in rows("real")}
