"""Lesson: from co-occurrence counts to joint probabilities, PMI, PPMI and shifted PMI.

The association measures are the count-based method's own functions
(``embedlab.methods.count.association``, with ``cds=1``: no context smoothing); counting a
text uses its co-occurrence counter.
A zero count has PMI minus infinity, shown as ``None`` (JSON ``null``).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from embedlab.checks import check_float, check_int
from embedlab.errors import EmbedlabError
from embedlab.teach import slips, toy_data
from embedlab.teach.pairs import words_of


def text_counts(text: str, window: int = 2) -> tuple[list[str], np.ndarray]:
    """Words of ``text`` and how often each appears within ``window`` words of each other."""
    from embedlab.corpus import as_corpus
    from embedlab.methods.count.cooccurrence import cooccurrence_matrix

    window = check_int("window", window, minimum=1)
    corpus = as_corpus([words_of(text)], min_count=1)
    counts = cooccurrence_matrix(corpus, window=window, weighting="none")
    return list(corpus.vocab.words), counts.toarray()


def dense_pmi(counts: np.ndarray, shift: float = 1.0, cds: float = 1.0) -> np.ndarray:
    """The count method's PMI as a dense array, ``-inf`` where the count is zero."""
    from embedlab.methods.count import association

    stored = association.pmi(sp.csr_matrix(counts), cds=cds, shift=shift)
    out = np.full(counts.shape, -np.inf)
    rows, cols = stored.nonzero()
    out[rows, cols] = stored[rows, cols].A1
    return out


def read_counts(path) -> tuple[list[str], list[str], np.ndarray]:
    """A table file: a header of context words, then ``target count count ...`` per line."""
    path = Path(path)
    try:
        lines = [line.split() for line in path.read_text(encoding="utf-8").splitlines()]
    except OSError as err:
        raise EmbedlabError(f"cannot read counts file {str(path)!r}: {err.strerror}") from None
    lines = [line for line in lines if line]
    if len(lines) < 2:
        raise EmbedlabError(
            f"{str(path)!r} has no table: write a header of context words, then one line per "
            "target word with its counts"
        )
    contexts, rows = lines[0], lines[1:]
    targets, values = [], []
    for number, row in enumerate(rows, start=2):
        if len(row) != len(contexts) + 1:
            raise EmbedlabError(
                f"{str(path)!r} line {number} has {len(row) - 1} counts for {len(contexts)} "
                "context words: give one count per header word"
            )
        try:
            values.append([float(v) for v in row[1:]])
        except ValueError:
            raise EmbedlabError(
                f"{str(path)!r} line {number}: counts must be numbers, got {row[1:]}"
            ) from None
        targets.append(row[0])
    counts = np.array(values)
    if np.any(counts < 0) or counts.sum() <= 0:
        raise EmbedlabError(f"{str(path)!r}: counts must be non-negative and not all zero")
    return targets, contexts, counts


def _finite_or_none(matrix: np.ndarray) -> list[list[float | None]]:
    return [[float(v) if math.isfinite(v) else None for v in row] for row in matrix]


def pmi_table(counts=None, words=None, contexts=None, k: float = 1.0) -> dict:
    """PMI and friends for a co-occurrence table (default: the notes' I/like/dogs table).

    ``counts[t, c]`` is how often context ``c`` appears near target ``t``; ``contexts``
    defaults to ``words``. ``PMI = ln p(t, c) / (p(t) p(c))`` (natural log, as the notes'
    0.18 and 0.65), ``PPMI = max(PMI, 0)``, shifted ``PMI - ln k`` and ``max(PMI - ln k, 0)``.
    Returns ``{"words", "contexts", "counts", "total", "joint", "p_target", "p_context",
    "pmi", "ppmi", "k", "shifted_pmi", "shifted_ppmi", "slips"}`` (``slips``: the notes', for
    their table).
    """
    from embedlab.methods.count import association

    if counts is None:
        counts, words = toy_data.COOCCURRENCE_COUNTS, list(toy_data.COOCCURRENCE_WORDS)
    counts = np.asarray(counts, dtype=np.float64)
    words = list(words)
    contexts = list(words if contexts is None else contexts)
    if counts.shape != (len(words), len(contexts)):
        raise EmbedlabError(
            f"counts are {counts.shape} for {len(words)} targets and {len(contexts)} contexts: "
            "give one row per target and one column per context"
        )
    k = check_float("k", k, minimum=1.0)
    total = counts.sum()
    # cds=1: the notes' plain PMI (the count method's default smooths context counts)
    pmi = dense_pmi(counts)
    shifted = dense_pmi(counts, shift=k)
    sparse = sp.csr_matrix(counts)
    result = {
        "words": words,
        "contexts": contexts,
        "counts": counts.tolist(),
        "total": float(total),
        "joint": (counts / total).tolist(),
        "p_target": (counts.sum(axis=1) / total).tolist(),
        "p_context": (counts.sum(axis=0) / total).tolist(),
        "pmi": _finite_or_none(pmi),
        "ppmi": association.ppmi(sparse, cds=1.0).toarray().tolist(),
        "k": k,
        "shifted_pmi": _finite_or_none(shifted),
        "shifted_ppmi": association.ppmi(sparse, cds=1.0, shift=k).toarray().tolist(),
    }
    result["slips"] = slips.as_dicts(slips.pmi(result))
    return result
