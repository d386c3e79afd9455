"""Benchmark words outside the restricted vocabulary, given the vectors a subword kind composes.

word2vec's and gensim's protocol skips a pair or question with a word outside the ``restrict_vocab``
most frequent words. Subword vectors have a vector for any word (its own row and n-grams if it
was trained, its n-grams alone if it was never seen), as a fastText user would query it, so
``evaluate`` scores such pairs with it and counts them as ``composed``, unless told to skip them
to stay comparable with word-only models.

``ComposedRows`` numbers those words' vectors after the vectors' own rows and answers the two
batch scores the evaluators use (``pair_cosines``, ``combination_scores``) over both; only the
restricted words are ever candidates of an analogy, as before.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from embedlab.evaluation.lookup import RestrictedVocab
from embedlab.vectors.base import safe_norms


class ComposedRows:
    """The rows of ``vocab`` and, numbered from ``len(emb)`` on, the vectors ``emb`` composes
    for those of ``words`` that ``vocab`` lacks."""

    def __init__(self, emb, vocab: RestrictedVocab, words: Iterable[str]):
        self.emb, self.vocab, self.dim = emb, vocab, emb.dim
        unseen = [word for word in dict.fromkeys(words) if vocab.rows([word]) is None]
        self._first = len(emb)
        self._rows = {word: self._first + i for i, word in enumerate(unseen)}
        vectors = emb[unseen] if unseen else np.zeros((0, emb.dim), dtype=np.float32)
        self._vectors = np.asarray(vectors, dtype=np.float32)
        self._unit = self._vectors / safe_norms(np.linalg.norm(self._vectors, axis=1))[:, None]

    def rows(self, words) -> list[int]:
        """The rows of ``words``: a restricted word's own, else its composed vector's."""
        found = self.vocab.rows(words)
        return found if found is not None else [self._row(word) for word in words]

    def _row(self, word: str) -> int:
        found = self.vocab.rows([word])
        return found[0] if found is not None else self._rows[word]

    def _dense(self, rows: np.ndarray, unit: bool) -> np.ndarray:
        own = rows < self._first
        out = np.empty((len(rows), self.dim), dtype=np.float32)
        if own.any():
            take = self.emb._unit_dense if unit else self.emb._dense_rows
            out[own] = take(rows[own])
        out[~own] = (self._unit if unit else self._vectors)[rows[~own] - self._first]
        return out

    def pair_cosines(self, left, right) -> np.ndarray:
        """float64 cosine of each pair of rows (0 for an all-zero vector)."""
        a = self._dense(np.asarray(left, dtype=np.int64), unit=False).astype(np.float64)
        b = self._dense(np.asarray(right, dtype=np.int64), unit=False).astype(np.float64)
        norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
        out = np.zeros(len(a), dtype=np.float64)
        np.divide(np.einsum("ij,ij->i", a, b), norms, out=out, where=norms > 0)
        return out

    def combination_scores(self, rows, weights, stop: int) -> np.ndarray:
        """As ``Vectors.combination_scores``: the first ``stop`` words' unit rows dotted with
        ``sum_j weights[j] * unit(rows[:, j])``."""
        rows = np.asarray(rows, dtype=np.int64)
        query = sum(w * self._dense(rows[:, j], unit=True) for j, w in enumerate(weights))
        return self.emb._dots(self.emb._row_form(query), stop)


def composer(emb, vocab: RestrictedVocab, datasets, compose: bool) -> ComposedRows | None:
    """A ``ComposedRows`` for every word of ``datasets`` when ``compose`` is on and ``emb``
    composes (a subword kind), else None: out-of-vocabulary pairs are skipped."""
    if not (compose and emb.composes):
        return None
    return ComposedRows(emb, vocab, (word for data in datasets for word in data.words()))
