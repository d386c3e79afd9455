"""Two-dimensional projections of word vectors: PCA as in the lecture notes, and t-SNE.

PCA follows the notes: centre the rows of X, then the directions that capture the most variation
are the eigenvectors of XᵀX with the largest eigenvalues (``v`` maximising ``vᵀXᵀXv`` under
``‖v‖ = 1``, the next one orthogonal to it, ...). The coordinates are ``X v``. They are computed
as the right singular vectors of the centred X (``X = U S Vᵀ`` gives ``XᵀX = V S² Vᵀ``), which
costs memory in the size of X, never d x d: a map of 3 words of 60,000-wide PPMI rows needs no
60,000² matrix. t-SNE is
scikit-learn's, with a fixed seed so a map can be drawn again identically.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from embedlab.checks import check_choice, check_int
from embedlab.errors import EmbedlabError, setting
from embedlab.limits import TSNE_POINTS

METHODS = ("pca", "tsne")

#: scikit-learn's default perplexity, used whenever there are enough points for it.
TSNE_PERPLEXITY = 30.0
#: Up to this many points t-SNE computes its exact gradient (see :func:`tsne`).
TSNE_EXACT_LIMIT = 1000


@dataclass(frozen=True)
class Projection:
    """Points in two (or ``k``) dimensions and how they were obtained.

    Attributes:
        coords: float64 array (n, k), one row per input row.
        method: ``"pca"`` or ``"tsne"``.
        explained_variance_ratio: for PCA, each component's share of the total variance
            (eigenvalue / sum of all eigenvalues of the centred XᵀX); None for t-SNE, whose axes
            carry no variance.
    """

    coords: np.ndarray
    method: str
    explained_variance_ratio: np.ndarray | None = None


@dataclass(frozen=True)
class PCA:
    """The result of :func:`pca`.

    Attributes:
        coords: float64 (n, k), the centred rows projected on the components.
        components: float64 (k, d), unit eigenvectors of the centred XᵀX, largest first.
        eigenvalues: float64 (k,), the matching eigenvalues (sums of squares along each
            component, not divided by n - 1).
        explained_variance: eigenvalues / (n - 1), the sample variance along each component
            (scikit-learn's ``explained_variance_``).
        explained_variance_ratio: eigenvalues / trace of the centred XᵀX.
        mean: float64 (d,), the centre that was subtracted.
    """

    coords: np.ndarray
    components: np.ndarray
    eigenvalues: np.ndarray
    explained_variance: np.ndarray
    explained_variance_ratio: np.ndarray
    mean: np.ndarray


def pca(x, n_components: int = 2) -> PCA:
    """Principal component analysis: the eigenvectors of the centred XᵀX, by the SVD of X.

    Args:
        x: array (n, d) of n points; at least 2 points and ``n_components <= d``.
        n_components: how many components to keep (default 2).

    Each component's sign is fixed so that its largest-magnitude entry is positive: the picture
    does not flip between runs or machines, and the choice depends only on the data.
    """
    x = _as_points(x, minimum=2)
    n_components = check_int("n_components", n_components, minimum=1)
    if n_components > x.shape[1]:
        raise EmbedlabError(
            f"n_components={n_components} exceeds the vector dimension {x.shape[1]}: ask for fewer"
        )
    mean = x.mean(axis=0)
    centred = x - mean
    # singular values come back in descending order; their squares are XᵀX's eigenvalues
    _, singular, right = np.linalg.svd(centred, full_matrices=False)
    values = np.zeros(n_components)
    values[: len(singular)] = singular[:n_components] ** 2
    components = fix_signs(_orthonormal_rows(right, n_components))
    total = float(np.einsum("ij,ij->", centred, centred))  # the trace of XᵀX
    ratio = values / total if total > 0 else np.zeros_like(values)
    return PCA(
        coords=centred @ components.T,
        components=components,
        eigenvalues=values,
        explained_variance=values / (x.shape[0] - 1),
        explained_variance_ratio=ratio,
        mean=mean,
    )


def fix_signs(components: np.ndarray) -> np.ndarray:
    """``components`` (k, d) with each row's sign chosen so its largest-magnitude entry is
    positive (in place): a map does not flip between runs, machines or ways of computing it."""
    peaks = np.argmax(np.abs(components), axis=1)
    signs = np.sign(components[np.arange(len(components)), peaks])
    components *= np.where(signs == 0, 1.0, signs)[:, None]
    return components


def _orthonormal_rows(right: np.ndarray, count: int) -> np.ndarray:
    """The first ``count`` rows of ``right``, completed by unit vectors orthogonal to them when
    there are fewer rows (fewer points than components: the extra ones carry no variance)."""
    if count <= len(right):
        return right[:count].copy()
    # QR keeps the span of the given rows first; the unit axes only fill the missing ones
    axes = np.eye(right.shape[1], count)
    basis = np.linalg.qr(np.hstack([right.T, axes]))[0]
    return np.vstack([right, basis[:, len(right) : count].T])


def tsne_perplexity(n_points: int) -> float:
    """The perplexity used for ``n_points``: 30, or (n - 1) / 3 when that is smaller.

    Perplexity is roughly the number of neighbours each point attends to; it must stay below the
    number of points, and a third of them keeps a small map from collapsing into one blob.
    """
    return max(1.0, min(TSNE_PERPLEXITY, (n_points - 1) / 3.0))


def tsne(x, seed: int = 0) -> np.ndarray:
    """t-SNE coordinates (n, 2) from scikit-learn, PCA-initialised, with a fixed random state.

    Up to :data:`TSNE_EXACT_LIMIT` points the gradient is exact; more use Barnes-Hut. More
    than ``limits.TSNE_POINTS`` are refused before scikit-learn is imported.

    Args:
        x: array (n, d), at least 3 points.
        seed: scikit-learn's ``random_state`` (default 0); the same seed gives the same map.
    """
    x = _as_points(x, minimum=3)
    cheaper = f"show fewer words, or use PCA ({setting('method', 'pca')})"
    TSNE_POINTS.check(len(x), "a t-SNE map of", cheaper)
    from sklearn.manifold import TSNE  # scikit-learn's import is slow; only t-SNE needs it

    seed = check_int("seed", seed, minimum=0)
    model = TSNE(
        n_components=2,
        perplexity=tsne_perplexity(len(x)),
        init="pca",
        learning_rate="auto",
        # the exact gradient is as fast as Barnes-Hut for a map's few hundred words, and has
        # no OpenMP threads whose timing could vary; beyond that its n² memory would not do
        method="exact" if len(x) <= TSNE_EXACT_LIMIT else "barnes_hut",
        random_state=seed,
    )
    return np.asarray(model.fit_transform(x), dtype=np.float64)


def project(x, method: str = "pca", seed: int = 0) -> Projection:
    """Two-dimensional coordinates of the rows of ``x`` by ``method`` (``pca`` or ``tsne``)."""
    method = check_choice("method", method, METHODS)
    if method == "pca":
        result = pca(x, n_components=2)
        return Projection(result.coords, "pca", result.explained_variance_ratio)
    return Projection(tsne(x, seed=seed), "tsne")


def _as_points(x, minimum: int) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise EmbedlabError(f"expected a 2-D array of points, got shape {x.shape}")
    if x.shape[0] < minimum:
        raise EmbedlabError(
            f"a projection needs at least {minimum} words, got {x.shape[0]}: give more words"
        )
    if not np.all(np.isfinite(x)):
        raise EmbedlabError("the vectors contain NaN or infinite values: retrain or fix the file")
    return x
