"""Reading and writing vectors: ``load(path)`` and ``save(emb, path)``.

Formats, chosen from the extension unless given (a ``.gz``/``.bz2``/``.xz`` suffix after it
compresses the text and binary formats):

============== ============ =============================================================
name           extension    contents
============== ============ =============================================================
word2vec       .txt, .vec   ``"<words> <dims>"`` header, then ``word v1 ... vD`` lines
word2vec-binary .bin        the header, then ``word`` + space + D float32 LE + newline
fasttext       .bin         fastText's model (``fasttext.py``): words, counts, the input
                            matrix with its n-gram buckets, the output matrix
glove          .glove       ``word v1 ... vD`` lines, no header (reading detects it)
native         .emb         embedlab's own: words, counts, both matrices, meta; mmap-able
sparse         .npz         explicit (PPMI) vectors: a CSR matrix, read as SparseEmbeddings
============== ============ =============================================================

A file with another extension is recognised from its first bytes, and so is a ``.bin`` file:
fastText's model starts with its magic number, word2vec's with an ASCII header. Saving to
``.bin`` writes fastText's model for subword vectors and word2vec's binary for the others.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from embedlab.checks import check_choice, check_int
from embedlab.errors import EmbedlabError, setting
from embedlab.fileio import check_room
from embedlab.vectors.base import Vectors
from embedlab.vectors.embeddings import Embeddings
from embedlab.vectors.formats import _files, binary, fasttext, native, text

#: Sparse vectors' suffix (``vectors/sparse.py``), spelled here so that reading or writing dense
#: vectors never imports scipy.sparse.
SPARSE_SUFFIX = ".npz"

FORMATS = ("word2vec", "word2vec-binary", "fasttext", "glove", "native")
EXTENSIONS = {
    ".txt": "word2vec",
    ".vec": "word2vec",
    ".bin": "word2vec-binary",
    ".glove": "glove",
    ".emb": "native",
}
#: Bytes ASCII text never holds; float32 data nearly always does within a few vectors.
_BINARY_BYTES = bytes(range(0, 9)) + bytes(range(14, 32)) + b"\x7f"
_SNIFF = 4096

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "expected_bytes",
    "format_of",
    "load",
    "output_format",
    "save",
    "stored_format",
]


def load(
    path,
    format: str | None = None,
    limit: int | None = None,
    *,
    mmap: bool = False,
    errors: str = "strict",
) -> Vectors:
    """Read vectors from ``path``: ``Embeddings``, or ``SparseEmbeddings`` for a ``.npz`` file.

    Parameters:
        format: one of ``FORMATS``; by default from the extension (see the module docstring),
            or from the file's first bytes when the extension is not a known one or is
            ``.bin`` (word2vec's or fastText's).
        limit: read only the first N words (the most frequent, in files written by word2vec,
            gensim and embedlab).
        mmap: memory-map the native format's matrices, and the input matrix of an
            uncompressed fastText model, read-only instead of reading them (the text and
            word2vec binary formats must be parsed, so they are always read). The n-gram rows
            of subword vectors in the native format are always memory-mapped.
        errors: what to do with a word that is not valid UTF-8: ``"strict"`` (an error
            naming the line or record) or ``"replace"``/``"ignore"``, as in ``bytes.decode``.

    A missing, empty, truncated or damaged file raises EmbedlabError naming the file and the
    line or record; vectors holding NaN or infinity are refused.
    """
    path = _files.check_readable(path)
    if limit is not None:
        limit = check_int("limit", limit, minimum=1)
    check_choice(setting("errors"), errors, ("strict", "replace", "ignore"))
    format = stored_format(path, format)
    if format == "sparse":
        from embedlab.vectors.sparse import SparseEmbeddings

        return SparseEmbeddings.load(path)
    if format == "native":
        return _read_native(path, limit, mmap)
    if format == "fasttext":
        return _decompressing(path, fasttext.read_fasttext, limit=limit, mmap=mmap, errors=errors)
    reader = binary.read_binary if format == "word2vec-binary" else text.read_text
    return Embeddings(*_decompressing(path, reader, limit=limit, errors=errors))


def _decompressing(path, reader, **options):
    """``reader(path, **options)``, a damaged compressed file being one line."""
    try:
        return reader(path, **options)
    except _files.DECOMPRESSION_ERRORS as err:
        if not _files.compression(path):
            raise
        raise EmbedlabError(f"{path}: cannot decompress it ({err}): the file is damaged") from None


def _read_native(path, limit, mmap) -> Vectors:
    words, input_, context, counts, combine, meta, subwords = native.read_native(
        path, limit=limit, mmap=mmap
    )
    if subwords is None:
        return Embeddings(words, input_, counts=counts, context=context, combine=combine, meta=meta)
    from embedlab.vectors.subwords import SubwordEmbeddings

    return SubwordEmbeddings(
        words,
        (input_, subwords["ngrams"]),
        minn=subwords["minn"],
        maxn=subwords["maxn"],
        counts=counts,
        context=context,
        meta=meta,
    )


def save(emb: Embeddings, path, format: str | None = None) -> None:
    """Write ``emb`` to ``path`` atomically; the format comes from the extension unless given.

    The word2vec and GloVe formats hold ``emb.vectors`` (as combined) only; the native format
    keeps words, counts, the input and context matrices, ``combine`` and ``meta``; fastText's
    model keeps words, counts, the input matrix (with the n-gram buckets of subword vectors)
    and the output matrix.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise EmbedlabError(f"save needs a file path, got {type(path).__name__} {path!r}")
    path = Path(path)
    format = output_format(emb, path, format)
    _check_savable(emb, path, format)
    # Checked again here, not only before training: the disk may have filled up meanwhile.
    # The writer's atomic_write tries the folder, so this does not.
    check_room(path, expected_bytes(path, len(emb), emb.dim, format, emb.context, _buckets(emb)))
    if format == "native":
        native.write_native(emb, path)
    elif format == "fasttext":
        fasttext.write_fasttext(emb, path)
    elif format == "word2vec-binary":
        binary.write_binary(emb, path)
    else:
        text.write_text(emb, path, header=format == "word2vec")


