"""PMI, PPMI, shifted PMI and context distribution smoothing on sparse counts."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp

from embedlab.errors import EmbedlabError
from embedlab.methods.count.association import pmi, ppmi

# The lecture notes' table (seed 002): I-like 10, I-dogs 10, like-dogs 40, symmetric.
NOTES = sp.csr_matrix(np.array([[0, 10, 10], [10, 0, 40], [10, 40, 0]], dtype=float))


def test_notes_table_without_smoothing():
    # Row sums 20, 50, 50 and total 120: PMI(I, like) = log(10 * 120 / (20 * 50)) = ln 1.2 and
    # PMI(like, dogs) = log(40 * 120 / (50 * 50)) = ln 1.92, the notes' 0.18 and 0.65.
    table = pmi(NOTES, cds=1.0)
    assert table[0, 1] == pytest.approx(math.log(1.2), rel=1e-12)
    assert table[0, 2] == pytest.approx(math.log(1.2), rel=1e-12)
    assert table[1, 2] == pytest.approx(math.log(1.92), rel=1e-12)
    assert round(table[0, 1], 2) == 0.18 and round(table[1, 2], 2) == 0.65
    # never-seen pairs (the diagonal, -inf in the notes) are not stored
    assert table.nnz == 6 and all(table[i, i] == 0 for i in range(3))


def dense_pmi(counts, cds):
    counts = np.asarray(counts, dtype=float)
    p_wc = counts / counts.sum()
    p_w = counts.sum(axis=1) / counts.sum()
    smoothed = counts.sum(axis=0) ** cds
    p_c = smoothed / smoothed.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(p_wc / np.outer(p_w, p_c))


def random_counts(seed=0, n=12):
    rng = np.random.default_rng(seed)
    dense = rng.poisson(0.8, (n, n)).astype(float) * rng.integers(1, 20, (n, n))
    dense[0, :] = 0  # a word with no contexts at all
    dense[:, 1] += 30  # a very common context
    dense[0, :] = 0
    return dense


def test_context_distribution_smoothing_matches_the_definition():
    dense = random_counts()
    for cds in (0.75, 0.5, 1.0):
        got = pmi(sp.csr_matrix(dense), cds=cds).toarray()
        want = dense_pmi(dense, cds)
        seen = dense > 0
        np.testing.assert_allclose(got[seen], want[seen], rtol=1e-12)
        assert np.all(got[~seen] == 0)


def test_smoothing_lowers_pmi_of_rare_contexts():
    dense = random_counts()
    plain = pmi(sp.csr_matrix(dense), cds=1.0).toarray()
    smooth = pmi(sp.csr_matrix(dense), cds=0.75).toarray()
    col = dense.sum(axis=0)
    rare, common = int(np.argmin(np.where(col > 0, col, np.inf))), int(np.argmax(col))
    rows = dense[:, rare] > 0
    assert np.all(smooth[rows, rare] < plain[rows, rare])
    assert np.all(smooth[dense[:, common] > 0, common] > plain[dense[:, common] > 0, common])


def test_ppmi_clips_negative_cells_away():
    dense = random_counts(1)
    full = pmi(sp.csr_matrix(dense), cds=1.0).toarray()
    clipped = ppmi(sp.csr_matrix(dense), cds=1.0)
    assert np.any(full[dense > 0] < 0)
    np.testing.assert_allclose(clipped.toarray(), np.where(dense > 0, np.maximum(full, 0), 0))
    assert clipped.nnz == int(np.sum((dense > 0) & (full > 0)))
    assert np.all(clipped.data > 0)


def test_shift_subtracts_log_k():
    dense = random_counts(2)
    base = pmi(sp.csr_matrix(dense))
    shifted = pmi(sp.csr_matrix(dense), shift=5)
    np.testing.assert_allclose(shifted.data, base.data - math.log(5), rtol=1e-12)
    shifted_ppmi = ppmi(sp.csr_matrix(dense), shift=5).toarray()
    np.testing.assert_allclose(
        shifted_ppmi, np.maximum(base.toarray() - math.log(5), 0) * (dense > 0)
    )


@pytest.mark.parametrize("bad", [dict(cds=0.0), dict(cds=1.5), dict(shift=0.5), dict(shift="k")])
def test_bad_parameters_raise(bad):
    with pytest.raises(EmbedlabError):
        pmi(NOTES, **bad)


def test_dense_or_negative_input_is_refused():
    with pytest.raises(EmbedlabError):
        pmi(NOTES.toarray())
    with pytest.raises(EmbedlabError):
        pmi(-NOTES)
