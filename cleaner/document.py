"""Bytes to text and back, keeping the file's encoding and BOM exactly.

Detection order: a BOM (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) decides; then
strict UTF-8 (trying GB18030 first would turn UTF-8 into mojibake); then
GB18030, a superset of GBK and GB2312 that writes their bytes unchanged.
Anything else, or a NUL byte without a UTF-16/32 BOM, is refused with a clear
error rather than guessed: a wrong guess would be written back as damage.
Newlines are never converted: the engine keeps every line terminator as is.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
FALLBACK_ENCODINGS = ("utf-8", "gb18030")
# C0 controls other than the whitespace ones and ESC (ANSI colour in logs).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")


class DecodeError(ValueError):
    """The bytes are not a text document this tool can round-trip."""


@dataclass(frozen=True, slots=True)
class Document:
    text: str
    encoding: str  # a Python codec name, without BOM handling
    bom: bytes = b""

    @property
    def newline(self) -> str:
        """The document's dominant line terminator (for display; text keeps its own)."""
        crlf = self.text.count("\r\n")
        lf = self.text.count("\n") - crlf
        cr = self.text.count("\r") - crlf
        best = max((crlf, "\r\n"), (lf, "\n"), (cr, "\r"))
        return best[1] if best[0] else "\n"

    def with_text(self, text: str) -> Document:
        return replace(self, text=text)

    def encode(self) -> bytes:
        return self.bom + self.text.encode(self.encoding)


def decode(data: bytes, encoding: str | None = None) -> Document:
    """Decode ``data``; ``encoding`` forces a codec (a BOM is still honoured and kept)."""
    bom, body = b"", data
    for mark, codec in _BOMS:
        if data.startswith(mark):
            bom, body = mark, data[len(mark) :]
            if encoding is None:
                encoding = codec
            break
    if encoding is not None:
        try:
            doc = Document(body.decode(encoding), encoding, bom)
        except (UnicodeDecodeError, LookupError) as exc:
            raise DecodeError(f"cannot decode as {encoding}: {exc}") from None
        return _checked(doc, data)
    if b"\x00" in body:
        raise DecodeError("binary file (NUL bytes and no UTF-16/UTF-32 byte-order mark)")
    for codec in FALLBACK_ENCODINGS:
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        return _checked(Document(text, codec, bom), data)
    raise DecodeError("undecodable: neither UTF-8 nor GB18030 (use --encoding to name the codec)")


def _checked(doc: Document, data: bytes) -> Document:
    # Writing back must reproduce the bytes we read; refuse what would not.
    if doc.encode() != data:
        raise DecodeError(f"decoding as {doc.encoding} does not round-trip; refusing to rewrite it")
    if _looks_binary(doc.text):
        raise DecodeError("binary file (control characters)")
    return doc


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not _CONTROL.search(sample):  # the usual case, decided in C
        return False
    controls = len(_CONTROL.findall(sample))
    return controls * 20 > len(sample)  # more than 5% control characters