def output_format(emb, path, format: str | None = None) -> str:
    """The format ``save`` writes ``emb`` to ``path`` in: ``format`` when given, else the
    extension's, a ``.bin`` of subword vectors being fastText's model (what fastText users
    expect of a ``.bin``; ``format="word2vec-binary"`` still writes word2vec's)."""
    chosen = format_of(path, format, reading=False)
    if format is None and chosen == "word2vec-binary" and emb.composes:
        return "fasttext"
    return chosen


def stored_format(path, format: str | None = None) -> str:
    """The format ``load`` reads ``path`` in: ``sparse`` for a ``.npz`` file, else
    ``format_of``'s, except that word2vec text without its header line is named ``glove`` (the
    two are read alike; ``embedlab info`` names what the file holds)."""
    if Path(path).suffix == SPARSE_SUFFIX and format in (None, "sparse"):
        return "sparse"
    found = format_of(path, format, reading=True)
    if format is None and found == "word2vec" and not _has_header(Path(path)):
        return "glove"
    return found


def _has_header(path: Path) -> bool:
    try:
        with _files.open_read(path) as handle:
            first = handle.readline(_SNIFF)
    except (OSError, *_files.DECOMPRESSION_ERRORS):
        return True  # reading will name the problem
    return text._header(first) is not None


#: Bytes a number takes in the text formats: str() of a float32 with its separator.
_TEXT_NUMBER_BYTES = 10


