"""word2vec binary, as the original C tool writes it.

A ``"<words> <dims>\\n"`` header, then per word: the UTF-8 word, a space, ``dims`` float32
little-endian, and a newline. gensim writes no newline after the vector; both are read (newlines
before a word are skipped, as word2vec and gensim do).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from embedlab.errors import setting
from embedlab.vectors.formats._files import (
    MAX_DIM,
    check_finite,
    corrupt,
    decode_word,
    keep_first,
    open_write,
    read_buffer,
)

_FLOAT = np.dtype("<f4")
#: The header is two numbers; anything longer before a newline is not a word2vec header.
_MAX_HEADER = 64


def read_binary(path: Path, *, limit: int | None, errors: str) -> tuple[list[str], np.ndarray]:
    """Words and float32 matrix from a word2vec binary file (first ``limit`` words)."""
    with read_buffer(path) as buffer:
        count, dim, pos = _header(path, buffer)
        wanted = count if limit is None else min(count, limit)
        words, matrix, pos = _records(path, buffer, pos, wanted, count, dim, errors)
        if wanted == count and buffer[pos:].strip(b"\n\r "):
            raise corrupt(
                path,
                f"byte {pos}",
                f"data after the {count} vectors the header promises",
                "fix the header's word count or re-create the file",
            )
    check_finite(path, matrix, lambda row: f"record {row + 1} (word {words[row]!r})")
    return keep_first(path, words, matrix, lambda row: f"record {row + 1}")


def write_binary(emb, path) -> None:
    """Write ``emb.vectors`` in word2vec's binary format (C tool layout, trailing newlines)."""
    vectors = emb.vectors.astype(_FLOAT, copy=False)
    with open_write(path) as handle:
        handle.write(f"{len(emb)} {emb.dim}\n".encode())
        for word, row in zip(emb.words, vectors, strict=True):
            handle.write(word.encode("utf-8") + b" " + row.tobytes() + b"\n")


def _header(path, buffer) -> tuple[int, int, int]:
    end = buffer.find(b"\n", 0, _MAX_HEADER)
    parts = bytes(buffer[: max(end, 0)]).split()
    valid = end >= 0 and len(parts) == 2 and all(p.isdigit() for p in parts)
    if not valid or not 1 <= int(parts[1]) <= MAX_DIM:
        raise corrupt(
            path,
            "header",
            "the first line is not '<words> <dims>'",
            f"this is not a word2vec binary file; pass the right {setting('format')}",
        )
    return int(parts[0]), int(parts[1]), end + 1


def _records(path, buffer, pos: int, wanted: int, count: int, dim: int, errors: str):
    size = len(buffer)
    width = dim * _FLOAT.itemsize
    words: list[str] = []
    # The header's count is a claim: room is made only for the records the bytes after it can
    # hold (a one-byte word, a space, the floats), so a header promising 10^9 words allocates
    # nothing the file does not back; the loop below names the record where the data ends.
    matrix = np.empty((min(wanted, (size - pos) // (width + 2)), dim), dtype=_FLOAT)
    for i in range(wanted):
        where = f"record {i + 1}"
        while pos < size and buffer[pos : pos + 1] == b"\n":
            pos += 1
        space = buffer.find(b" ", pos)
        if space < 0 or space + 1 + width > size:
            raise corrupt(
                path,
                where,
                f"the file ends inside it ({i} of {count} vectors read)",
                "the file is truncated; re-create it",
            )
        raw = bytes(buffer[pos:space])
        if not raw or b"\n" in raw or i == len(matrix):
            raise corrupt(path, where, f"no word at byte {pos}")
        words.append(decode_word(raw, path, where, errors))
        matrix[i] = np.frombuffer(buffer, dtype=_FLOAT, count=dim, offset=space + 1)
        pos = space + 1 + width
    return words, matrix, pos
