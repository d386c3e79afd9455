"""fastText's model file (``.bin``), version 12, as ``fasttext`` and gensim read and write it.

Layout (little-endian, as fastText writes on every machine it runs on)::

    int32 magic 793712314, int32 version (11 or 12)
    args    int32 dim, ws, epoch, minCount, neg, wordNgrams, loss, model, bucket, minn, maxn,
            lrUpdateRate; float64 t
    dict    int32 size, nwords, nlabels; int64 ntokens, pruneidx_size; then per entry the
            word's bytes, a NUL, int64 count, int8 type (0 word, 1 label); then pruneidx_size
            int32 pairs
    bool quant; int64 rows, cols; float32 rows x cols   the input matrix (words, then buckets)
    bool qout;  int64 rows, cols; float32 rows x cols   the output matrix

Files of fastText before version 11 (three of gensim's test files) have no magic and no
version: the args start with ``dim`` and ``ws``, the dictionary has no ``pruneidx_size`` and
the matrices no ``quant`` byte. They are told apart from word2vec's text header by their first
eight bytes, two small integers, where word2vec has ASCII digits.

A supervised model (labels), a quantized one (``.ftz``) and an unknown version are refused in
one line. Nothing in the file is trusted: every count is checked against the bytes left before
anything is allocated.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from embedlab.errors import EmbedlabError
from embedlab.vectors.formats._files import (
    MAX_DIM,
    check_finite,
    corrupt,
    decode_word,
    open_write,
    read_buffer,
)

MAGIC = 793712314
VERSION = 12
_VERSIONS = (11, 12)
_ARGS = struct.Struct("<12id")
_OLD_ARGS = struct.Struct("<10id")  # without dim and ws, which stand in the magic's place
_DICT = struct.Struct("<3iqq")
_OLD_DICT = struct.Struct("<3iq")
_ENTRY = struct.Struct("<qb")
_MATRIX = struct.Struct("<qq")
_FLOAT = np.dtype("<f4")
#: fastText's enums (args.h): loss hs=1, ns=2, softmax=3, ova=4; model cbow=1, sg=2, sup=3.
_LOSSES = {"hierarchical": 1, "negative": 2, "softmax": 3}
_MODELS = {"cbow": 1, "skipgram": 2}
_SUPERVISED = 3
#: An old file's dim and ws, read where a new file has its magic: a real model has both small.
_OLD_LIMIT = 1 << 16
_FIX = "the fastText model is damaged: save it again with fastText or embedlab"


def is_fasttext(head: bytes) -> bool:
    """Whether the first bytes of a file are a fastText model's (by the magic, or an old
    file's small dim and ws where word2vec text has ASCII digits)."""
    if len(head) >= 4 and struct.unpack_from("<i", head)[0] == MAGIC:
        return True  # (a file cut inside its header is then named a truncated fastText model)
    if len(head) < 8:
        return False
    first, second = struct.unpack_from("<2i", head)
    return 0 < first < _OLD_LIMIT and 0 < second < _OLD_LIMIT


def read_fasttext(path: Path, *, limit: int | None, mmap: bool, errors: str):
    """The model in ``path`` as ``SubwordEmbeddings`` (``Embeddings`` when it has no n-grams).

    ``limit`` keeps the first words and, for subword models, every bucket. With ``mmap`` the
    input matrix is a read-only memory map of the file (an uncompressed file only)."""
    with read_buffer(path) as buffer:
        reader = _Reader(path, buffer)
        args, new = _read_args(reader)
        words, counts = _read_dictionary(reader, args, new, errors)
        input_at, input_shape = _read_matrix_header(reader, new, "input matrix")
        output_at, output_shape = _read_matrix_header(reader, new, "output matrix")
        if reader.pos != len(buffer):
            raise corrupt(path, f"byte {reader.pos}", "data after the output matrix", _FIX)
        _check_shapes(path, args, len(words), input_shape, output_shape)
        input_ = _matrix(path, buffer, input_at, input_shape, mmap)
        output = np.array(_matrix(path, buffer, output_at, output_shape, False))
    return _vectors(path, args, words, counts, input_, output, limit)


