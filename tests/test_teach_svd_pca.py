"""teach svd and teach pca against NumPy's SVD of matrices built here from the formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest

from embedlab.teach import toy_data
from embedlab.teach.pca import pca_lesson
from embedlab.teach.svd import svd_lesson

#: The notes' (003) six three-dimensional centre vectors W (the lesson's default input).
NOTES_W = toy_data.SOFTMAX_W


def _ppmi_by_hand(words, window):
    vocab = list(dict.fromkeys(words))
    n = len(vocab)
    counts = np.zeros((n, n))
    for i, w in enumerate(words):
        for j in range(max(0, i - window), min(len(words), i + window + 1)):
            if j != i:
                counts[vocab.index(w), vocab.index(words[j])] += 1
    total = counts.sum()
    rows, cols = counts.sum(axis=1), counts.sum(axis=0)
    ppmi = np.zeros_like(counts)
    for t in range(n):
        for c in range(n):
            if counts[t, c]:
                ppmi[t, c] = max(math.log(counts[t, c] * total / (rows[t] * cols[c])), 0.0)
    return vocab, ppmi


@pytest.mark.parametrize("k, eig", [(2, 0.0), (3, 0.5), (4, 1.0)])
def test_svd_of_the_notes_sentence(k, eig):
    result = svd_lesson(None, window=2, k=k, eig=eig)
    vocab, ppmi = _ppmi_by_hand("I like cats and dogs".split(), 2)
    order = [vocab.index(w) for w in result["words"]]
    ppmi = ppmi[np.ix_(order, order)]
    assert np.allclose(result["ppmi"], ppmi)
    U, s, Vt = np.linalg.svd(ppmi)
    assert np.allclose(result["singular_values"], s[:k])
    ours_U, ours_V = np.array(result["U"]), np.array(result["V"])
    for j in range(k):  # singular vectors are defined up to sign
        sign = np.sign(ours_U[:, j] @ U[:, j])
        assert np.allclose(ours_U[:, j], sign * U[:, j], atol=1e-8)
        assert np.allclose(ours_V[:, j], sign * Vt[j], atol=1e-8)
    vectors = np.array([result["word_vectors"][w] for w in result["words"]])
    assert np.allclose(vectors, ours_U * s[:k] ** eig, atol=1e-6)  # float32 vectors
    best = (U[:, :k] * s[:k]) @ Vt[:k]  # Eckart-Young: the best rank-k approximation
    assert result["max_reconstruction_error"] == pytest.approx(np.max(np.abs(best - ppmi)))


def test_pca_of_the_notes_vectors_matches_the_svd_of_the_centred_matrix():
    result = pca_lesson()
    centred = NOTES_W - NOTES_W.mean(axis=0)
    _, s, Vt = np.linalg.svd(centred)
    assert np.allclose(result["centred"], centred)
    assert np.allclose(result["eigenvalues"], s**2)
    assert np.allclose(result["kept_eigenvalues"], s[:2] ** 2)
    assert np.allclose(result["explained_variance_ratio"], s[:2] ** 2 / np.sum(s**2))
    coords = np.array(list(result["coords"].values()))
    for j in range(2):
        v = np.array(result["components"][j])
        assert abs(v @ Vt[j]) == pytest.approx(1.0)
        assert np.allclose(coords[:, j], centred @ v)
    assert max(result["sanity"]) < 1e-12


def test_uncentred_first_direction_points_at_the_mean():
    result = pca_lesson()
    values, vectors = np.linalg.eigh(NOTES_W.T @ NOTES_W)
    first = vectors[:, -1]
    mean = NOTES_W.mean(axis=0)
    assert result["uncentred_first"]["cosine_with_mean"] == pytest.approx(
        abs(first @ mean) / np.linalg.norm(mean)
    )
    assert result["uncentred_first"]["cosine_with_mean"] > 0.99
    top_centred = np.array(result["components"][0])
    assert abs(top_centred @ first) < 0.9  # centring changes the answer


def test_pca_lesson_accepts_any_matrix():
    X = np.array([[2.0, 0.0], [0.0, 1.0], [-2.0, 0.0], [0.0, -1.0]])
    result = pca_lesson(X, ["a", "b", "c", "d"])
    assert result["kept_eigenvalues"] == pytest.approx([8.0, 2.0])  # sums of squares by hand
