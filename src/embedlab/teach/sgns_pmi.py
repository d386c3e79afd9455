"""Lesson: does skip-gram with negative sampling factorize the shifted PMI matrix?

The notes derive that at the optimum ``w . c = PMI(w, c) - ln k`` (Levy and Goldberg, 2014).
This trains the real ``SkipGram`` on a small corpus in the derivation's setting (every word
kept, a fixed window, negatives drawn in proportion to counts) and measures how close the
trained dot products come, over the pairs that co-occur.
"""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path

import numpy as np
from scipy import stats

from embedlab.checks import check_float, check_int
from embedlab.teach import slips


def hamlet_path() -> Path:
    """Shakespeare's *Hamlet* as bundled (Project Gutenberg, public domain; gzip, about 30,000
    words; see ``data/README.md``): the corpus the lesson's default run trains on."""
    return Path(str(resources.files("embedlab") / "data" / "hamlet.txt.gz"))


def sgns_vs_pmi(
    corpus,
    *,
    dim: int = 50,
    window: int = 2,
    negative: int = 5,
    epochs: int = 30,
    alpha: float = 0.025,
    ns_exponent: float = 1.0,
    min_count: int = 5,
    min_pair_count: int = 5,
    seed: int = 1,
) -> dict:
    """Train SGNS on ``corpus`` and compare ``W[w] . C[c]`` with ``PMI(w, c) - ln k``.

    ``ns_exponent`` 1.0 is the derivation's noise distribution; word2vec's 0.75 moves the
    optimum to PMI with context counts raised to 0.75, which is what is compared then. Pairs
    seen fewer than ``min_pair_count`` times are left out of the comparison (their PMI is
    mostly noise). Returns ``{"k", "pairs",
    "pearson", "spearman", "slope", "intercept", "mean_abs_difference", "unseen_mean_dot",
    "seen_mean_dot", "history", "examples", "shifted_pmi", "dots", "slips"}``.
    """
    from embedlab.corpus import as_corpus
    from embedlab.methods.count.cooccurrence import cooccurrence_matrix
    from embedlab.methods.word2vec.model import SkipGram
    from embedlab.teach.pmi import dense_pmi

    negative = check_int("negative", negative, minimum=1)
    min_pair_count = check_int("min_pair_count", min_pair_count, minimum=1)
    # the matching PMI smooths the context counts with the same exponent (cds must be in (0, 1])
    ns_exponent = check_float(
        "ns_exponent", ns_exponent, minimum=0.0, maximum=1.0, exclusive_minimum=True
    )
    model = SkipGram(
        dim=dim,
        window=window,
        negative=negative,
        ns_exponent=ns_exponent,
        sample=0.0,
        dynamic_window=False,
        epochs=epochs,
        alpha=alpha,
        threads=1,
        seed=seed,
        quiet=True,
    )
    encoded = as_corpus(corpus, min_count=min_count)
    emb = model.fit(encoded)
    counts = cooccurrence_matrix(encoded, window=window, weighting="none").toarray()
    pmi = dense_pmi(counts, cds=ns_exponent)
    # the kernel's input row is the context word's, its output row the centre word's
    dots = np.asarray(emb.vectors, np.float64) @ np.asarray(emb.context, np.float64).T
    seen = counts >= min_pair_count
    x = pmi[seen] - math.log(negative)
    y = dots[seen]
    fit = stats.linregress(x, y)
    words = list(encoded.vocab.words)
    order = np.argsort(-counts[seen], kind="stable")[:10]
    rows, cols = np.nonzero(seen)
    return {
        "k": negative,
        "words": len(words),
        "pairs": int(seen.sum()),
        "pearson": float(fit.rvalue),
        "spearman": float(stats.spearmanr(x, y).statistic),
        "slope": float(fit.slope),
        "intercept": float(fit.intercept),
        "mean_abs_difference": float(np.mean(np.abs(y - x))),
        "seen_mean_dot": float(y.mean()),
        "unseen_mean_dot": float(dots[counts == 0].mean()) if np.any(counts == 0) else None,
        "history": [{"epoch": h["epoch"], "loss": h["loss"]} for h in emb.meta["history"]],
        "examples": [
            {
                "word": words[rows[i]],
                "context": words[cols[i]],
                "count": int(counts[rows[i], cols[i]]),
                "shifted_pmi": float(x[i]),
                "dot": float(y[i]),
            }
            for i in order
        ],
        "shifted_pmi": x,
        "dots": y,
        "slips": slips.as_dicts(slips.sgns_pmi()),
    }
