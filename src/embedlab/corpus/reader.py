"""Reading corpus text: sources to files, files to decoded lines, one line at a time.

A source is a file, a directory (every non-hidden file below it, recursively, in sorted path
order) or ``-`` for standard input. Files may be plain text or gzip, bzip2, xz or Zstandard
compressed (``compression.py``); compression is recognised from the magic bytes, and a
compression extension whose magic bytes do not match is an error rather than a silent read of
binary garbage. A byte-order mark decides the encoding among UTF-8, UTF-16 and UTF-32 (one that
contradicts ``encoding`` is an error naming both), and NUL bytes at the start of a file read in
a byte-wide encoding are refused as UTF-16 without a mark or not text at all. Text is decoded in
fixed-size chunks, so memory stays flat however long the file is, and an undecodable byte is
reported with the file and its byte offset. Every file is opened once up front, so an
unreadable one is one error line before any is read. A line longer than ``LINE_PIECE_CHARS``
characters comes out of ``read_pieces`` in pieces cut at whitespace, so that a file with no
newlines is tokenized in bounded memory into the same tokens and the same one sentence.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from embedlab.corpus.compression import CORRUPT, SUFFIXES, compression, decompressing
from embedlab.errors import EmbedlabError, setting
from embedlab.fileio import open_input, read_error

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

#: Byte-order marks: (bytes, codec, name); UTF-32 LE's begins with UTF-16 LE's, so it comes first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 (little-endian)"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 (big-endian)"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 (little-endian)"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 (big-endian)"),
)
#: A byte-wide text holding more NUL bytes than this share of its first chunk is not such text.
_NUL_SHARE = 0.01


def check_decoding(encoding: str, errors: str) -> None:
    """Reject an unknown codec or error mode before any input is read."""
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError):
        raise EmbedlabError(
            f"unknown encoding {encoding!r}: use a Python codec name such as utf-8 or latin-1"
        ) from None
    if errors not in ERROR_MODES:
        raise EmbedlabError(
            f"{setting('errors')} must be one of {', '.join(ERROR_MODES)}; got {errors!r}"
        )


def expand_sources(sources: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path | str]:
    """The files to read, in order: directories expanded, ``-`` kept as the stdin marker.

    Raises EmbedlabError for no sources, a missing path, or a directory without files.
    """
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    if not isinstance(sources, Iterable) or isinstance(sources, (bytes, bytearray)):
        raise EmbedlabError(
            f"sources must be a file or folder path, or a list of them; got "
            f"{type(sources).__name__} {sources!r}"
        )
    files: list[Path | str] = []
    for source in sources:
        if str(source) == STDIN:
            files.append(STDIN)
            continue
        if not isinstance(source, (str, os.PathLike)):
            raise EmbedlabError(
                f"a corpus source must be a file or folder path (or - for stdin), got "
                f"{type(source).__name__} {source!r}"
            )
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
    for path in files:
        if path != STDIN:
            open_input(path).close()  # an unreadable file fails now, not after the others
    return files


def _files_below(folder: Path) -> list[Path]:
    """Non-hidden files under ``folder`` (hidden folders skipped too), sorted by path."""
    try:
        found = sorted(
            path
            for path in folder.rglob("*")
            if path.is_file()
            and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        )
    except OSError as err:
        raise read_error(err.filename or folder, err) from None
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
    sources: Iterable[Path | str],
    encoding: str = "utf-8",
    errors: str = "strict",
    digests: dict | None = None,
) -> Iterator[tuple[str, bool]]:
    """``(text, line_ends)`` for every line of every source, as ``read_lines`` reads them.

    A short line is one piece with ``line_ends`` True. A line longer than ``LINE_PIECE_CHARS``
    comes in several pieces, cut just before a whitespace character (so no token spans a cut),
    the last one with ``line_ends`` True; joined, they are the line. With ``digests``, each
    file's SHA-256 (of its bytes as stored, taken while they are read) is put there under its
    path once the file is read.
    """
    check_decoding(encoding, errors)
    for source in sources:
        yield from _lines_of(source, encoding, errors, digests)


def _lines_of(
    source: Path | str, encoding: str, errors: str, digests: dict | None = None
) -> Iterator[tuple[str, bool]]:
    if source == STDIN:
        binary = getattr(sys.stdin, "buffer", None)
        if binary is None:  # a text-only stream (tests, notebooks) is already decoded
            yield from ((line.rstrip("\r\n"), True) for line in sys.stdin)
            return
        stream = _decompressed(_peekable(binary), "<stdin>", None)
        yield from _decoded_lines(stream, "<stdin>", encoding, errors)
        return
    name = str(source)
    with open_input(source) as raw:
        hashing = None if digests is None else _Hashing(raw)
        stream = _decompressed(hashing or raw, name, Path(source).suffix.lower())
        yield from _decoded_lines(stream, name, encoding, errors)
        if hashing is not None:
            digests[str(source)] = hashing.finish(name)


def read_range(
    path: Path | str, start: int, end: int, encoding: str = "utf-8", errors: str = "strict"
) -> Iterator[tuple[str, bool]]:
    """``read_pieces`` for bytes ``[start, end)`` of an uncompressed file, both on line
    boundaries (0, the end, or just after a LF): the lines the whole file's reading gives there.
    """
    check_decoding(encoding, errors)
    with open_input(path) as raw:
        raw.seek(start)
        yield from _decoded_lines(_Window(raw, end - start), str(path), encoding, errors, start)


class _Hashing:
    """A binary stream that hashes the bytes read through it."""

    def __init__(self, raw):
        self._raw, self._digest = raw, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self._digest.update(data)
        return data

    def peek(self, size: int = 1) -> bytes:
        return self._raw.peek(size)

    def finish(self, name: str) -> str:
        """The SHA-256 of every byte of the file (what the decompressor left unread too)."""
        while _read(self, CHUNK_BYTES, name):
            pass
        return self._digest.hexdigest()


def file_digest(path: Path | str) -> str:
    """The SHA-256 of the file ``path``'s bytes as stored, as ``read_pieces`` takes it."""
    with open_input(path) as raw:
        return _Hashing(raw).finish(str(path))


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
    with open_input(path) as raw:
        return compression(_read(raw, 10, str(path)))


