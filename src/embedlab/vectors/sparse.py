"""Explicit PPMI vectors: one sparse row per word, |V| context columns.

A dense float32 copy would take |V|^2 * 4 bytes (20 GB at 70k words), so ``SparseEmbeddings``
keeps the CSR matrix and answers the cosine queries with sparse products. It mirrors the query
side of ``embedlab.vectors.Embeddings`` (words, index, ``emb[word]``, ``similarity``,
``most_similar``) and saves only to its own ``.npz`` layout: the dense text and binary formats
would write |V| numbers per word.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.fileio import atomic_write

SUFFIX = ".npz"


class SparseEmbeddings:
    """Words and their sparse vectors (``matrix``, a float32 CSR matrix, |V| x |V|).

    Attributes:
        words: the vocabulary, row ``i`` being ``words[i]``; columns are the same words as
            contexts.
        counts: int64 corpus counts, or None.
        meta: JSON-able dict with ``method``, ``params`` and ``history``.
    """

    def __init__(self, words, matrix, *, counts=None, meta=None):
        self.words = list(words)
        self.matrix = sp.csr_matrix(matrix, dtype=np.float32)
        if self.matrix.shape[0] != len(self.words):
            raise EmbedlabError(
                f"{len(self.words)} words but {self.matrix.shape[0]} rows: give one row per word"
            )
        self.counts = None if counts is None else np.asarray(counts, dtype=np.int64)
        self.meta = dict(meta or {})
        self.index = {word: i for i, word in enumerate(self.words)}
        norms = np.sqrt(np.asarray(self.matrix.multiply(self.matrix).sum(axis=1)).ravel())
        scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        self.unit = sp.csr_matrix(sp.diags(scale.astype(np.float32)) @ self.matrix)

    @property
    def vectors(self) -> sp.csr_matrix:
        """The sparse matrix (what ``Embeddings.vectors`` is for dense vectors)."""
        return self.matrix

    #: What ``Embeddings`` says about its matrices: one matrix, used as it is.
    combine = "input"
    has_context = False

    @property
    def input_vectors(self) -> sp.csr_matrix:
        """The sparse matrix (PPMI has no second, context matrix)."""
        return self.matrix

    @property
    def dim(self) -> int:
        return int(self.matrix.shape[1])

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word) -> bool:
        return word in self.index

    def __getitem__(self, word: str) -> np.ndarray:
        """The word's row as a dense float32 array of length ``dim``."""
        return self.matrix[self._rows([word])[0]].toarray().ravel()

    def _rows(self, words) -> list[int]:
        missing = [w for w in words if w not in self.index]
        if missing:
            raise UnknownWordError(missing)
        return [self.index[w] for w in words]

    def similarity(self, first: str, second: str) -> float:
        """Cosine similarity of two words (0 when either has an empty row)."""
        a, b = self._rows([first, second])
        return float(self.unit[a].multiply(self.unit[b]).sum())

    def most_similar(
        self, positive=None, negative=None, topn: int = 10, restrict_vocab: int | None = None
    ) -> list[tuple[str, float]]:
        """The ``topn`` words nearest by cosine to the sum of the unit ``positive`` rows minus
        the unit ``negative`` rows (3CosAdd), query words excluded, as ``(word, cosine)``
        pairs; ``restrict_vocab`` ranks only the first N (most frequent) words."""
        pos, neg = self._rows(_as_list(positive)), self._rows(_as_list(negative))
        if not pos and not neg:
            raise EmbedlabError("most_similar needs at least one word: pass positive words")
        query = self.unit[pos].sum(axis=0) - (self.unit[neg].sum(axis=0) if neg else 0)
        query = np.asarray(query, dtype=np.float64).ravel()
        norm = np.linalg.norm(query)
        stop = len(self.words) if restrict_vocab is None else min(restrict_vocab, len(self.words))
        scores = self.unit[:stop] @ (query / norm if norm > 0 else query)
        excluded = [row for row in pos + neg if row < stop]
        scores[excluded] = -np.inf
        topn = max(0, min(topn, stop - len(set(excluded))))
        best = np.argpartition(-scores, topn - 1)[:topn] if topn > 0 else np.array([], int)
        best = best[np.lexsort((best, -scores[best]))]
        return [(self.words[i], float(scores[i])) for i in best]

    def save(self, path, format: str | None = None) -> None:
        """Write the words, counts, meta and sparse matrix to a ``.npz`` file (atomically)."""
        path = Path(path)
        if format not in (None, "sparse") or path.suffix != SUFFIX:
            raise EmbedlabError(
                f"PPMI vectors are sparse with {len(self.words)} columns and save only to "
                f"'{SUFFIX}': name the output '{path.stem}{SUFFIX}', or train ppmi-svd for "
                "dense vectors"
            )
        arrays = {
            "words": np.array(self.words, dtype=str),
            "indptr": self.matrix.indptr,
            "indices": self.matrix.indices,
            "data": self.matrix.data,
            "shape": np.array(self.matrix.shape, dtype=np.int64),
            "meta": np.array(json.dumps(self.meta)),
        }
        if self.counts is not None:
            arrays["counts"] = self.counts
        with atomic_write(path, "wb") as handle:
            np.savez_compressed(handle, **arrays)

    @classmethod
    def load(cls, path) -> SparseEmbeddings:
        """Read a file written by ``save``."""
        try:
            with np.load(path, allow_pickle=False) as saved:
                matrix = sp.csr_matrix(
                    (saved["data"], saved["indices"], saved["indptr"]), shape=tuple(saved["shape"])
                )
                counts = saved["counts"] if "counts" in saved else None
                return cls(
                    saved["words"].tolist(),
                    matrix,
                    counts=counts,
                    meta=json.loads(str(saved["meta"])),
                )
        except (OSError, KeyError, ValueError) as err:
            raise EmbedlabError(
                f"cannot read sparse vectors from {str(path)!r} ({err}): give a file saved by "
                "a ppmi model"
            ) from err


def _as_list(words) -> list[str]:
    if words is None:
        return []
    return [words] if isinstance(words, str) else list(words)