def expected_bytes(
    path, n_words: int, dim: int, format: str, context=None, buckets: int = 0
) -> int | None:
    """About how big the saved file will be (None when compressed: that cannot be told);
    ``buckets`` are the n-gram rows of subword vectors."""
    if _files.compression(Path(path)):
        return None
    if format == "native":
        matrices = 1 if context is None else 2
        return n_words * (dim * 4 * matrices + 8) + buckets * dim * 4
    if format == "fasttext":  # the output matrix is always written
        return n_words * (dim * 8 + 12) + buckets * dim * 4
    if format == "word2vec-binary":
        return n_words * (dim * 4 + 2)
    return n_words * dim * _TEXT_NUMBER_BYTES


def _buckets(emb) -> int:
    return emb.buckets if emb.composes else 0


def format_of(path, format: str | None = None, *, reading: bool = True) -> str:
    """The format name for ``path``: ``format`` if given, else from the extension.

    When reading a file whose extension is not a known one, or is ``.bin`` (word2vec's binary
    or fastText's model), its first bytes decide.
    """
    path = Path(path)
    if format is not None:
        format = check_choice(setting("format"), format, FORMATS)
    else:
        format = EXTENSIONS.get(_files.format_suffix(path))
        if format is None and reading:
            format = _sniff(path)
        elif format == "word2vec-binary" and reading and path.is_file() and _is_fasttext(path):
            format = "fasttext"
        if format is None:
            known = ", ".join(f"{ext} ({name})" for ext, name in EXTENSIONS.items())
            raise EmbedlabError(
                f"{path}: cannot tell the format from the extension {path.suffix!r}: "
                f"use one of {known}, or give {setting('format', FORMATS[0])} or another of "
                f"{', '.join(FORMATS[1:])}"
            )
    if format == "native" and _files.compression(path):
        raise EmbedlabError(
            f"{path}: native files are not compressed (they are memory-mapped): drop the "
            f"{path.suffix} suffix"
        )
    return format


def _is_fasttext(path: Path) -> bool:
    with _files.open_read(path) as handle:
        try:
            return fasttext.is_fasttext(handle.read(8))
        except _files.DECOMPRESSION_ERRORS:
            return False  # the word2vec reader names the damage


def _sniff(path: Path) -> str:
    if not _files.compression(path) and native.is_native(path):
        return "native"
    with _files.open_read(path) as handle:
        try:
            head = handle.read(_SNIFF)
        except _files.DECOMPRESSION_ERRORS as err:
            raise EmbedlabError(
                f"{path}: cannot decompress it ({err}): the file is damaged"
            ) from None
    if fasttext.is_fasttext(head):
        return "fasttext"
    first, _, rest = head.partition(b"\n")
    if text._header(first) is not None and any(b in _BINARY_BYTES for b in rest):
        return "word2vec-binary"
    return "word2vec"


def _check_savable(emb: Embeddings, path: Path, format: str) -> None:
    """Refuse, before writing, what the format cannot hold or we would refuse to read."""
    if format == "glove" and len(emb) == 0:
        raise EmbedlabError(
            f"cannot write {path}: no words, and a GloVe file without any has no dimension: "
            "save as word2vec text (.txt) instead"
        )
    if format != "native":
        bad = next((w for w in emb.words if not w or any(c in w for c in " \t\n\r\v\f")), None)
        if bad is not None:
            raise EmbedlabError(
                f"cannot write {path}: the word {bad!r} is empty or holds whitespace, which "
                f"{format} files cannot hold: save as .emb (native) instead"
            )
    if format in ("native", "fasttext"):
        matrices = [emb.word_rows if emb.composes else emb.input_vectors, emb.context_vectors]
    else:
        matrices = [emb.vectors]
    for matrix in matrices:
        finite = np.ones(0, bool) if matrix is None else np.isfinite(matrix).all(axis=1)
        if not finite.all():
            word = emb.words[int(finite.argmin())]
            raise EmbedlabError(
                f"cannot write {path}: the vector of {word!r} holds NaN or infinity "
                "(training diverged?): lower alpha and retrain"
            )
