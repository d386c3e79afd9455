"""Reading corpus text: sources to files, files to decoded lines, one line at a time.

A source is a file, a directory (every non-hidden file below it, recursively, in sorted path
order) or ``-`` for standard input. Files may be plain text or gzip, bzip2 or xz compressed;
compression is recognised from the magic bytes, and a compression extension whose magic bytes do
not match is an error rather than a silent read of binary garbage. Text is decoded in fixed-size
chunks, so memory stays flat however long the file is, and an undecodable byte is reported with
the file and its byte offset. A line longer than ``LINE_PIECE_CHARS`` characters comes out of
``read_pieces`` in pieces cut at whitespace, so that a file with no newlines is tokenized in
bounded memory into the same tokens and the same one sentence.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from embedlab.errors import EmbedlabError, setting

STDIN = "-"
ERROR_MODES = ("strict", "replace")

#: Bytes read and decoded at a time: big enough to amortise the Python loop, small enough that
#: memory does not depend on the input.
CHUNK_BYTES = 1 << 20

#: Characters of one line held before a piece of it is handed on (about 1 M; a piece may grow
#: by one chunk past it before it is cut). A run of more characters without any whitespace is
#: cut at this length.
LINE_PIECE_CHARS = 1 << 20
_SPACES = " \t\r\f\v"

_BZIP2_BLOCKS = (b"1AY&", b"\x17rE8")  # first block, or end of an empty stream
_EXTENSIONS = {".gz": "gzip", ".gzip": "gzip", ".bz2": "bzip2", ".xz": "xz"}
_OPENERS = {
    "gzip": lambda raw: gzip.GzipFile(fileobj=raw, mode="rb"),
    "bzip2": lambda raw: bz2.BZ2File(raw, mode="rb"),
    "xz": lambda raw: lzma.LZMAFile(raw, mode="rb"),
}
_CORRUPT = (EOFError, OSError, zlib.error, lzma.LZMAError)


def check_decoding(encoding: str, errors: str) -> None:
    """Reject an unknown codec or error mode before any input is read."""
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError):
        raise EmbedlabError(
            f"unknown encoding {encoding!r}: use a Python codec name such as utf-8 or latin-1"
        ) from None
    if errors not in ERROR_MODES:
        raise EmbedlabError(f"errors must be one of {', '.join(ERROR_MODES)}; got {errors!r}")


def expand_sources(sources: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path | str]:
    """The files to read, in order: directories expanded, ``-`` kept as the stdin marker.

    Raises EmbedlabError for no sources, a missing path, or a directory without files.
    """
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    files: list[Path | str] = []
    for source in sources:
        if str(source) == STDIN:
            files.append(STDIN)
            continue
        path = Path(source)
        if path.is_dir():
            files.extend(_files_below(path))
        elif path.is_file():
            files.append(path)
        elif path.exists():
            raise EmbedlabError(f"input {str(path)!r} is not a regular file: give a text file")
        else:
            raise EmbedlabError(f"input {str(path)!r} does not exist: check the path")
    if not files:
        raise EmbedlabError("no input given: pass one or more files or directories, or - for stdin")
    return files


def _files_below(folder: Path) -> list[Path]:
    """Non-hidden files under ``folder`` (hidden folders skipped too), sorted by path."""
    found = sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )
    if not found:
        raise EmbedlabError(f"directory {str(folder)!r} has no files: put text files in it")
    return found


def display_name(source: Path | str) -> str:
    return "<stdin>" if source == STDIN else str(source)


def read_lines(
    sources: Iterable[Path | str], encoding: str = "utf-8", errors: str = "strict"
) -> Iterator[str]:
    """Every line of every source in turn, decoded, without its line ending (LF or CRLF).

    ``sources`` are files or ``-`` as returned by ``expand_sources``. ``errors="strict"`` (the
    default) makes an undecodable byte an EmbedlabError naming the file and byte offset;
    ``"replace"`` substitutes U+FFFD and goes on. A line is held whole: use ``read_pieces``
    where a line may be very long.
    """
    held: list[str] = []
    for piece, ends in read_pieces(sources, encoding, errors):
        held.append(piece)
        if ends:
            yield "".join(held)
            held = []


def read_pieces(
    sources: Iterable[Path | str], encoding: str = "utf-8", errors: str = "strict"
) -> Iterator[tuple[str, bool]]:
    """``(text, line_ends)`` for every line of every source, as ``read_lines`` reads them.

    A short line is one piece with ``line_ends`` True. A line longer than ``LINE_PIECE_CHARS``
    comes in several pieces, cut just before a whitespace character (so no token spans a cut),
    the last one with ``line_ends`` True; joined, they are the line.
    """
    check_decoding(encoding, errors)
    for source in sources:
        yield from _lines_of(source, encoding, errors)


def _lines_of(source: Path | str, encoding: str, errors: str) -> Iterator[tuple[str, bool]]:
    if source == STDIN:
        binary = getattr(sys.stdin, "buffer", None)
        if binary is None:  # a text-only stream (tests, notebooks) is already decoded
            yield from ((line.rstrip("\r\n"), True) for line in sys.stdin)
            return
        stream = _decompressed(_peekable(binary), "<stdin>", None)
        yield from _decoded_lines(stream, "<stdin>", encoding, errors)
        return
    name = str(source)
    with open(source, "rb") as raw:
        stream = _decompressed(raw, name, Path(source).suffix.lower())
        yield from _decoded_lines(stream, name, encoding, errors)


def read_range(
    path: Path | str, start: int, end: int, encoding: str = "utf-8", errors: str = "strict"
) -> Iterator[tuple[str, bool]]:
    """``read_pieces`` for bytes ``[start, end)`` of an uncompressed file, both on line
    boundaries (0, the end, or just after a LF): the lines the whole file's reading gives there.
    """
    check_decoding(encoding, errors)
    with open(path, "rb") as raw:
        raw.seek(start)
        yield from _decoded_lines(_Window(raw, end - start), str(path), encoding, errors, start)


class _Window:
    """A binary stream that ends after ``size`` bytes of ``raw``."""

    def __init__(self, raw, size: int):
        self._raw, self._left = raw, size

    def read(self, n: int) -> bytes:
        data = self._raw.read(min(n, self._left))
        self._left -= len(data)
        return data


def compression_of(path: Path | str) -> str | None:
    """The compression of a file from its magic bytes (None: plain), as reading detects it."""
    with open(path, "rb") as raw:
        return _compression(raw.read(10))


def _peekable(stream):
    return stream if hasattr(stream, "peek") else io.BufferedReader(stream)


def _decompressed(raw, name: str, suffix: str | None):
    """A binary stream of the decompressed bytes, the format chosen by the magic bytes."""
    head = raw.peek(10)[:10]
    found = _compression(head)
    claimed = _EXTENSIONS.get(suffix or "")
    if claimed and head and found != claimed:
        raise EmbedlabError(
            f"{name} is named like {claimed} data but is not {claimed}-compressed: "
            f"rename or recompress it"
        )
    return _OPENERS[found](raw) if found else raw


def _compression(head: bytes) -> str | None:
    """The compression named by a stream's first 10 bytes; the full bzip2 header is checked
    because plain text may start with "BZh"."""
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head.startswith(b"BZh") and head[3:4].isdigit() and head[4:8] in _BZIP2_BLOCKS:
        return "bzip2"
    return None


def _decoded_lines(
    stream, name: str, encoding: str, errors: str, offset: int = 0
) -> Iterator[tuple[str, bool]]:
    """Decode ``stream`` chunk by chunk and split on LF, carrying a partial line across chunks
    and handing on a piece of it whenever it grows past ``LINE_PIECE_CHARS``. ``offset`` is the
    stream's first byte in the file, for error messages."""
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    partial: list[str] = []
    held = 0  # characters in partial
    while True:
        chunk = _read_chunk(stream, name)
        undecoded = len(decoder.getstate()[0])
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as err:
            raise _decode_error(name, encoding, err, offset - undecoded) from None
        offset += len(chunk)
        pieces = text.split("\n")
        if len(pieces) > 1:
            pieces[0] = "".join(partial) + pieces[0]
            for line in pieces[:-1]:
                yield _without_cr(line), True
            partial, held = [pieces[-1]], len(pieces[-1])
        elif pieces[0]:
            partial.append(pieces[0])
            held += len(pieces[0])
        if held > LINE_PIECE_CHARS:
            piece, rest = _cut("".join(partial))
            yield piece, False
            partial, held = [rest], len(rest)
        if not chunk:
            break
    last = "".join(partial)
    if last:
        yield _without_cr(last), True


def _without_cr(line: str) -> str:
    return line[:-1] if line.endswith("\r") else line


def _cut(text: str) -> tuple[str, str]:
    """``text`` split just before its last whitespace character, or at its end if it has none."""
    at = max(text.rfind(space) for space in _SPACES)
    return (text[:at], text[at:]) if at > 0 else (text, "")


def _read_chunk(stream, name: str) -> bytes:
    try:
        return stream.read(CHUNK_BYTES)
    except _CORRUPT as err:
        raise EmbedlabError(
            f"{name} is corrupt or truncated ({err}): re-download or recompress it"
        ) from None


def _decode_error(name: str, encoding: str, err: UnicodeDecodeError, base: int) -> EmbedlabError:
    byte = err.object[err.start]
    return EmbedlabError(
        f"{name}: byte 0x{byte:02x} at byte offset {base + err.start} is not valid {encoding}: "
        f"pass {setting('encoding', 'latin-1')} (or the file's real encoding) or "
        f"{setting('errors', 'replace')}"
    )