def text_encoding(path: Path | str, encoding: str) -> str:
    """The codec a plain file is read with when ``encoding`` is asked for: its byte-order
    mark's, where it has one (EmbedlabError where that contradicts ``encoding``)."""
    with open_input(path) as raw:
        return _with_bom(_read(raw, 4, str(path)), str(path), encoding)[0]


def _peekable(stream):
    return stream if hasattr(stream, "peek") else io.BufferedReader(stream)


def _decompressed(raw, name: str, suffix: str | None):
    """A binary stream of the decompressed bytes, the format chosen by the magic bytes."""
    try:
        head = raw.peek(10)[:10]
    except OSError as err:
        raise read_error(name, err) from None
    found = compression(head)
    claimed = SUFFIXES.get(suffix or "")
    if claimed and head and found != claimed:
        raise EmbedlabError(
            f"{name} is named like {claimed} data but is not {claimed}-compressed: "
            f"rename or recompress it"
        )
    return decompressing(raw, found, name) if found else raw


def _with_bom(head: bytes, name: str, encoding: str) -> tuple[str, int]:
    """The codec for a text that starts with ``head`` when ``encoding`` is asked for, and how
    many bytes of byte-order mark to skip."""
    found = next((entry for entry in _BOMS if head.startswith(entry[0])), None)
    if found is None:
        return encoding, 0
    bom, codec, label = found
    asked = codecs.lookup(encoding).name
    if asked in ("utf-8", "utf-8-sig") or asked[:6] == codec[:6]:
        return codec, len(bom)
    raise EmbedlabError(
        f"{name} starts with a {label} byte-order mark, so it is {label} text, not {encoding}: "
        f"pass {setting('encoding', codec)} (or leave {setting('encoding')} out)"
    )


def _check_not_wide(head: bytes, name: str, encoding: str) -> None:
    """Refuse NUL bytes in a byte-wide encoding: UTF-16 or UTF-32 without a byte-order mark
    (which would decode to one-letter junk), or not text at all."""
    if codecs.lookup(encoding).name[:6] in ("utf-16", "utf-32") or not head:
        return
    nuls = head.count(0)
    if nuls <= _NUL_SHARE * len(head):
        return
    odd = head[1::2].count(0)
    guess = "utf-16-le" if odd > 0.9 * nuls else "utf-16-be" if odd < 0.1 * nuls else None
    hint = (
        f"it looks like UTF-16 without a byte-order mark: pass {setting('encoding', guess)}"
        if guess
        else "give a text file (UTF-16 or UTF-32 text needs "
        f"{setting('encoding', 'utf-16-le')} or another UTF-16/32 codec)"
    )
    raise EmbedlabError(f"{name} holds NUL bytes ({nuls} of its first {len(head)}): {hint}")


def _decoded_lines(
    stream, name: str, encoding: str, errors: str, offset: int = 0
) -> Iterator[tuple[str, bool]]:
    """Decode ``stream`` chunk by chunk and split on LF, carrying a partial line across chunks
    and handing on a piece of it whenever it grows past ``LINE_PIECE_CHARS``. ``offset`` is the
    stream's first byte in the file, for error messages."""
    chunk = _read(stream, CHUNK_BYTES, name)
    ended = not chunk
    if offset == 0:
        encoding, skip = _with_bom(chunk, name, encoding)
        _check_not_wide(chunk, name, encoding)
        chunk, offset = chunk[skip:], skip
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    partial: list[str] = []
    held = 0  # characters in partial
    while True:
        undecoded = len(decoder.getstate()[0])
        try:
            text = decoder.decode(chunk, final=ended)
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
        if ended:
            break
        chunk = _read(stream, CHUNK_BYTES, name)
        ended = not chunk
    last = "".join(partial)
    if last:
        yield _without_cr(last), True


def _without_cr(line: str) -> str:
    return line[:-1] if line.endswith("\r") else line


def _cut(text: str) -> tuple[str, str]:
    """``text`` split just before its last whitespace character, or at its end if it has none."""
    at = max(text.rfind(space) for space in _SPACES)
    return (text[:at], text[at:]) if at > 0 else (text, "")


def _read(stream, size: int, name: str) -> bytes:
    try:
        return stream.read(size)
    except OSError as err:
        if err.errno is not None:  # the disk or the permissions, not the data
            raise read_error(name, err) from None
        raise _corrupt(name, err) from None
    except CORRUPT as err:
        raise _corrupt(name, err) from None


def _corrupt(name: str, err: BaseException) -> EmbedlabError:
    return EmbedlabError(f"{name} is corrupt or truncated ({err}): re-download or recompress it")


def _decode_error(name: str, encoding: str, err: UnicodeDecodeError, base: int) -> EmbedlabError:
    byte = err.object[err.start]
    return EmbedlabError(
        f"{name}: byte 0x{byte:02x} at byte offset {base + err.start} is not valid {encoding}: "
        f"pass {setting('encoding', 'latin-1')} (or the file's real encoding) or "
        f"{setting('errors', 'replace')}"
    )
