"""``Embeddings``: a vocabulary with its dense vectors (one kind of ``vectors.base.Vectors``).

The queries are the protocol's (``vectors/base.py``). Scores are computed as
``queries @ vectors.T / norms``: one matrix product and a partial sort, with no Python loop over
the vocabulary and no second copy of the matrix.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from embedlab.errors import EmbedlabError
from embedlab.vectors.base import (
    Vectors,
    cached_once,
    check_combine,
    check_counts,
    check_meta,
    check_words,
    safe_norms,
)


class Embeddings(Vectors):
    """Words and their vectors, with an optional second (context/output) matrix.

    Parameters:
        words: the vocabulary, one string per row, usually most frequent first.
        vectors: the input (word) matrix, ``len(words) x dim``; stored as float32.
        counts: optional corpus frequency of each word (int64).
        context: optional context (output) matrix of the same shape, kept when a method makes
            one (word2vec, GloVe).
        combine: what ``vectors`` holds: ``"input"`` (default), or ``"sum"``, ``"mean"`` or
            ``"concat"`` of the input and context matrices (these need ``context``).
        meta: JSON-able dict describing how the vectors were made: ``method``, ``params``,
            ``history`` (one dict per epoch).

    The matrices are used as given (no copy when already C-ordered float32), so treat them
    as read-only: the cached norms would not see changes.
    """

    def __init__(
        self,
        words: Iterable[str],
        vectors,
        *,
        counts=None,
        context=None,
        combine: str = "input",
        meta: dict | None = None,
    ):
        self._words = check_words(words)
        self._input = _check_matrix("vectors", vectors, len(self._words))
        self._context = None
        if context is not None:
            self._context = _check_matrix("context", context, len(self._words))
            if self._context.shape != self._input.shape:
                raise EmbedlabError(
                    f"context has shape {self._context.shape} but vectors "
                    f"{self._input.shape}: give matrices of the same shape"
                )
        self._counts = check_counts(counts, len(self._words))
        self.combine = check_combine(combine, self._context is not None)
        self.meta: dict = check_meta(meta)

    @classmethod
    def from_gensim(cls, kv) -> Embeddings:
        """The words, vectors and counts of a gensim ``KeyedVectors`` (or of a gensim model's
        ``.wv``); gensim itself is not needed. ``emb.to_gensim()`` goes the other way."""
        from embedlab.vectors.keyed import from_gensim

        return from_gensim(kv)

    # ---- the data -------------------------------------------------------------------------

    @property
    def words(self) -> list[str]:
        """The vocabulary in row order (do not modify)."""
        return self._words

    @property
    def counts(self) -> np.ndarray | None:
        """Corpus frequency of each word (int64), or None when unknown."""
        return self._counts

    @property
    def input_vectors(self) -> np.ndarray:
        """The input (word) matrix, float32, ``len(self) x`` the trained dimension."""
        return self._input

    @property
    def context_vectors(self) -> np.ndarray | None:
        """The context (output) matrix, or None when the method made none."""
        return self._context

    @property
    def context(self) -> np.ndarray | None:
        """Same as ``context_vectors`` (the constructor's name for it)."""
        return self._context

    @property
    def has_context(self) -> bool:
        return self._context is not None

    @cached_once
    def vectors(self) -> np.ndarray:
        """The vectors the queries use: input, or input and context combined per ``combine``."""
        return _combine(self._input, self._context, self.combine)

    @property
    def dim(self) -> int:
        """Length of ``vectors`` (twice the trained dimension for ``combine="concat"``)."""
        return self.vectors.shape[1]

    @cached_once
    def norms(self) -> np.ndarray:
        """L2 norm of each row of ``vectors`` (float32)."""
        vectors = self.vectors  # einsum: no |V| x dim temporary, unlike linalg.norm
        return np.sqrt(np.einsum("ij,ij->i", vectors, vectors))

    @cached_once
    def unit(self) -> np.ndarray:
        """``vectors`` with every row scaled to length 1; all-zero rows stay zero (cached)."""
        unit = self.vectors / safe_norms(self.norms)[:, None]
        unit.setflags(write=False)
        return unit

    def _with_combine(self, how: str) -> Embeddings:
        return Embeddings(
            self._words,
            self._input,
            counts=self._counts,
            context=self._context,
            combine=how,
            meta=self.meta,
        )

    def save(self, path, format: str | None = None) -> None:
        """Write to ``path``; the format comes from the extension unless given.

        ``.txt``/``.vec``: word2vec text; ``.bin``: word2vec binary; ``.glove``: GloVe text;
        ``.emb``: native (keeps counts, both matrices and ``meta``). The word2vec and GloVe
        formats hold ``vectors`` only. The file is written atomically.
        """
        from embedlab.vectors.formats import save

        save(self, path, format=format)

    def __repr__(self) -> str:
        context = ", with context" if self.has_context else ""
        method = self.meta.get("method")
        made = f", method={method!r}" if method else ""
        return (
            f"<Embeddings: {len(self)} words x {self.dim} dims, combine={self.combine!r}"
            f"{context}{made}>"
        )

    # ---- the protocol's primitives ----------------------------------------------------------

    def _dense_rows(self, rows) -> np.ndarray:
        return self.vectors[np.asarray(rows, dtype=np.int64)]

    def _unit_rows(self, rows) -> np.ndarray:
        return self._unit_dense(rows)

    def _row_form(self, matrix: np.ndarray) -> np.ndarray:
        return np.asarray(matrix, dtype=np.float32)

    def _dots(self, queries: np.ndarray, stop: int) -> np.ndarray:
        # words x queries, as gensim multiplies: the same rounding, so the same near-ties
        scores = self.vectors[:stop] @ queries.T
        return (scores / safe_norms(self.norms[:stop])[:, None]).T

    def weighted_rows(self, weights) -> np.ndarray:
        return np.asarray(weights @ np.asarray(self.vectors, dtype=np.float64))


def _combine(W: np.ndarray, C: np.ndarray | None, how: str) -> np.ndarray:
    if how == "input":
        return W
    if how == "sum":
        return W + C
    if how == "mean":
        return (W + C) / np.float32(2)
    return np.ascontiguousarray(np.hstack([W, C]))


def _check_matrix(name: str, matrix, rows: int) -> np.ndarray:
    matrix = np.asarray(matrix)
    if matrix.ndim != 2:
        raise EmbedlabError(f"{name} must be a 2-D matrix (words x dim), got shape {matrix.shape}")
    if matrix.shape[0] != rows:
        raise EmbedlabError(
            f"{name} has {matrix.shape[0]} rows but there are {rows} words: give one row per word"
        )
    if matrix.shape[1] < 1:
        raise EmbedlabError(f"{name} has no columns: give at least one dimension")
    if not np.issubdtype(matrix.dtype, np.number) or np.iscomplexobj(matrix):
        raise EmbedlabError(f"{name} must hold real numbers, got dtype {matrix.dtype}")
    return np.ascontiguousarray(matrix, dtype=np.float32)
