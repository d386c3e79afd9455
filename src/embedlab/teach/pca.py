"""Lesson: the notes' (004) PCA derivation worked on a small matrix, as the pictures compute it.

The projection is :func:`embedlab.pictures.projection.pca`, the one the maps use. Around it the
lesson shows each step of the derivation: the centred X, XᵀX, all its eigenpairs, the slide's
sanity check ``XᵀX v⁽ʲ⁾ = λⱼ v⁽ʲ⁾``, and what the first direction would be without centring.
"""

from __future__ import annotations

import numpy as np

from embedlab.errors import EmbedlabError
from embedlab.teach import slips, toy_data


def pca_lesson(X=None, words=None) -> dict:
    """PCA of the rows of ``X`` (default: the notes' six three-dimensional word vectors W).

    Returns ``{"words", "X", "mean", "centred", "scatter", "eigenvalues", "eigenvectors",
    "components", "sanity", "coords", "explained_variance_ratio", "uncentred_first"}``;
    ``eigenvectors`` are all of XᵀX's (as rows, largest eigenvalue first), ``sanity`` the
    largest ``|XᵀX v - λ v|`` per kept component, ``uncentred_first`` the top eigenvector of
    the raw XᵀX with its cosine to the mean row; ``slips`` the notes' (they never centre).
    """
    from embedlab.pictures.projection import pca

    if X is None:
        X, words = toy_data.SOFTMAX_W, list(toy_data.SOFTMAX_WORDS)
    X = np.asarray(X, dtype=np.float64)
    words = [f"x{i + 1}" for i in range(len(X))] if words is None else list(words)
    if X.ndim != 2 or X.shape[1] < 2 or len(words) != X.shape[0]:
        raise EmbedlabError("give a matrix with one row per word and at least two columns")
    result = pca(X, 2)
    centred = X - result.mean
    scatter = centred.T @ centred
    values, vectors = np.linalg.eigh(scatter)
    order = np.argsort(values)[::-1]
    sanity = [
        float(np.max(np.abs(scatter @ v - lam * v)))
        for v, lam in zip(result.components, result.eigenvalues, strict=True)
    ]
    raw_values, raw_vectors = np.linalg.eigh(X.T @ X)
    first_raw = raw_vectors[:, np.argmax(raw_values)]
    mean_norm = np.linalg.norm(result.mean)
    cosine = float(abs(first_raw @ result.mean) / mean_norm) if mean_norm > 0 else 0.0
    result = {
        "words": words,
        "X": X.tolist(),
        "mean": result.mean.tolist(),
        "centred": centred.tolist(),
        "scatter": scatter.tolist(),
        "eigenvalues": values[order].tolist(),
        "eigenvectors": vectors[:, order].T.tolist(),
        "components": result.components.tolist(),
        "kept_eigenvalues": result.eigenvalues.tolist(),
        "sanity": sanity,
        "coords": dict(zip(words, result.coords.tolist(), strict=True)),
        "explained_variance_ratio": result.explained_variance_ratio.tolist(),
        "uncentred_first": {"vector": first_raw.tolist(), "cosine_with_mean": cosine},
    }
    result["slips"] = slips.as_dicts(slips.pca(result))
    return result
