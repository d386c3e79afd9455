"""PCA as in the notes (eigenvectors of the centred XᵀX) against scikit-learn, and t-SNE."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.decomposition import PCA as SklearnPCA

from embedlab.errors import EmbedlabError
from embedlab.pictures.projection import pca, project, tsne, tsne_perplexity


def _points(n=40, d=6, seed=3):
    rng = np.random.default_rng(seed)
    # unequal spread per axis so the components are well separated (no near-ties in sign)
    return rng.normal(size=(n, d)) * np.array([5.0, 3.0, 2.0, 1.0, 0.5, 0.2])[:d] + 7.0


def test_pca_matches_sklearn_up_to_sign():
    x = _points()
    ours = pca(x, n_components=3)
    ref = SklearnPCA(n_components=3, svd_solver="full").fit(x)
    ref_coords = ref.transform(x)
    for k in range(3):
        sign = np.sign(ours.components[k] @ ref.components_[k])
        assert abs(sign) == 1.0
        np.testing.assert_allclose(ours.components[k], sign * ref.components_[k], atol=1e-10)
        np.testing.assert_allclose(ours.coords[:, k], sign * ref_coords[:, k], atol=1e-9)
    np.testing.assert_allclose(ours.explained_variance, ref.explained_variance_, rtol=1e-10)
    np.testing.assert_allclose(
        ours.explained_variance_ratio, ref.explained_variance_ratio_, rtol=1e-10
    )
    np.testing.assert_allclose(ours.mean, x.mean(axis=0))


def test_components_are_eigenvectors_of_the_centred_scatter_matrix():
    # the notes' sanity check: XᵀX v = λ v, with ‖v‖ = 1 and the vs orthogonal
    x = _points()
    ours = pca(x, n_components=4)
    centred = x - x.mean(axis=0)
    scatter = centred.T @ centred
    for v, lam in zip(ours.components, ours.eigenvalues, strict=True):
        np.testing.assert_allclose(scatter @ v, lam * v, atol=1e-8 * lam)
    np.testing.assert_allclose(ours.components @ ours.components.T, np.eye(4), atol=1e-12)
    assert np.all(np.diff(ours.eigenvalues) <= 0)


def test_points_on_a_line_put_all_variance_on_the_first_component():
    direction = np.array([3.0, 4.0, 0.0]) / 5.0
    t = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    ours = pca(t[:, None] * direction + 1.0)
    # by hand: sum of t² = 10, variance = 10 / (5 - 1) = 2.5, all of it on PC1
    np.testing.assert_allclose(ours.eigenvalues, [10.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(ours.explained_variance, [2.5, 0.0], atol=1e-12)
    np.testing.assert_allclose(ours.explained_variance_ratio, [1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(np.abs(ours.coords[:, 0]), np.abs(t), atol=1e-12)
    np.testing.assert_allclose(ours.components[0], direction, atol=1e-12)  # largest entry > 0


def test_a_planted_two_cluster_structure_separates_on_the_first_component():
    rng = np.random.default_rng(11)
    axis = rng.normal(size=20)
    axis /= np.linalg.norm(axis)
    labels = np.repeat([0, 1], 25)
    x = rng.normal(scale=0.3, size=(50, 20)) + np.where(labels[:, None] == 1, 4.0, -4.0) * axis
    first = pca(x).coords[:, 0]
    side = first > 0
    assert np.all(side == (labels == 1)) or np.all(side == (labels == 0))
    assert pca(x).explained_variance_ratio[0] > 0.8


def test_the_sign_is_fixed_by_the_data_not_by_the_solver():
    x = _points()
    flipped = x.copy()
    flipped[:, 0] *= -1  # mirror one axis: the component must follow the data
    a, b = pca(x), pca(flipped)
    for comp in (a.components, b.components):
        peaks = comp[np.arange(2), np.argmax(np.abs(comp), axis=1)]
        assert np.all(peaks > 0)
    np.testing.assert_allclose(np.abs(a.coords), np.abs(b.coords), atol=1e-9)


@pytest.mark.parametrize(
    "x, n_components, message",
    [
        (np.ones((1, 3)), 2, "at least 2 words"),
        (np.ones((5, 1)), 2, "exceeds the vector dimension 1"),
        (np.array([[0.0, np.nan], [1.0, 2.0]]), 1, "NaN or infinite"),
        (np.ones(4), 1, "2-D array"),
    ],
)
def test_bad_input_is_a_user_error(x, n_components, message):
    with pytest.raises(EmbedlabError, match=message):
        pca(x, n_components=n_components)


def test_perplexity_follows_the_number_of_points():
    assert tsne_perplexity(10) == pytest.approx(3.0)  # (10 - 1) / 3
    assert tsne_perplexity(91) == pytest.approx(30.0)
    assert tsne_perplexity(1000) == 30.0
    assert tsne_perplexity(3) == 1.0
    for n in (3, 4, 10, 50):
        assert tsne_perplexity(n) < n  # scikit-learn refuses perplexity >= n_samples


def test_tsne_is_reproducible_and_keeps_clusters_apart():
    rng = np.random.default_rng(5)
    labels = np.repeat([0, 1], 8)
    x = rng.normal(scale=0.2, size=(16, 5)) + labels[:, None] * 6.0
    first = tsne(x, seed=3)
    again = tsne(x, seed=3)
    np.testing.assert_array_equal(first, again)
    assert first.shape == (16, 2)
    distances = np.linalg.norm(first[:, None] - first[None, :], axis=2)
    np.fill_diagonal(distances, np.inf)
    nearest = np.argmin(distances, axis=1)
    assert np.all(labels[nearest] == labels)


def test_project_dispatches_and_validates_the_method():
    x = _points(n=10)
    result = project(x, "pca")
    assert result.method == "pca" and result.coords.shape == (10, 2)
    np.testing.assert_allclose(result.explained_variance_ratio, pca(x).explained_variance_ratio)
    with pytest.raises(EmbedlabError, match="method must be one of pca, tsne"):
        project(x, "umap")
    with pytest.raises(EmbedlabError, match="at least 3 words"):
        project(x[:2], "tsne")


def test_fewer_points_than_components_give_orthonormal_components_without_variance():
    # 3 points span at most 2 directions: components 3..5 are any unit vectors orthogonal to
    # the first two, with eigenvalue 0
    x = _points(n=3, d=6)
    ours = pca(x, n_components=5)
    centred = x - x.mean(axis=0)
    scatter = centred.T @ centred
    np.testing.assert_allclose(ours.components @ ours.components.T, np.eye(5), atol=1e-12)
    np.testing.assert_allclose(ours.eigenvalues[2:], 0.0, atol=1e-12)
    for v, lam in zip(ours.components, ours.eigenvalues, strict=True):
        np.testing.assert_allclose(scatter @ v, lam * v, atol=1e-9 * ours.eigenvalues[0])
    np.testing.assert_allclose(ours.coords[:, 2:], 0.0, atol=1e-9)


def test_pca_of_a_few_very_wide_rows_needs_no_d_by_d_matrix():
    # 4 points of 40,000 dimensions: a d x d scatter matrix would take 12.8 GB
    rng = np.random.default_rng(8)
    x = np.zeros((4, 40_000))
    x[:, :3] = rng.normal(size=(4, 3)) * [4.0, 2.0, 1.0]
    ours = pca(x)
    reference = pca(x[:, :3])  # the other columns are all zero: the same points in 3-D
    np.testing.assert_allclose(ours.coords, reference.coords, atol=1e-10)
    np.testing.assert_allclose(ours.components[:, :3], reference.components, atol=1e-10)
    np.testing.assert_allclose(ours.components[:, 3:], 0.0, atol=1e-12)
