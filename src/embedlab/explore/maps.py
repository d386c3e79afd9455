"""The explorer's maps: 2-D coordinates of up to 100,000 words, in bounded memory.

- ``pca``: the eigenvectors of the centred XᵀX with the largest eigenvalues, as in the notes and
  ``pictures.projection.pca``. Rows up to ``COVARIANCE_DIM`` wide are read a block at a time
  into the d x d scatter matrix (one pass), then projected in a second pass, so 100,000 x 300
  vectors never need a second copy; wider rows (sparse PPMI, one column per word) are projected
  by the SVD of the shown rows, up to ``WIDE_CELLS`` numbers.
- ``tsne`` (scikit-learn) and ``umap`` (umap-learn, the ``[explore]`` extra) run on the first
  ``REDUCED_DIM`` principal components, as scikit-learn's documentation advises for t-SNE, and
  are limited to ``MAX_TSNE_WORDS`` and ``MAX_UMAP_WORDS`` points (t-SNE's cost grows as n log n
  with a large constant; the Projector samples both down to 10,000).
- ``axes``: each word's cosine with the direction of a formula per axis (``man - woman``).
- ``joint``: two models in one frame. PCA is fitted on the first model's unit vectors of the
  words; the second model's unit vectors, rotated onto the first by orthogonal Procrustes, are
  projected on the same components, so a word's two points show how far it moved.
"""

from __future__ import annotations

import warnings

import numpy as np

from embedlab.checks import check_choice, check_int
from embedlab.errors import EmbedlabError
from embedlab.pictures import projection
from embedlab.query import direction, parse_formula
from embedlab.query.neighbours import word_vectors

METHODS = ("pca", "tsne", "umap", "axes")
MAX_MAP_WORDS = 100_000
MAX_TSNE_WORDS = 5_000
MAX_UMAP_WORDS = 20_000
MAX_JOINT_WORDS = 10_000
COVARIANCE_DIM = 2048
WIDE_CELLS = 1 << 23
REDUCED_DIM = 50
#: Numbers of one block of rows read for a map (8 MB as float64), so that a 100,000-word map of
#: a memory-mapped model adds little beyond the mapped pages.
BLOCK_CELLS = 1 << 20
_NAMES = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP"}


def coordinates(emb, words: list[str], method: str = "pca", *, x=None, y=None, seed=0) -> dict:
    """Map ``words`` of ``emb`` to 2-D by ``method``.

    Returns ``{"method", "words", "x", "y", "axes": [x label, y label],
    "explained_variance_ratio": [r1, r2] or None}``; the coordinates are lists of floats.
    ``x``/``y`` are the formulas of the ``axes`` method.
    """
    method = check_choice("method", method, METHODS)
    seed = check_int("seed", seed, minimum=0)
    _check_count(words, method)
    ratio = None
    if method == "axes":
        coords, labels = _formula_axes(emb, words, x, y)
    elif method == "pca":
        coords, ratio = principal_components(emb, words, 2)
        labels = [f"PC{i + 1} ({100 * r:.1f}% of variance)" for i, r in enumerate(ratio)]
    else:
        coords = _neighbour_embedding(emb, words, method, seed)
        labels = [f"{_NAMES[method]} dimension {i}" for i in (1, 2)]
    return {
        "method": method,
        "words": list(words),
        "x": _floats(coords[:, 0]),
        "y": _floats(coords[:, 1]),
        "axes": labels,
        "explained_variance_ratio": None if ratio is None else _floats(ratio),
    }


def joint_coordinates(comparison, words: list[str]) -> dict:
    """Both models' words on one PCA map (see the module docstring): ``coordinates``' keys plus
    ``x2``, ``y2`` (the second model's points)."""
    if len(words) > MAX_JOINT_WORDS:
        raise EmbedlabError(
            f"{len(words):,} words asked for; a map of both models shows at most "
            f"{MAX_JOINT_WORDS:,}: ask for fewer"
        )
    _check_count(words, "pca")
    first, second = comparison.aligned_rows(words)
    fitted = projection.pca(first, n_components=2)
    other = (second - fitted.mean) @ fitted.components.T
    ratio = fitted.explained_variance_ratio
    return {
        "method": "pca",
        "words": list(words),
        "x": _floats(fitted.coords[:, 0]),
        "y": _floats(fitted.coords[:, 1]),
        "x2": _floats(other[:, 0]),
        "y2": _floats(other[:, 1]),
        "axes": [f"PC{i + 1} of the first model ({100 * r:.1f}%)" for i, r in enumerate(ratio)],
        "explained_variance_ratio": _floats(ratio),
    }


