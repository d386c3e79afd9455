"""``SubwordEmbeddings``: fastText's vectors, a vocabulary word's row plus its character n-grams.

The input matrix has one row per vocabulary word followed by one row per hash bucket
(``corpus/subwords.py`` says which n-gram lands in which bucket). A word's vector is, as in
fastText's ``getWordVector``, the mean of its own row and its n-grams' rows; a string outside
the vocabulary gets the mean of its n-grams' rows alone (all zeros when it has none). So
``emb["unkingliness"]`` is a vector while ``"unkingliness" in emb`` stays False, and the query
layer (``query/neighbours.py``) marks such words as composed.

The vocabulary's vectors are computed once, on first use, from the n-gram rows they touch:
an n-gram matrix memory-mapped from a file is never read whole.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from embedlab.corpus.subwords import check_subword_settings, ngram_buckets, subword_table
from embedlab.errors import EmbedlabError, setting
from embedlab.vectors.base import (
    BLOCK_CELLS,
    cached_once,
    check_counts,
    check_meta,
    check_words,
    safe_norms,
)
from embedlab.vectors.embeddings import Embeddings, _check_matrix


class SubwordEmbeddings(Embeddings):
    """Words and the fastText input matrix they are composed from.

    Parameters:
        words: the vocabulary, one string per word row, usually most frequent first.
        input: the input matrix, ``len(words) + buckets`` rows by ``dim``: the words' rows,
            then one row per n-gram bucket; or the pair ``(word_rows, ngram_rows)`` (the
            native format maps the n-gram rows apart). Kept as given when already C-ordered
            float32 (a memory map stays one).
        minn, maxn: the n-gram lengths in characters (fastText's ``-minn``/``-maxn``).
        counts: optional corpus frequency of each word (int64).
        context: optional output matrix, ``len(words) x dim`` (kept for saving and resuming;
            the queries use the composed input vectors).
        meta: JSON-able dict: ``method``, ``params``, ``history``.

    ``buckets`` is ``input``'s rows less the words'.
    """

    composes = True

    def __init__(
        self,
        words: Iterable[str],
        input,
        *,
        minn: int,
        maxn: int,
        counts=None,
        context=None,
        meta: dict | None = None,
    ):
        self._words = check_words(words)
        nwords = len(self._words)
        self._whole, self._rows, self._ngrams = _check_input(input, nwords)
        self.minn, self.maxn, self.buckets = check_subword_settings(
            minn, maxn, self._ngrams.shape[0]
        )
        self._context = None
        if context is not None:
            self._context = _check_matrix("context", context, nwords)
            if self._context.shape[1] != self.dim:
                raise EmbedlabError(
                    f"context has {self._context.shape[1]} columns but input {self.dim}: give "
                    "matrices of the same width"
                )
        self._counts = check_counts(counts, nwords)
        self.combine = "input"
        self.meta: dict = check_meta(meta)

    # ---- the data -------------------------------------------------------------------------

    @property
    def input_vectors(self) -> np.ndarray:
        """The whole input matrix, the words' rows then the buckets' (float32): the matrix
        given, or a new one when the two parts were given apart."""
        if self._whole is not None:
            return self._whole
        return np.concatenate([self._rows, self._ngrams])

    @property
    def word_rows(self) -> np.ndarray:
        """The words' own rows of the input matrix, ``len(self) x dim``."""
        return self._rows

    @property
    def ngram_vectors(self) -> np.ndarray:
        """The buckets' rows of the input matrix, ``buckets x dim``."""
        return self._ngrams

    @property
    def dim(self) -> int:
        return int(self._rows.shape[1])

    @cached_once
    def table(self):
        """The vocabulary's input rows (``corpus.subwords.SubwordTable``)."""
        return subword_table(self._words, self.minn, self.maxn, self.buckets)

    @cached_once
    def vectors(self) -> np.ndarray:
        """Each vocabulary word's vector: the mean of its row and its n-grams' rows (float32,
        as fastText computes it)."""
        indptr, indices = self.table
        out = _mean_rows(self._gather, indptr, indices)
        out.setflags(write=False)
        return out

    def word_vector(self, word: str) -> np.ndarray:
        """The vector of any string: a vocabulary word's, or the mean of its n-grams' rows."""
        row = self.index.get(word)
        if row is not None:
            return self.vectors[row]
        rows = ngram_buckets(word, self.minn, self.maxn, self.buckets) + len(self._words)
        return _mean_rows(self._gather, np.array([0, len(rows)]), rows)[0]

    def _gather(self, rows: np.ndarray) -> np.ndarray:
        """float32 (len(rows), dim): input rows by number, words' and buckets' alike."""
        if self._whole is not None:
            return self._whole[rows]
        nwords = len(self._words)
        out = np.empty((len(rows), self.dim), dtype=np.float32)
        own = rows < nwords
        out[own] = self._rows[rows[own]]
        out[~own] = self._ngrams[rows[~own] - nwords]
        return out

    # ---- composing unseen words -------------------------------------------------------------

    def __getitem__(self, word):
        """The (read-only) vector of ``word``, composed from its n-grams when it is not in the
        vocabulary; a float32 matrix for a list of words."""
        if isinstance(word, str):
            out = np.array(self.word_vector(word), dtype=np.float32)
            out.setflags(write=False)
            return out
        if not isinstance(word, Iterable):
            raise EmbedlabError(
                f"look vectors up by a word or a list of words, got {type(word).__name__}"
            )
        words = list(word)
        bad = next((w for w in words if not isinstance(w, str)), None)
        if bad is not None:
            raise EmbedlabError(f"look vectors up by words (strings), got {bad!r}")
        out = np.empty((len(words), self.dim), dtype=np.float32)
        for i, w in enumerate(words):
            out[i] = self.word_vector(w)
        return out

    def get_vector(self, key, norm: bool = False) -> np.ndarray:
        """gensim's ``get_vector``; an unseen word's vector is composed (as gensim's FastText)."""
        if not isinstance(key, str) or key in self.index:
            return super().get_vector(key, norm=norm)
        vector = self[key]
        if norm:
            vector = vector / safe_norms(np.linalg.norm(vector, keepdims=True))
            vector.setflags(write=False)
        return vector

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two strings, composing unseen ones (0 for an all-zero vector)."""
        if a in self.index and b in self.index:
            return super().similarity(a, b)
        left, right = self[[a, b]].astype(np.float64)
        norms = np.linalg.norm(left) * np.linalg.norm(right)
        return float(left @ right / norms) if norms > 0 else 0.0

    def analogy(self, a: str, b: str, c: str, topn: int | None = 5):
        """``a`` is to ``b`` as ``c`` is to ?; unseen words are composed."""
        return self.most_similar(positive=[b, c], negative=[a], topn=topn)

    def _unit_words(self, words) -> np.ndarray:
        """Each word's unit vector, unseen words composed from their n-grams."""
        vectors = self[words]
        return vectors / safe_norms(np.linalg.norm(vectors, axis=1))[:, None]

    def _terms(self, positive, negative) -> list[tuple]:
        return super()._terms(self._composed_items(positive), self._composed_items(negative))

    def _composed_items(self, items):
        """``items`` with each unseen word replaced by its composed unit vector (as gensim's
        FastText queries an unseen word), weights kept."""
        if isinstance(items, str):
            items = [items]
        if items is None or isinstance(items, np.ndarray) or not isinstance(items, Iterable):
            return items  # the base class names anything malformed
        out = []
        for item in items:
            word, weight = (item, None) if isinstance(item, str) else (None, None)
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
                word, weight = item
            if word is None or word in self.index:
                out.append(item)
                continue
            vector = self.get_vector(word, norm=True)
            out.append(vector if weight is None else (vector, weight))
        return out

    # ---- the kind ---------------------------------------------------------------------------

    def _with_combine(self, how: str) -> SubwordEmbeddings:
        if how != "input":
            raise EmbedlabError(
                f"subword vectors are composed from the input matrix, and "
                f"{setting('combine', how)} has no meaning for an unseen word: use "
                f"{setting('combine', 'input')}"
            )
        return self

    def save(self, path, format: str | None = None) -> None:
        """Write to ``path`` atomically; the format comes from the extension unless given.

        ``.bin`` (or ``format="fasttext"``): fastText's model file, which fastText and gensim
        load with the n-grams; ``.emb``: native (keeps everything, n-grams memory-mappable);
        ``.vec``/``.txt``: the vocabulary's vectors as fastText's ``.vec``.
        """
        from embedlab.vectors.formats import save

        save(self, path, format=format)

    def __repr__(self) -> str:
        method = self.meta.get("method")
        made = f", method={method!r}" if method else ""
        return (
            f"<SubwordEmbeddings: {len(self)} words + {self.buckets} buckets x {self.dim} dims, "
            f"n-grams {self.minn}-{self.maxn}{made}>"
        )


def _mean_rows(gather, indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """float32 (len(indptr) - 1, dim): the mean of each CSR row's listed input rows, which
    ``gather(ids)`` fetches.

    Summed one row after another in float32 and scaled by ``1/n`` rounded to float32, as
    fastText's ``getWordVector`` does, so that the vectors equal fastText's bit for bit. A
    bounded block of words at a time, so a memory-mapped matrix is touched only where listed;
    a row that lists nothing is all zeros.
    """
    count = len(indptr) - 1
    dim = gather(indices[:0]).shape[1]
    out = np.zeros((count, dim), dtype=np.float32)
    sizes = np.diff(indptr)
    block = max(1, BLOCK_CELLS // dim)
    for start in range(0, count, block):
        stop = min(count, start + block)
        first, size = indptr[start:stop], sizes[start:stop]
        total = out[start:stop]
        for k in range(int(size.max(initial=0))):
            live = np.flatnonzero(size > k)
            total[live] += gather(indices[first[live] + k])
        scale = (1.0 / np.maximum(size, 1).astype(np.float64)).astype(np.float32)
        total *= scale[:, None]
    return out


def _check_input(input, nwords: int):
    """(the whole input matrix or None, words' rows, buckets' rows) from the matrix or the
    pair given, as float32 C-ordered arrays (a memory map of that stays a memory map)."""
    if isinstance(input, tuple) and len(input) == 2:
        rows = _float_matrix("the words' rows", input[0])
        ngrams = _float_matrix("the n-gram rows", input[1])
        if rows.shape[0] != nwords:
            raise EmbedlabError(
                f"the words' rows are {rows.shape[0]} for {nwords} words: give one per word"
            )
        if ngrams.shape[1] != rows.shape[1]:
            raise EmbedlabError(
                f"the n-gram rows have {ngrams.shape[1]} columns and the words' "
                f"{rows.shape[1]}: give matrices of the same width"
            )
        return None, rows, ngrams
    matrix = _float_matrix("input", input)
    if matrix.shape[0] <= nwords:
        raise EmbedlabError(
            f"input has {matrix.shape[0]} rows for {nwords} words: a subword model needs a row "
            "per word and then one per n-gram bucket"
        )
    return matrix, matrix[:nwords], matrix[nwords:]


def _float_matrix(name: str, matrix) -> np.ndarray:
    if not (isinstance(matrix, np.ndarray) and matrix.ndim == 2 and matrix.dtype == np.float32):
        matrix = np.asarray(matrix)
        if matrix.ndim != 2:
            raise EmbedlabError(f"{name} must be a 2-D matrix, got shape {matrix.shape}")
        matrix = _check_matrix(name, matrix, matrix.shape[0])
    if matrix.shape[1] < 1:
        raise EmbedlabError(f"{name} has no columns: give at least one dimension")
    if not matrix.flags.c_contiguous:
        matrix = np.ascontiguousarray(matrix)
    return matrix
