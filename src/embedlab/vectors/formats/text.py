"""word2vec text and GloVe text: one ``word v1 v2 ... vD`` line per word.

word2vec text starts with a ``"<words> <dims>"`` header line; GloVe has none. Reading detects
which one it is from the first line, so either format name reads both. Values are written as
the shortest decimal that reads back as the same float32 (NumPy's ``str`` of a float32,
exactly what gensim writes), so a file round-trips bit-exactly through gensim and back.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from pathlib import Path

import numpy as np

from embedlab.errors import setting
from embedlab.vectors.formats._files import (
    MAX_DIM,
    check_finite,
    corrupt,
    decode_word,
    keep_first,
    open_read,
    open_write,
)

_BOM = b"\xef\xbb\xbf"
#: The longest line read: a word and about four million values. A longer one (a file without
#: line breaks, a decompression bomb) is refused before it is held whole.
MAX_LINE_BYTES = 1 << 26
#: Lines formatted per write call: big enough to amortise, small enough to stay in cache.
_WRITE_BATCH = 1024


def read_text(path: Path, *, limit: int | None, errors: str) -> tuple[list[str], np.ndarray]:
    """Words and float32 matrix from a word2vec or GloVe text file (first ``limit`` words)."""
    with open_read(path) as handle:
        lines = _numbered(handle, path)
        first_no, first = next(lines, (0, b""))
        if not first.strip():
            raise corrupt(path, "line 1", "the first line is blank", "give a file with vectors")
        header = _header(first)
        if header is None:
            dim = len(first.split()) - 1
            if dim < 1:
                raise corrupt(path, "line 1", "a word with no values")
            rows = _read_rows(path, chain([(first_no, first)], lines), dim, limit, None, errors)
        else:
            count, dim = header
            wanted = count if limit is None else min(count, limit)
            rows = _read_rows(path, lines, dim, wanted, count, errors)
            if limit is None or limit >= count:
                _expect_end(path, lines, count)
    words, matrix, line_of = rows
    check_finite(path, matrix, lambda row: f"line {line_of(row)} (word {words[row]!r})")
    return keep_first(path, words, matrix, lambda row: f"line {line_of(row)}")


def write_text(emb, path, *, header: bool) -> None:
    """Write ``emb.vectors`` as word2vec text (``header=True``) or GloVe text (no header)."""
    vectors = emb.vectors
    with open_write(path) as handle:
        if header:
            handle.write(f"{len(emb)} {emb.dim}\n".encode())
        for start in range(0, len(emb), _WRITE_BATCH):
            block = vectors[start : start + _WRITE_BATCH]
            words = emb.words[start : start + _WRITE_BATCH]
            text = "".join(
                f"{word} {' '.join(map(str, row))}\n"
                for word, row in zip(words, block, strict=True)
            )
            handle.write(text.encode("utf-8"))


def _numbered(handle, path) -> Iterator[tuple[int, bytes]]:
    """(line number, line) pairs, with a leading UTF-8 byte-order mark removed."""
    number = 0
    while line := handle.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(line) > MAX_LINE_BYTES:
            raise corrupt(
                path,
                f"line {number}",
                f"longer than {MAX_LINE_BYTES >> 20} MiB without a line break",
                f"this is not a text vectors file; pass the right {setting('format')}",
            )
        yield number, (line[len(_BOM) :] if number == 1 and line.startswith(_BOM) else line)


def _header(line: bytes) -> tuple[int, int] | None:
    """(words, dims) if ``line`` is a word2vec header, else None (a GloVe vector line)."""
    parts = line.split()
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    count, dim = int(parts[0]), int(parts[1])
    return (count, dim) if 1 <= dim <= MAX_DIM else None


def _read_rows(path, lines, dim: int, wanted: int | None, promised: int | None, errors: str):
    """Parse up to ``wanted`` vector lines (all when None); checks each has ``dim`` values."""
    words: list[str] = []
    rows: list[np.ndarray] = []
    numbers: list[int] = []
    for number, line in lines if wanted != 0 else ():
        parts = line.split()
        if not parts:
            if promised is None and _rest_is_blank(lines):
                break  # trailing blank lines after GloVe's last vector
            raise corrupt(path, f"line {number}", "a blank line where a vector should be")
        if len(parts) != dim + 1:
            raise corrupt(
                path,
                f"line {number}",
                f"expected a word and {dim} values, found {len(parts) - 1} values",
            )
        words.append(decode_word(parts[0], path, f"line {number}", errors))
        rows.append(_values(path, number, parts[1:]))
        numbers.append(number)
        if wanted is not None and len(words) >= wanted:
            break
    if promised is not None and len(words) < wanted:
        raise corrupt(
            path,
            "end of file",
            f"it ends after {len(words)} of the {promised} vectors its header promises",
            "the file is truncated; re-create it",
        )
    matrix = np.vstack(rows) if rows else np.zeros((0, dim), dtype=np.float32)
    return words, matrix, numbers.__getitem__


def _values(path, number: int, tokens: list[bytes]) -> np.ndarray:
    try:
        with np.errstate(over="ignore"):  # 1e39 becomes inf, which check_finite reports
            return np.array(tokens, dtype=np.float32)
    except ValueError:
        bad = next(t for t in tokens if not _is_number(t))
        shown = bad[:40].decode("utf-8", errors="replace")
        raise corrupt(path, f"line {number}", f"{shown!r} is not a number") from None


def _is_number(token: bytes) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def _rest_is_blank(lines) -> bool:
    return all(not line.strip() for _, line in lines)


def _expect_end(path, lines, count: int) -> None:
    """Only blank lines may follow the last vector the header counts."""
    for number, line in lines:
        if line.strip():
            raise corrupt(
                path,
                f"line {number}",
                f"more vectors than the {count} the header promises",
                "fix the header's word count or re-create the file",
            )
