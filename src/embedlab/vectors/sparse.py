"""Explicit PPMI vectors: one sparse row per word, |V| context columns.

A dense float32 copy would take |V|^2 * 4 bytes (20 GB at 70k words), so ``SparseEmbeddings``
keeps the CSR matrix and implements the vector protocol's primitives (``vectors/base.py``) with
sparse products: it answers every query ``Embeddings`` does, and only the rows a query touches
are ever made dense. It saves only to its own ``.npz`` layout: the dense text and binary formats
would write |V| numbers per word.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from embedlab.arrays import NpzProblem, check_npz
from embedlab.errors import EmbedlabError
from embedlab.fileio import atomic_write, open_input
from embedlab.vectors.base import Vectors, check_counts, check_meta, check_words
from embedlab.vectors.formats import SPARSE_SUFFIX as SUFFIX


class SparseEmbeddings(Vectors):
    """Words and their sparse vectors (``matrix``, a float32 CSR matrix, |V| x |V|).

    Attributes:
        words: the vocabulary, row ``i`` being ``words[i]``; columns are the same words as
            contexts.
        counts: int64 corpus counts, or None.
        meta: JSON-able dict with ``method``, ``params`` and ``history``.
        unit: the CSR matrix with every row scaled to length 1 (all-zero rows stay zero).
    """

    sparse = True

    def __init__(self, words, matrix, *, counts=None, meta=None):
        self.words = check_words(words)
        self.matrix = sp.csr_matrix(matrix, dtype=np.float32)
        if self.matrix.shape[0] != len(self.words):
            raise EmbedlabError(
                f"{len(self.words)} words but {self.matrix.shape[0]} rows: give one row per word"
            )
        self.counts = check_counts(counts, len(self.words))
        self.meta = check_meta(meta)
        squares = self.matrix.multiply(self.matrix).sum(axis=1)
        self._norms = np.sqrt(np.asarray(squares, dtype=np.float64).ravel()).astype(np.float32)
        scale = np.divide(1.0, self._norms, out=np.zeros_like(self._norms), where=self._norms > 0)
        self.unit = sp.csr_matrix(sp.diags(scale) @ self.matrix)

    @property
    def vectors(self) -> sp.csr_matrix:
        """The sparse matrix (what ``Embeddings.vectors`` is for dense vectors)."""
        return self.matrix

    @property
    def input_vectors(self) -> sp.csr_matrix:
        """The sparse matrix (PPMI has no second, context matrix)."""
        return self.matrix

    @property
    def dim(self) -> int:
        return int(self.matrix.shape[1])

    @property
    def has_context(self) -> bool:
        return False

    @property
    def norms(self) -> np.ndarray:
        return self._norms

    def __repr__(self) -> str:
        size = f"{len(self)} words x {self.dim} sparse dims"
        return f"<SparseEmbeddings: {size}, {self.matrix.nnz} non-zeros>"

    # ---- the protocol's primitives ----------------------------------------------------------

    def _dense_rows(self, rows) -> np.ndarray:
        return self.matrix[np.asarray(rows, dtype=np.int64)].toarray()

    def _unit_rows(self, rows) -> sp.csr_matrix:
        return self.unit[np.asarray(rows, dtype=np.int64)]

    def _row_form(self, matrix: np.ndarray) -> sp.csr_matrix:
        return sp.csr_matrix(np.asarray(matrix, dtype=np.float32))

    def _dots(self, queries: sp.csr_matrix, stop: int) -> np.ndarray:
        unit = self.unit if stop == len(self) else self.unit[:stop]
        return np.asarray((queries @ unit.T).toarray(), dtype=np.float32)

    def weighted_rows(self, weights) -> sp.csr_matrix:
        return sp.csr_matrix(weights @ self.matrix.astype(np.float64))

    def _with_combine(self, how: str) -> SparseEmbeddings:
        return self  # check_combine allows only "input" here: there is no context matrix

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
        # np.savez_compressed, but closing the archive when a write fails: numpy leaves it to
        # the garbage collector, whose retry on the closed file prints a stray traceback.
        with (
            atomic_write(path, "wb") as handle,
            zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive,
        ):
            for name, array in arrays.items():
                with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, np.asanyarray(array), allow_pickle=False)

    @classmethod
    def load(cls, path) -> SparseEmbeddings:
        """Read a file written by ``save`` (its arrays' sizes checked before they are read)."""
        try:
            check_npz(path, f"the sparse vectors {str(path)!r}")
            with open_input(path) as handle, np.load(handle, allow_pickle=False) as saved:
                words = saved["words"].tolist()
                shape = tuple(int(n) for n in saved["shape"])
                if len(shape) != 2 or shape[1] != len(words):
                    raise ValueError(f"a {shape} matrix for {len(words)} words")
                matrix = sp.csr_matrix(
                    (saved["data"], saved["indices"], saved["indptr"]), shape=shape
                )
                matrix.check_format(full_check=True)
                counts = saved["counts"] if "counts" in saved else None
                meta = json.loads(str(saved["meta"]))
        except (NpzProblem, OSError, KeyError, ValueError, TypeError, EOFError, zlib.error,
                zipfile.BadZipFile, RecursionError) as err:  # fmt: skip
            raise EmbedlabError(
                f"cannot read sparse vectors from {str(path)!r} ({err}): give a file saved by "
                "a ppmi model"
            ) from None
        try:
            return cls(words, matrix, counts=counts, meta=meta)
        except EmbedlabError as err:
            raise EmbedlabError(f"{path}: {err}") from None
