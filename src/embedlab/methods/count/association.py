"""Association measures on a sparse co-occurrence matrix: PMI, PPMI and their shifted forms.

Only the stored (non-zero) cells are computed. The PMI of a pair never seen together is
``log 0 = -inf``; it stays implicit, which is also what PPMI (clipped at 0) needs.

Context distribution smoothing (Levy, Goldberg & Dagan 2015) raises context counts to the power
``cds`` before normalising, ``P_cds(c) = #(c)**cds / sum_c' #(c')**cds``. It lifts rare
contexts' probability and so lowers their otherwise inflated PMI; ``cds=1`` is plain PMI.
Natural logarithms throughout.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numba import njit

from embedlab.checks import check_float
from embedlab.errors import EmbedlabError


def pmi(
    counts, *, cds: float = 0.75, shift: float = 1.0, dtype=np.float64, context_sums=None
) -> sp.csr_matrix:
    """Shifted, smoothed PMI of every stored cell of ``counts`` (rows words, columns contexts).

    ``PMI(w, c) = log(#(w,c) / #(w)) - log P_cds(c) - log(shift)``, with ``#(w)`` the row sum.
    ``shift`` is k in Levy & Goldberg's "shifted PMI" (SGNS with k negatives factorises
    PMI - log k); 1 (default) shifts nothing. ``cds`` defaults to 0.75. Returns CSR with the
    same sparsity pattern as ``counts`` (explicit zeros dropped first), values in ``dtype``.
    ``context_sums`` are the column sums ``#(c)`` of the whole matrix when ``counts`` is a block
    of its rows (None, the default: ``counts``'s own column sums).
    """
    cds = check_float("cds", cds, minimum=0.0, maximum=1.0, exclusive_minimum=True)
    shift = check_float("shift", shift, minimum=1.0)
    counts = _canonical(counts)
    row_sums = np.asarray(counts.sum(axis=1), dtype=np.float64).ravel()
    if context_sums is None:
        context_sums = context_counts(counts)
    col_sums = np.asarray(context_sums, dtype=np.float64)
    with np.errstate(divide="ignore"):
        smoothed = col_sums**cds
        log_rows = np.log(row_sums)
        log_cols = np.log(smoothed)
    constant = np.log(smoothed.sum()) - np.log(shift)
    values = np.empty(counts.nnz, dtype=dtype)
    _pmi_values(counts.indptr, counts.indices, counts.data, log_rows, log_cols, constant, values)
    result = sp.csr_matrix((values, counts.indices, counts.indptr), shape=counts.shape)
    result.has_canonical_format = True
    return result


def ppmi(
    counts, *, cds: float = 0.75, shift: float = 1.0, dtype=np.float64, context_sums=None
) -> sp.csr_matrix:
    """Positive (shifted, smoothed) PMI: ``max(PMI - log shift, 0)``, zeros not stored;
    ``context_sums`` as in ``pmi``."""
    result = pmi(counts, cds=cds, shift=shift, dtype=dtype, context_sums=context_sums)
    np.maximum(result.data, 0.0, out=result.data)
    result.eliminate_zeros()
    return result


def context_counts(counts) -> np.ndarray:
    """The column sums ``#(c)`` of a co-occurrence matrix (float64)."""
    return np.asarray(counts.sum(axis=0), dtype=np.float64).ravel()


def _canonical(counts) -> sp.csr_matrix:
    if not sp.issparse(counts):
        raise EmbedlabError("counts must be a SciPy sparse matrix: build it with cooccurrence")
    counts = sp.csr_matrix(counts, dtype=np.float64)
    counts.sum_duplicates()
    counts.eliminate_zeros()
    if counts.nnz and counts.data.min() < 0:
        raise EmbedlabError("counts must not be negative: pass co-occurrence counts or weights")
    return counts


@njit(cache=True, nogil=True)
def _pmi_values(indptr, indices, data, log_rows, log_cols, constant, out):
    for r in range(indptr.shape[0] - 1):
        base = constant - log_rows[r]
        for k in range(indptr[r], indptr[r + 1]):
            out[k] = np.log(data[k]) + base - log_cols[indices[k]]
