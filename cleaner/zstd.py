"""Zstandard streams (``*.jsonl.zst``), read and written with the ``zstandard`` package (extra ``[zstd]``).

Reading goes frame by frame through ``ZstdDecompressor.decompressobj`` rather
than ``stream_reader``: the latter returns a truncated file's records as if
the file ended there, while a rewrite in place must know that the stream
stopped in the middle of a frame (a file cut short by a full disk or a killed
download) and leave the file alone.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

CHUNK = 1 << 18  # compressed bytes read at a time
LEVEL = 3  # zstd's own default: fast, and a good ratio on text


class TruncatedZstd(EOFError):
    """The stream stopped inside a frame."""

    def __init__(self) -> None:
        super().__init__("the compressed stream ends early (a truncated .zst)")


class MissingZstd(OSError):
    """The ``zstandard`` package is not installed."""


def _zstandard() -> Any:
    try:
        import zstandard
    except ImportError:
        raise MissingZstd("reading and writing .zst needs the zstandard package: pip install 'cleaner[zstd]'") from None
    return zstandard


class _FrameReader(io.RawIOBase):
    """The decompressed bytes of every frame of ``raw``, one after the other; a truncated
    last frame raises EOFError and anything that is not zstd raises OSError."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.zstd = _zstandard()
        self.dctx = self.zstd.ZstdDecompressor()
        self.obj: Any = None  # the frame being decompressed, None between frames
        self.buffer = b""  # decompressed bytes not yet handed out

    def readable(self) -> bool:
        return True

    def readinto(self, out: Any) -> int:
        view = memoryview(out).cast("B")
        while not self.buffer:
            if not self._fill():
                return 0
        n = min(len(view), len(self.buffer))
        view[:n] = self.buffer[:n]
        self.buffer = self.buffer[n:]
        return n

    def _fill(self) -> bool:
        """Decompress more; False at the clean end of the stream."""
        data = self.raw.read(CHUNK)
        if not data:
            if self.obj is not None:
                raise TruncatedZstd
            return False
        while data:
            if self.obj is None:
                self.obj = self.dctx.decompressobj()
            try:
                self.buffer += self.obj.decompress(data)
            except self.zstd.ZstdError as exc:
                raise OSError(f"not a zstd file or a corrupt one ({exc})") from None
            if not self.obj.eof:
                break
            data = self.obj.unused_data  # the next frame starts in this chunk
            self.obj = None
        return True

    def close(self) -> None:
        if not self.closed:
            self.raw.close()
        super().close()


def open_zstd(path: Path, mode: str = "rb") -> IO[bytes]:
    """A binary stream over the zstd file ``path``: read (``rb``) or written (``wb``)."""
    zstandard = _zstandard()
    if mode == "rb":
        return io.BufferedReader(_FrameReader(open(path, "rb")), CHUNK)
    if mode == "wb":
        fh = open(path, "wb")  # noqa: SIM115  # closed by the writer (closefd)
        writer: IO[bytes] = zstandard.ZstdCompressor(level=LEVEL).stream_writer(fh, closefd=True)
        return writer
    raise ValueError(f"mode {mode!r}: only 'rb' and 'wb'")
