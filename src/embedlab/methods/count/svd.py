"""Truncated SVD of a sparse association matrix into dense word and context vectors.

Solver choice. ``"randomized"`` (Halko, Martinsson & Tropp; scikit-learn's ``randomized_svd``)
multiplies the sparse matrix by a block of ``dim + 10`` random vectors a dozen times (4 power
iterations), so its cost is a few sparse-times-dense products: on a 70k x 70k PPMI matrix at
dim 300 that is tens of seconds. ``"arpack"`` (SciPy's ``svds``, implicitly restarted Lanczos)
converges each of the 300 singular triplets to machine precision but needs hundreds of
restarts with one matrix-vector product each plus dense re-orthogonalisation of a 70k x 600
basis: several times slower there. The randomized leading singular values match ARPACK's to a
few parts in a thousand, and the trailing directions that differ most get the smallest weight
in the vectors, so "randomized" is the default; "arpack" is there for exact small problems.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from embedlab.errors import EmbedlabError, setting

SOLVERS = ("randomized", "arpack")
#: Extra random directions and power iterations for the randomized solver (Halko et al. advise
#: 5-10 extra and a few iterations when the spectrum decays slowly, as PPMI's does).
OVERSAMPLES = 10
POWER_ITERATIONS = 4


def truncated_svd(matrix, dim: int, *, solver: str = "randomized", seed: int = 1):
    """The ``dim`` largest singular triplets of ``matrix``: ``(U, s, Vt)``, ``s`` descending.

    ``U`` is rows x dim, ``Vt`` dim x columns, in the matrix's float type. Signs are fixed so
    that each left singular vector's largest-magnitude entry is positive, which makes results
    reproducible across solvers and runs.
    """
    if solver not in SOLVERS:
        raise EmbedlabError(f"solver must be one of {', '.join(SOLVERS)}; got {solver!r}")
    check_rank(dim, matrix.shape)
    limit = min(matrix.shape)
    # float32 stays float32: half the memory and twice the speed of the products, and PPMI
    # values carry no more precision than that
    matrix = sp.csr_matrix(matrix)
    if matrix.dtype not in (np.float32, np.float64):
        matrix = matrix.astype(np.float64)
    # The solvers are imported here: scikit-learn alone takes seconds to import, and the
    # command line reads every estimator's declaration at start-up.
    if solver == "randomized":
        from sklearn.utils.extmath import randomized_svd

        U, s, Vt = randomized_svd(
            matrix,
            dim,
            n_oversamples=OVERSAMPLES,
            n_iter=POWER_ITERATIONS,
            random_state=seed,
            flip_sign=False,
        )
    else:
        from scipy.sparse.linalg import svds

        start = np.random.default_rng(seed).uniform(-1.0, 1.0, size=limit)
        U, s, Vt = svds(matrix, k=dim, v0=start, solver="arpack")
        order = np.argsort(-s, kind="stable")
        U, s, Vt = U[:, order], s[order], Vt[order]
    return fix_signs(U, s, Vt)


def check_rank(dim: int, shape: tuple[int, int]) -> None:
    """EmbedlabError unless a matrix of ``shape`` has more than ``dim`` singular triplets."""
    if dim >= min(shape):
        raise EmbedlabError(
            f"{setting('dim', dim)} needs a matrix with more than {dim} rows and columns, this "
            f"one is {shape[0]} x {shape[1]}: lower {setting('dim')} or give a larger corpus"
        )


def svd_bytes(n_rows: int, n_cols: int, dim: int) -> int:
    """Peak memory of the dense blocks ``truncated_svd`` and ``weighted_factors`` hold (the
    randomized solver's float64 start and its float32 range, projection and factors, about
    ten blocks of ``dim + OVERSAMPLES`` columns)."""
    return 10 * max(n_rows, n_cols) * (dim + OVERSAMPLES) * 4


def fix_signs(U, s, Vt):
    """Each left singular vector's largest-magnitude entry made positive (``Vt`` to match)."""
    rows = np.argmax(np.abs(U), axis=0)
    signs = np.sign(U[rows, np.arange(U.shape[1])])
    signs[signs == 0] = 1.0
    return U * signs, s, Vt * signs[:, None]


def weighted_factors(U, s, Vt, eig: float) -> tuple[np.ndarray, np.ndarray]:
    """Word and context vectors ``U * s**eig`` and ``V * s**eig`` (float32).

    ``eig=1`` is the plain factorisation ``U S``; Levy et al. found ``eig`` 0.5 or 0 better for
    similarity, since weighting every dimension by the full singular value lets the first few
    dominate the cosine.
    """
    weights = s**eig
    W = (U * weights).astype(np.float32)
    C = (Vt.T * weights).astype(np.float32)
    return W, C
