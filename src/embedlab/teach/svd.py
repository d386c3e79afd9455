"""Lesson: the notes' "Attempt 4", PPMI = U Σ Vᵀ and k-dimensional word vectors.

The PPMI table is the count method's (``association.ppmi`` with ``cds=1``, the notes' plain
PPMI); the factorisation is the count method's ``truncated_svd`` (the exact ARPACK solver, as
befits a toy) and the vectors its ``weighted_factors``: ``U Σ^eig`` for targets and ``V Σ^eig``
for contexts. ``eig = 0`` is the notes' ``U[t, :]``; the count method's default is 0.5.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from embedlab.checks import check_float, check_int
from embedlab.errors import EmbedlabError, setting
from embedlab.teach import toy_data
from embedlab.teach.pmi import text_counts


def svd_lesson(text: str | None = None, window: int = 2, k: int = 2, eig: float = 0.0) -> dict:
    """PPMI of ``text`` (default: the notes' "I like cats and dogs"), its rank-``k`` SVD, vectors.

    Returns ``{"words", "ppmi", "k", "eig", "U", "singular_values", "V", "word_vectors",
    "context_vectors", "reconstruction", "max_reconstruction_error"}`` (``U`` and ``V`` are
    |V| x k, ``reconstruction`` is ``U Σ Vᵀ``, compared with the PPMI table).
    """
    from embedlab.methods.count.association import ppmi
    from embedlab.methods.count.svd import truncated_svd, weighted_factors

    words, counts = text_counts(text or toy_data.LIKE_CATS, window)
    k = check_int("k", k, minimum=1)
    eig = check_float("eig", eig, minimum=0.0, maximum=1.0)
    if k >= len(words):
        raise EmbedlabError(
            f"{setting('k', k)} needs more than {k} words and the text has {len(words)}: lower "
            f"{setting('k')} or give a longer text"
        )
    table = ppmi(sp.csr_matrix(counts), cds=1.0)
    U, s, Vt = truncated_svd(table, k, solver="arpack")
    W, C = weighted_factors(U, s, Vt, eig)
    dense = table.toarray()
    rebuilt = (U * s) @ Vt
    return {
        "words": words,
        "ppmi": dense.tolist(),
        "k": k,
        "eig": eig,
        "U": U.tolist(),
        "singular_values": s.tolist(),
        "V": Vt.T.tolist(),
        "word_vectors": dict(zip(words, W.astype(np.float64).tolist(), strict=True)),
        "context_vectors": dict(zip(words, C.astype(np.float64).tolist(), strict=True)),
        "reconstruction": rebuilt.tolist(),
        "max_reconstruction_error": float(np.max(np.abs(rebuilt - dense))),
    }
