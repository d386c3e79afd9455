"""Compressed text: which compression a file's first bytes name, and a stream that undoes it.

gzip, bzip2 and xz come with Python. Zstandard (``.zst``) is read through the ``zstandard``
package when it is installed (``pip install 'embedlab[zstd]'``), or Python's own
``compression.zstd`` from 3.14; without either, a Zstandard file is one error line naming it,
never a decoding error about its bytes.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import zlib

from embedlab.errors import EmbedlabError

_BZIP2_BLOCKS = (b"1AY&", b"\x17rE8")  # first block, or end of an empty stream
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
#: The compression each suffix claims.
SUFFIXES = {".gz": "gzip", ".gzip": "gzip", ".bz2": "bzip2", ".xz": "xz", ".zst": "zstd"}
#: Errors a damaged stream raises while it is read.
CORRUPT = (EOFError, OSError, zlib.error, lzma.LZMAError)


def compression(head: bytes) -> str | None:
    """The compression named by a stream's first 10 bytes; the full bzip2 header is checked
    because plain text may start with "BZh"."""
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head.startswith(b"BZh") and head[3:4].isdigit() and head[4:8] in _BZIP2_BLOCKS:
        return "bzip2"
    if head.startswith(_ZSTD_MAGIC):
        return "zstd"
    return None


def decompressing(raw, kind: str, name: str):
    """A binary stream of ``raw``'s bytes decompressed as ``kind`` (``compression``'s names)."""
    if kind == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if kind == "bzip2":
        return bz2.BZ2File(raw, mode="rb")
    if kind == "xz":
        return lzma.LZMAFile(raw, mode="rb")
    return _zstd_reader(raw, name)


def _zstd_reader(raw, name: str):
    try:
        from compression import zstd  # Python 3.14 and later

        return _Damage(zstd.ZstdFile(raw), zstd.ZstdError)
    except ImportError:
        pass
    try:
        import zstandard
    except ImportError:
        raise EmbedlabError(
            f"{name} is Zstandard-compressed, which needs the zstandard package: pip install "
            "'embedlab[zstd]' (or zstandard), or decompress it first (zstd -d)"
        ) from None
    # every frame: zstd -T and concatenated files hold several
    reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
    return _Damage(reader, zstandard.ZstdError)


class _Damage:
    """A stream whose own error for damaged data becomes an EOFError, one of ``CORRUPT``."""

    def __init__(self, stream, error: type[BaseException]):
        self._stream, self._error = stream, error

    def read(self, size: int = -1) -> bytes:
        try:
            return self._stream.read(size)
        except self._error as err:
            raise EOFError(str(err)) from None