def write_fasttext(emb, path) -> None:
    """Write ``emb`` as fastText's version-12 model file (``SubwordEmbeddings``, or any dense
    vectors as a model without n-grams)."""
    words = [word.encode("utf-8") for word in emb.words]
    bad = next((w for w in words if b"\0" in w), None)
    if bad is not None:
        raise EmbedlabError(
            f"cannot write {path}: the word {bad.decode('utf-8')!r} holds a NUL byte, which "
            "ends a word in fastText's file: save as .emb (native) instead"
        )
    counts = _positive_counts(emb)
    minn, maxn, buckets = (emb.minn, emb.maxn, emb.buckets) if emb.composes else (0, 0, 0)
    # the word rows and the n-gram rows apart: a memory-mapped n-gram matrix is never joined
    inputs = (emb.word_rows, emb.ngram_vectors) if emb.composes else (emb.vectors,)
    output = emb.context_vectors
    if output is None or output.shape != (len(words), emb.dim):
        output = np.zeros((len(words), emb.dim), dtype=_FLOAT)  # fastText needs one per word
    with open_write(path) as handle:
        handle.write(struct.pack("<2i", MAGIC, VERSION))
        handle.write(_ARGS.pack(*_args(emb, minn, maxn, buckets)))
        handle.write(_DICT.pack(len(words), len(words), 0, _tokens(emb, counts), -1))
        for word, count in zip(words, counts.tolist(), strict=True):
            handle.write(word + b"\0" + _ENTRY.pack(count, 0))
        handle.write(b"\0" + _MATRIX.pack(sum(part.shape[0] for part in inputs), emb.dim))
        for part in inputs:
            _write_rows(handle, part)
        handle.write(b"\0" + _MATRIX.pack(*output.shape))
        _write_rows(handle, output)


def _args(emb, minn: int, maxn: int, buckets: int) -> tuple:
    """fastText's args from the training parameters in ``meta`` (its defaults where absent)."""
    params = emb.meta.get("params") or {}
    window = params.get("window")
    return (
        emb.dim,
        window if isinstance(window, int) and not isinstance(window, bool) else 5,
        _int(params.get("epochs"), 5),
        _int(params.get("min_count"), 1),
        _int(params.get("negative"), 5),
        1,  # wordNgrams: word n-grams are for classifiers
        _LOSSES.get(emb.meta.get("objective") or params.get("objective"), _LOSSES["negative"]),
        _MODELS.get(emb.meta.get("method"), _MODELS["skipgram"]),
        buckets,
        minn,
        maxn,
        100,  # lrUpdateRate: how often fastText's threads report progress
        float(params.get("sample") or 1e-4),
    )


def _tokens(emb, counts: np.ndarray) -> int:
    """fastText's ntokens: every token read, the rare words' included; as read from a fastText
    file, else the vocabulary's."""
    tokens = emb.meta.get("tokens")
    return _int(tokens, int(counts.sum()))


