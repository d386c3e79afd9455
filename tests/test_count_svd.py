"""Truncated SVD of sparse matrices and the eigenvalue weighting of its factors."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from embedlab.errors import EmbedlabError
from embedlab.methods.count.svd import truncated_svd, weighted_factors


def low_rank(seed=0, n=40, rank=4):
    rng = np.random.default_rng(seed)
    left = rng.standard_normal((n, rank))
    right = rng.standard_normal((rank, n))
    dense = left @ right
    dense[np.abs(dense) < 0.5] = 0  # sparse, and no longer exactly low rank
    return dense


# randomized SVD is approximate in the weak trailing directions; ARPACK converges fully
@pytest.mark.parametrize("solver, tolerance", [("randomized", 1e-4), ("arpack", 1e-8)])
def test_leading_singular_triplets_match_numpy(solver, tolerance):
    dense = low_rank()
    U, s, Vt = truncated_svd(sp.csr_matrix(dense), 6, solver=solver, seed=3)
    _, s_ref, _ = np.linalg.svd(dense)
    np.testing.assert_allclose(s[:4], s_ref[:4], rtol=1e-9)
    np.testing.assert_allclose(s, s_ref[:6], rtol=tolerance)
    assert np.all(np.diff(s) <= 0)
    best = (U * s) @ Vt  # the rank-6 Eckart-Young approximation is unique here
    U_ref, _, Vt_ref = np.linalg.svd(dense)
    np.testing.assert_allclose(
        best, (U_ref[:, :6] * s_ref[:6]) @ Vt_ref[:6], atol=tolerance * s_ref[0]
    )


def test_full_rank_reconstruction_of_a_small_matrix():
    dense = np.array([[3.0, 0, 1], [0, 2, 0], [1, 0, 3], [0, 0, 1]])
    U, s, Vt = truncated_svd(sp.csr_matrix(dense), 2, solver="arpack")
    # rank 2 of a rank-3 matrix: error is exactly the dropped singular value (Eckart-Young)
    residual = np.linalg.norm(dense - (U * s) @ Vt, 2)
    assert residual == pytest.approx(np.linalg.svd(dense, compute_uv=False)[2], rel=1e-9)


def test_eigenvalue_weighting():
    U, s, Vt = truncated_svd(sp.csr_matrix(low_rank(1)), 4, seed=2)
    for eig in (0.0, 0.5, 1.0):
        W, C = weighted_factors(U, s, Vt, eig)
        assert W.dtype == np.float32 and W.shape == (40, 4) and C.shape == (40, 4)
        np.testing.assert_allclose(W, U * s**eig, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(C, Vt.T * s**eig, rtol=1e-5, atol=1e-6)
    W, C = weighted_factors(U, s, Vt, 0.5)
    np.testing.assert_allclose(W @ C.T, (U * s) @ Vt, rtol=1e-4, atol=1e-4)


def test_same_seed_same_vectors():
    matrix = sp.csr_matrix(low_rank(2))
    first = truncated_svd(matrix, 5, seed=9)
    second = truncated_svd(matrix, 5, seed=9)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


def test_bad_dim_and_solver_raise():
    matrix = sp.csr_matrix(low_rank())
    with pytest.raises(EmbedlabError):
        truncated_svd(matrix, 40)
    with pytest.raises(EmbedlabError):
        truncated_svd(matrix, 3, solver="lapack")
