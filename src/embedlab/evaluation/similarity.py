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
from scipy import stats

from embedlab.evaluation.composed import ComposedRows
from embedlab.evaluation.datasets import SimilarityData
from embedlab.evaluation.lookup import RestrictedVocab


def evaluate_similarity(
    emb, vocab: RestrictedVocab, data: SimilarityData, composed: ComposedRows | None = None
) -> dict:
    """Score one similarity dataset.

    Args:
        emb: the vectors (any kind of the vector protocol), one row per word in frequency order.
        vocab: the restricted, case-insensitive lookup over those rows.
        data: the word pairs and human scores.
        composed: the vectors composed for words outside ``vocab`` (subword vectors), or None
            to skip the pairs with such a word.

    Returns:
        ``{"spearman", "pearson", "pairs", "oov"}``: the two correlations (None when fewer than
        two pairs are usable or either side is constant), the number of pairs used and the number
        skipped because a word is out of the restricted vocabulary; for vectors that compose,
        also ``composed``: how many of the pairs used have a composed word.
    """
    gold, left, right, made = [], [], [], 0
    for word_a, word_b, score in data.pairs:
        rows = vocab.rows((word_a, word_b))
        if rows is None and composed is not None:
            rows, made = composed.rows((word_a, word_b)), made + 1
        if rows is not None:
            left.append(rows[0])
            right.append(rows[1])
            gold.append(score)
    used = len(gold)
    result = {"spearman": None, "pearson": None, "pairs": used, "oov": len(data.pairs) - used}
    if emb.composes:
        result["composed"] = made
    if used < 2:
        return result
    model = (composed or emb).pair_cosines(left, right)
    with warnings.catch_warnings():
        # a constant column has no correlation; scipy warns and returns nan, which becomes None
        warnings.simplefilter("ignore")
        result["spearman"] = _finite(stats.spearmanr(gold, model)[0])
        result["pearson"] = _finite(stats.pearsonr(gold, model)[0])
    return result


def _finite(value) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None
