"""ftfy's own test cases as a table for the `repair-mojibake` rule (tests/data/mojibake/ftfy-cases.json)."""

from __future__ import annotations

import json
from pathlib import Path

import ftfy
import pytest

from cleaner import Cleaner

CASES = json.loads((Path(__file__).parent / "data" / "mojibake" / "ftfy-cases.json").read_text(encoding="utf-8"))
PASSING = [c for c in CASES if c["expect"] == "pass"]
FAILING = [c for c in CASES if c["expect"] == "fail"]


@pytest.fixture(scope="module")
def repair() -> Cleaner:
    return Cleaner(select=["repair-mojibake"])


def test_the_table_is_complete() -> None:
    # 151 passing cases, 103 of them mojibake and 48 that must stay as they are.
    assert len(PASSING) == 151
    assert sum(c["fixed-encoding"] != c["original"] for c in PASSING) == 103


@pytest.mark.parametrize("case", PASSING, ids=[f"{c['file'].split('/')[-1]}:{c['label']}" for c in PASSING])
def test_passing_case(case: dict[str, str], repair: Cleaner) -> None:
    assert repair.clean(case["original"]).text == case["fixed-encoding"]


@pytest.mark.parametrize("case", FAILING, ids=[c["label"] for c in FAILING])
def test_known_failure_behaves_as_ftfy(case: dict[str, str], repair: Cleaner) -> None:
    # ftfy's own known failures: the rule does exactly what ftfy does, no better, no worse.
    assert repair.clean(case["original"]).text == ftfy.fix_encoding(case["original"])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("РґРѕСЂРѕРіРµ Р\u0098Р·-РїРѕРґ", "utf-8 read as windows-1251"),
        ("Le g√¢teaux r√©gime √©quilibr√©.", "utf-8 read as macroman"),
        ("#╨┐╤Ç╨░╨▓╨╕╨╗╤î╨╜╨╛╨╡", "utf-8 read as cp437"),
        ("二、å·¥ä½œå¼€å±•æƒ…å†µ", "utf-8 read as windows-1252 inside good text"),
        ("å\u008cºå±\u0080", "utf-8 read as latin-1"),
    ],
)
def test_the_reason_names_the_codec_pair(text: str, reason: str, repair: Cleaner) -> None:
    (edit,) = repair.clean(text).edits
    assert edit.reason == reason


@pytest.mark.parametrize(
    "codec",
    [
        "sloppy-windows-1250",
        "sloppy-windows-1251",
        "sloppy-windows-1252",
        "sloppy-windows-1253",
        "sloppy-windows-1254",
        "sloppy-windows-1257",
    ],
)
def test_sloppy_codecs_spelled_out_as_ftfy_defines_them(codec: str) -> None:
    import ftfy.bad_codecs  # noqa: F401  (registers the sloppy codecs)

    from cleaner.kinds.fix_mojibake import _decode

    every = bytes(range(0x80, 0x100))
    assert _decode(every, codec, "k") == every.decode(codec, errors="ignore")
