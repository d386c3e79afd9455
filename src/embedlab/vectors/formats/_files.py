"""Opening vector files: compression by suffix, clear errors, atomic writes.

Vector files are often shipped compressed (fastText's ``.vec.gz``), so the text and binary
formats read and write ``.gz``, ``.bz2`` and ``.xz`` transparently.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import lzma
import mmap
import os
import zlib
from pathlib import Path

import numpy as np

from embedlab.errors import EmbedlabError, setting, warn
from embedlab.fileio import atomic_write, open_input, read_error

_READERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
#: The most dimensions a header may claim: a vector of 64 MiB. More is a damaged header, and
#: would be allocated before any value is read.
MAX_DIM = 1 << 24
#: Errors a damaged compressed stream raises while it is read.
DECOMPRESSION_ERRORS = (gzip.BadGzipFile, EOFError, lzma.LZMAError, OSError, zlib.error)


def compression(path: Path) -> str | None:
    """The compression suffix of ``path`` (``.gz``, ``.bz2``, ``.xz``) or None."""
    suffix = path.suffix.lower()
    return suffix if suffix in _READERS else None


def format_suffix(path: Path) -> str:
    """The suffix that names the format, looking past a compression suffix."""
    if compression(path):
        path = path.with_suffix("")
    return path.suffix.lower()


def check_readable(path) -> Path:
    """``path`` as a Path if it is a non-empty file; EmbedlabError otherwise."""
    if not isinstance(path, (str, os.PathLike)):
        raise EmbedlabError(f"a vectors file path is needed, got {type(path).__name__} {path!r}")
    path = Path(path)
    if path.is_dir():
        raise EmbedlabError(f"{path}: is a directory: give a vectors file")
    if not path.exists():
        raise EmbedlabError(f"{path}: no such file: check the path")
    try:
        size = path.stat().st_size
    except OSError as err:
        raise EmbedlabError(f"{path}: cannot read it ({err.strerror}): check the path") from None
    if size == 0:
        raise EmbedlabError(f"{path}: the file is empty: give a file with vectors in it")
    return path


@contextlib.contextmanager
def open_read(path: Path):
    """A binary handle on the (decompressed) contents of ``path``; a failed read is one line."""
    with open_input(path) as raw:
        opener = _READERS.get(compression(path))
        try:
            if opener is None:
                yield raw
            else:
                with opener(raw, "rb") as handle:
                    yield handle
        except OSError as err:
            if err.errno is None:  # the decompressor's word for damaged data
                raise
            raise read_error(path, err) from None


@contextlib.contextmanager
def read_buffer(path: Path):
    """The whole (decompressed) file as a bytes-like buffer: memory-mapped when plain."""
    if compression(path):
        with open_read(path) as handle:
            yield handle.read()
        return
    with open_input(path) as handle:
        try:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except OSError as err:
            raise read_error(path, err) from None
        with mapped:
            yield mapped


@contextlib.contextmanager
def open_write(path):
    """An atomic binary handle for ``path``, compressing per its suffix (reproducibly)."""
    path = Path(path)
    kind = compression(path)
    with atomic_write(path, "wb") as raw:
        if kind == ".gz":
            # mtime=0 and no name: the same vectors give the same bytes
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as handle:
                yield handle
        elif kind == ".bz2":
            with bz2.BZ2File(raw, "wb") as handle:
                yield handle
        elif kind == ".xz":
            with lzma.LZMAFile(raw, "wb") as handle:
                yield handle
        else:
            yield raw


def corrupt(path, where: str, problem: str, fix: str = "") -> EmbedlabError:
    """The one-line error for a damaged file: where, what, and what to do."""
    fix = fix or (
        "the file is damaged or not in this format; re-create it or give its " + setting("format")
    )
    location = f"{path}: {where}: " if where else f"{path}: "
    return EmbedlabError(f"{location}{problem}: {fix}")


def decode_word(raw: bytes, path, where: str, errors: str) -> str:
    """A word from its UTF-8 bytes; a bad byte is an error naming the place (or replaced)."""
    try:
        return raw.decode("utf-8", errors=errors)
    except UnicodeDecodeError as err:
        raise corrupt(
            path,
            where,
            f"the word is not valid UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start})",
            f"re-save the file as UTF-8, or load it with {setting('errors', 'replace')}",
        ) from None


def check_finite(path, matrix: np.ndarray, label) -> None:
    """EmbedlabError naming the first row holding NaN or infinity.

    ``label(row)`` says where that row is in the file (a line or record number and the word).
    """
    finite = np.isfinite(matrix).all(axis=1)
    if not finite.all():
        row = int(np.argmin(finite))
        raise corrupt(path, label(row), "the vector holds NaN or infinity")


def keep_first(path, words: list[str], matrix: np.ndarray, where) -> tuple[list[str], np.ndarray]:
    """Drop repeated words, keeping each word's first vector (what gensim and word2vec do).

    ``where(row)`` says where that row is in the file; the warning names the first repeat.
    """
    if len(set(words)) == len(words):
        return words, matrix
    first: dict[str, int] = {}
    repeats = []
    for i, word in enumerate(words):
        if first.setdefault(word, i) != i:
            repeats.append(i)
    row = repeats[0]
    more = f" ({len(repeats) - 1} more repeats ignored too)" if len(repeats) > 1 else ""
    warn(
        f"{path}: {where(row)} repeats the word {words[row]!r} of {where(first[words[row]])}; "
        f"the first vector is kept{more}"
    )
    rows = np.fromiter(first.values(), dtype=np.int64, count=len(first))
    return list(first), matrix[rows]