def principal_components(emb, words: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """float64 (n, k) coordinates of ``words`` on their first ``k`` principal components, and
    each component's share of the variance (signs fixed as ``pictures.projection.pca``)."""
    if emb.dim > COVARIANCE_DIM:
        if len(words) * emb.dim > WIDE_CELLS:
            most = max(2, WIDE_CELLS // emb.dim)
            raise EmbedlabError(
                f"a map of {len(words):,} words of {emb.dim:,}-wide vectors needs "
                f"{len(words) * emb.dim * 8 / 2**30:.1f} GiB; at most {most:,} words fit: "
                "ask for fewer"
            )
        fitted = projection.pca(word_vectors(emb, words), n_components=k)
        return fitted.coords, fitted.explained_variance_ratio
    k = check_int("components", k, minimum=1, maximum=emb.dim)
    n = len(words)
    block = max(1, BLOCK_CELLS // emb.dim)
    total = np.zeros(emb.dim)
    scatter = np.zeros((emb.dim, emb.dim))
    for start in range(0, n, block):
        rows = word_vectors(emb, words[start : start + block]).astype(np.float64)
        total += rows.sum(axis=0)
        scatter += rows.T @ rows
    mean = total / n
    scatter -= n * np.outer(mean, mean)  # the centred XᵀX, without centring a copy of X
    values, vectors = np.linalg.eigh(scatter)  # ascending
    components = projection.fix_signs(vectors[:, ::-1][:, :k].T.copy())
    trace = float(np.trace(scatter))
    ratio = np.clip(values[::-1][:k], 0, None) / trace if trace > 0 else np.zeros(k)
    coords = np.empty((n, k))
    for start in range(0, n, block):
        rows = word_vectors(emb, words[start : start + block]).astype(np.float64)
        coords[start : start + len(rows)] = (rows - mean) @ components.T
    return coords, ratio


def _formula_axes(emb, words, x, y) -> tuple[np.ndarray, list[str]]:
    if not x or not y:
        raise EmbedlabError("the axes map needs a formula for each axis, e.g. x=he - she")
    axes = [parse_formula(x), parse_formula(y)]
    directions = np.stack([direction(emb, terms) for terms in axes], axis=1).astype(np.float64)
    coords = np.empty((len(words), 2))
    block = max(1, BLOCK_CELLS // emb.dim)
    for start in range(0, len(words), block):
        rows = word_vectors(emb, words[start : start + block]).astype(np.float64)
        norms = np.linalg.norm(rows, axis=1)
        norms[norms == 0] = 1.0
        coords[start : start + len(rows)] = (rows @ directions) / norms[:, None]
    labels = [f"cos(word, {_formula_text(terms)})" for terms in axes]
    return coords, labels


def _neighbour_embedding(emb, words, method: str, seed: int) -> np.ndarray:
    reduced, _ = principal_components(emb, words, min(REDUCED_DIM, emb.dim))
    if method == "tsne":
        return projection.tsne(reduced, seed=seed)
    try:
        import umap
    except ImportError:
        raise EmbedlabError(
            "UMAP maps need the umap-learn package: pip install 'embedlab[explore]', or "
            "choose pca or tsne"
        ) from None
    model = umap.UMAP(
        n_components=2, n_neighbors=min(15, len(words) - 1), random_state=seed, n_jobs=1
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its notes on the random state and spectral start
        return np.asarray(model.fit_transform(reduced), dtype=np.float64)


def _check_count(words, method: str) -> None:
    least = 2 if method in ("pca", "axes") else 3
    if len(words) < least:
        raise EmbedlabError(f"a {method} map needs at least {least} words, got {len(words)}")
    most = {"tsne": MAX_TSNE_WORDS, "umap": MAX_UMAP_WORDS}.get(method, MAX_MAP_WORDS)
    if len(words) > most:
        raise EmbedlabError(
            f"{len(words):,} words asked for; a {method} map shows at most {most:,}: ask for "
            "fewer (pca and axes maps take up to 100,000)"
        )


def _formula_text(terms) -> str:
    text = " ".join(("+ " if sign > 0 else "- ") + word for word, sign in terms)
    return text[2:] if text.startswith("+ ") else text


def _floats(values) -> list[float]:
    return [float(v) for v in np.asarray(values, dtype=np.float64)]
