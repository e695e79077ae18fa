"""Encodings round-trip; bad input gets a clear error."""

from __future__ import annotations

import codecs

import pytest

from cleaner.document import DecodeError, decode

TEXT = "县统计局2022年工作总结\r\n（一）加强学习：“三会一课”。\u3000\n"


@pytest.mark.parametrize(
    ("data", "encoding", "bom"),
    [
        (TEXT.encode("utf-8"), "utf-8", b""),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8", codecs.BOM_UTF8),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le", codecs.BOM_UTF16_LE),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be", codecs.BOM_UTF16_BE),
        (TEXT.encode("gb18030"), "gb18030", b""),
        (TEXT.replace("\u3000", "").encode("gbk"), "gb18030", b""),
    ],
)
def test_round_trip(data: bytes, encoding: str, bom: bytes) -> None:
    doc = decode(data)
    assert (doc.encoding, doc.bom) == (encoding, bom)
    assert doc.encode() == data


def test_utf8_is_tried_before_gb18030() -> None:
    # These UTF-8 bytes also decode as GB18030 (into mojibake); UTF-8 must win.
    data = "统计".encode()
    assert decode(data).text == "统计"


def test_newline_is_reported_not_changed() -> None:
    doc = decode(b"a\r\nb\r\n")
    assert doc.newline == "\r\n" and doc.text == "a\r\nb\r\n"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(1, 32)) * 20, "binary"),
        (b"\xff\xff\xff\xfe\x80", "undecodable"),
    ],
)
def test_bad_input(data: bytes, message: str) -> None:
    with pytest.raises(DecodeError, match=message):
        decode(data)


def test_forced_encoding() -> None:
    data = "統計".encode("big5")
    assert decode(data, "big5").text == "統計"
    with pytest.raises(DecodeError, match="cannot decode as utf-8"):
        decode(b"\xff\xfe\xfd", "utf-8")
