"""Word similarity: how well cosine similarities rank word pairs the way people do.

The protocol is gensim's ``KeyedVectors.evaluate_word_pairs``: only the ``restrict_vocab`` most
frequent words count, words are compared case-insensitively, and a pair with a word outside them
is skipped and counted as out-of-vocabulary. The scores are Spearman's rank correlation (the
number usually reported) and Pearson's linear correlation between the human scores and the
model's cosines.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import sparse, stats

from embedlab.evaluation.datasets import SimilarityData
from embedlab.evaluation.lookup import RestrictedVocab


def evaluate_similarity(vectors: np.ndarray, vocab: RestrictedVocab, data: SimilarityData) -> dict:
    """Score one similarity dataset.

    Args:
        vectors: the embedding matrix, one row per word in frequency order.
        vocab: the restricted, case-insensitive lookup over those rows.
        data: the word pairs and human scores.

    Returns:
        ``{"spearman", "pearson", "pairs", "oov"}``: the two correlations (None when fewer than
        two pairs are usable or either side is constant), the number of pairs used and the number
        skipped because a word is out of the restricted vocabulary.
    """
    gold, left, right = [], [], []
    for word_a, word_b, score in data.pairs:
        rows = vocab.rows((word_a, word_b))
        if rows is not None:
            left.append(rows[0])
            right.append(rows[1])
            gold.append(score)
    used = len(gold)
    result = {"spearman": None, "pearson": None, "pairs": used, "oov": len(data.pairs) - used}
    if used < 2:
        return result
    model = _cosines(vectors[left], vectors[right])
    with warnings.catch_warnings():
        # a constant column has no correlation; scipy warns and returns nan, which becomes None
        warnings.simplefilter("ignore")
        result["spearman"] = _finite(stats.spearmanr(gold, model)[0])
        result["pearson"] = _finite(stats.pearsonr(gold, model)[0])
    return result


def _cosines(left, right) -> np.ndarray:
    """Row-wise cosine in float64 (0 for a zero row): a few thousand pairs, so precision is free.

    Dense arrays or sparse matrices (explicit PPMI rows are |V| wide, never made dense)."""
    if sparse.issparse(left):
        left, right = sparse.csr_matrix(left, dtype=np.float64), sparse.csr_matrix(right)
        dots = np.asarray(left.multiply(right).sum(axis=1)).ravel()
        norms = np.sqrt(_row_sums(left.multiply(left)) * _row_sums(right.multiply(right)))
    else:
        left = np.asarray(left, dtype=np.float64)
        right = np.asarray(right, dtype=np.float64)
        norms = np.linalg.norm(left, axis=1) * np.linalg.norm(right, axis=1)
        dots = np.einsum("ij,ij->i", left, right)
    return np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)


def _row_sums(matrix) -> np.ndarray:
    return np.asarray(matrix.sum(axis=1), dtype=np.float64).ravel()


def _finite(value) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None