def _int(value, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _positive_counts(emb) -> np.ndarray:
    """Each word's count, at least 1: fastText draws negatives and gensim keeps words by count,
    so a zero (or unknown) count would lose the word or divide by zero."""
    if emb.counts is None:
        return np.ones(len(emb), dtype=np.int64)
    return np.maximum(emb.counts, 1).astype(np.int64)


def _write_rows(handle, matrix: np.ndarray) -> None:
    """The matrix's float32 bytes, a block of rows at a time (a memory map is never copied
    whole)."""
    block = max(1, (1 << 24) // max(matrix.shape[1], 1))
    for start in range(0, matrix.shape[0], block):
        handle.write(np.ascontiguousarray(matrix[start : start + block], dtype=_FLOAT).data)


class _Reader:
    """Reads structs from ``buffer`` at ``pos``; running out is one line naming the part."""

    def __init__(self, path: Path, buffer):
        self.path, self.buffer, self.pos = path, buffer, 0

    def unpack(self, layout: struct.Struct, part: str) -> tuple:
        if self.pos + layout.size > len(self.buffer):
            raise _truncated(self.path, part)
        values = layout.unpack_from(self.buffer, self.pos)
        self.pos += layout.size
        return values

    def left(self) -> int:
        return len(self.buffer) - self.pos


def _truncated(path, part: str) -> EmbedlabError:
    return EmbedlabError(
        f"{path}: the fastText model ends inside its {part}: the file is truncated; copy or "
        "download it again, or save it again with fastText"
    )


def _read_args(reader: _Reader) -> tuple[dict, bool]:
    first, second = reader.unpack(struct.Struct("<2i"), "header")
    new = first == MAGIC
    if new and second not in _VERSIONS:
        raise EmbedlabError(
            f"{reader.path}: a fastText model of version {second}, and embedlab reads versions "
            f"{_VERSIONS[0]} and {_VERSIONS[-1]} (fastText 0.9): save it again with fastText "
            "0.9.2, or save its vectors with fastText's print-word-vectors or as .vec"
        )
    if new:
        values = reader.unpack(_ARGS, "settings")
    else:
        values = (first, second, *reader.unpack(_OLD_ARGS, "settings"))
    names = "dim ws epoch minCount neg wordNgrams loss model bucket minn maxn lrUpdateRate t"
    args = dict(zip(names.split(), values, strict=True))
    if args["model"] == _SUPERVISED:
        raise _supervised(reader.path)
    if not 1 <= args["dim"] <= MAX_DIM or args["bucket"] < 0:
        raise corrupt(reader.path, "settings", f"dim {args['dim']}, bucket {args['bucket']}", _FIX)
    if args["maxn"] > 0 and args["bucket"] > 0 and not 1 <= args["minn"] <= args["maxn"]:
        raise corrupt(reader.path, "settings", f"n-grams {args['minn']}-{args['maxn']}", _FIX)
    return args, new


def _supervised(path) -> EmbedlabError:
    return EmbedlabError(
        f"{path}: a supervised fastText model (a classifier, with labels): embedlab reads word "
        "vectors; train with fastText's skipgram or cbow, or use the classifier with fastText "
        "itself"
    )


def _read_dictionary(reader: _Reader, args: dict, new: bool, errors: str):
    if new:
        size, nwords, nlabels, tokens, pruned = reader.unpack(_DICT, "dictionary")
    else:
        (size, nwords, nlabels, tokens), pruned = reader.unpack(_OLD_DICT, "dictionary"), -1
    if nlabels > 0:
        raise _supervised(reader.path)
    if pruned > 0:
        raise EmbedlabError(
            f"{reader.path}: a quantized fastText model (.ftz, its n-grams pruned): embedlab "
            "reads full models: use the .bin it was quantized from"
        )
    if not 0 <= nwords == size:
        raise corrupt(reader.path, "dictionary", f"{size} entries for {nwords} words", _FIX)
    # each entry takes at least its NUL, count and type: the bytes left must hold them all
    if size > reader.left() // (1 + _ENTRY.size):
        raise _truncated(reader.path, "dictionary")
    buffer, words, counts = reader.buffer, [], np.empty(size, dtype=np.int64)
    for i in range(size):
        end = buffer.find(b"\0", reader.pos)
        if end < 0:
            raise _truncated(reader.path, "dictionary")
        raw = bytes(buffer[reader.pos : end])
        reader.pos = end + 1
        counts[i], kind = reader.unpack(_ENTRY, "dictionary")
        if kind != 0:
            raise _supervised(reader.path)
        words.append(decode_word(raw, reader.path, f"dictionary entry {i + 1}", errors))
    args["ntokens"] = tokens
    return words, np.maximum(counts, 0)


def _read_matrix_header(reader: _Reader, new: bool, part: str) -> tuple[int, tuple[int, int]]:
    """Where the matrix's floats start and its shape; the reader moves past them."""
    if new:
        (quantized,) = reader.unpack(struct.Struct("<?"), part)
        if quantized:
            raise EmbedlabError(
                f"{reader.path}: a quantized fastText model (.ftz): embedlab reads full models: "
                "use the .bin it was quantized from"
            )
    rows, cols = reader.unpack(_MATRIX, part)
    if rows < 0 or cols < 0 or rows * cols * _FLOAT.itemsize > reader.left():
        if rows >= 0 and cols >= 0:
            raise _truncated(reader.path, part)
        raise corrupt(reader.path, part, f"its shape {rows} x {cols}", _FIX)
    start = reader.pos
    reader.pos += rows * cols * _FLOAT.itemsize
    return start, (rows, cols)


def _check_shapes(path, args: dict, nwords: int, input_shape, output_shape) -> None:
    subwords = args["maxn"] > 0 and args["bucket"] > 0
    rows = nwords + (args["bucket"] if subwords else 0)
    if input_shape != (rows, args["dim"]):
        raise corrupt(
            path,
            "input matrix",
            f"its shape is {input_shape[0]} x {input_shape[1]}, not {rows} x {args['dim']}",
            _FIX,
        )
    if output_shape[1] != args["dim"]:
        raise corrupt(path, "output matrix", f"it has {output_shape[1]} columns", _FIX)


def _matrix(path, buffer, start: int, shape: tuple[int, int], mmap: bool) -> np.ndarray:
    if mmap and not isinstance(buffer, bytes):  # a plain file, mapped: map the matrix alone
        return np.memmap(path, dtype=_FLOAT, mode="r", offset=start, shape=shape)
    count = shape[0] * shape[1]
    return np.frombuffer(buffer, dtype=_FLOAT, count=count, offset=start).reshape(shape).copy()


def _vectors(path, args, words, counts, input_, output, limit):
    from embedlab.vectors.embeddings import Embeddings
    from embedlab.vectors.subwords import SubwordEmbeddings

    nwords = len(words)
    keep = nwords if limit is None else min(limit, nwords)
    context = output if output.shape[0] == nwords else None
    meta = {
        "method": _params(args)["architecture"],
        "objective": _params(args)["objective"],
        "params": _params(args),
        "source": "fastText model",
        "tokens": max(args["ntokens"], 0),
    }
    words_rows = input_[:nwords]
    # a mapped matrix is checked where the words are: its buckets are read only when used
    checked = words_rows if isinstance(input_, np.memmap) else input_
    check_finite(path, checked, lambda row: _row_name(words, row))
    check_finite(path, output, lambda row: f"output row {row + 1}")
    if args["maxn"] == 0 or args["bucket"] == 0:
        return Embeddings(
            words[:keep],
            words_rows[:keep],
            counts=counts[:keep],
            context=None if context is None else context[:keep],
            meta=meta,
        )
    if keep < nwords:  # the first words' rows, then every bucket
        input_ = np.concatenate([input_[:keep], input_[nwords:]])
    return SubwordEmbeddings(
        words[:keep],
        input_,
        minn=args["minn"],
        maxn=args["maxn"],
        counts=counts[:keep],
        context=None if context is None else context[:keep],
        meta=meta,
    )


def _row_name(words: list[str], row: int) -> str:
    if row < len(words):
        return f"input row {row + 1} (word {words[row]!r})"
    return f"input row {row + 1} (bucket {row - len(words)})"


def _params(args: dict) -> dict:
    """fastText's settings under embedlab's names."""
    losses = {code: name for name, code in _LOSSES.items()}
    models = {code: name for name, code in _MODELS.items()}
    return {
        "architecture": models.get(args["model"]),
        "objective": losses.get(args["loss"]),
        "dim": args["dim"],
        "window": args["ws"],
        "epochs": args["epoch"],
        "min_count": args["minCount"],
        "negative": args["neg"],
        "sample": args["t"],
        "minn": args["minn"],
        "maxn": args["maxn"],
        "buckets": args["bucket"],
    }
