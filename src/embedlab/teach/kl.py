"""Lesson: notes 004's KL(p‖q) = H(p, q) − H(p), checked by sums, in both directions.

Cross-entropy H(p, q) = −Σ p ln q, entropy H(p) = −Σ p ln p and KL(p‖q) = Σ p ln(p/q) are each
summed on their own, so the identity is checked, not assumed. Two pairs of distributions:

- discrete: by default notes 001's word distributions for "The dog was chased by a white cat
  as it was": the unigram p(w) and word2vec's noise distribution ∝ count^0.75 (the trainer's
  ``noise_distribution``);
- Gaussian: the notes' VAE prior N(0, I) and an encoder's N(μ, diag σ²) (the notes give no μ
  or σ; ``--mu`` and ``--sigma`` choose them). The integrals are sums on a fine grid (the
  trapezoid rule), one dimension at a time (a diagonal Gaussian's KL is the sum over its
  dimensions), beside the closed form ln(σ_q/σ_p) + (σ_p² + (μ_p − μ_q)²)/(2σ_q²) − ½.
"""

from __future__ import annotations

import math

import numpy as np

from embedlab.checks import check_float, check_int
from embedlab.errors import EmbedlabError, setting
from embedlab.teach import toy_data

#: Defaults for the encoder's Gaussian: one dimension narrower than the prior, one wider.
DEFAULT_MU = (1.0, -0.5)
DEFAULT_SIGMA = (0.5, 1.5)


def _sums(p: np.ndarray, q: np.ndarray) -> dict:
    """The three sums for discrete p and q (0 ln 0 = 0)."""
    kept = p > 0
    if np.any(q[kept] == 0):
        raise EmbedlabError("q is 0 where p is not: KL(p‖q) is infinite; give q > 0 there")
    p, q = p[kept], q[kept]
    return {
        "cross_entropy": float(-(p * np.log(q)).sum()),
        "entropy": float(-(p * np.log(p)).sum()),
        "kl": float((p * np.log(p / q)).sum()),
    }


def _direction(name: str, sums: dict, closed_form: float | None = None) -> dict:
    difference = sums["cross_entropy"] - sums["entropy"]
    errors = [abs(difference - sums["kl"])]
    if closed_form is not None:
        errors += [abs(sums["kl"] - closed_form), abs(difference - closed_form)]
    row = {"name": name, **sums, "difference": difference, "error": max(errors)}
    if closed_form is not None:
        row["closed_form"] = closed_form
    return row


def discrete_kl(p, q, outcomes=None) -> dict:
    """Both directions for two distributions over the same outcomes (each normalised)."""
    p, q = (np.asarray(v, dtype=np.float64) for v in (p, q))
    if p.shape != q.shape or p.ndim != 1 or p.size < 2:
        raise EmbedlabError("give p and q as two lists of the same length (at least 2)")
    if np.any(p < 0) or np.any(q < 0) or p.sum() <= 0 or q.sum() <= 0:
        raise EmbedlabError("p and q must be non-negative and not all zero")
    p, q = p / p.sum(), q / q.sum()
    outcomes = [f"x{i + 1}" for i in range(p.size)] if outcomes is None else list(outcomes)
    return {
        "outcomes": outcomes,
        "p": p.tolist(),
        "q": q.tolist(),
        "directions": [
            _direction("KL(p‖q)", _sums(p, q)),
            _direction("KL(q‖p)", _sums(q, p)),
        ],
    }


def word_distributions(text: str = toy_data.WHITE_CAT, exponent: float = 0.75):
    """The words of ``text``, their unigram distribution and the trainer's noise distribution."""
    from embedlab.corpus import as_corpus
    from embedlab.corpus.sampling import noise_distribution
    from embedlab.teach.pairs import words_of

    corpus = as_corpus([words_of(text)], min_count=1)
    counts = np.asarray(corpus.vocab.counts, dtype=np.float64)
    return list(corpus.vocab.words), counts / counts.sum(), noise_distribution(counts, exponent)


def _log_normal(x: np.ndarray, mean: float, std: float) -> np.ndarray:
    return -0.5 * ((x - mean) / std) ** 2 - math.log(std) - 0.5 * math.log(2 * math.pi)


def _gaussian_sums(p: tuple, q: tuple, points: int, width: float) -> dict:
    """The three integrals for N(p) and N(q) (mean, std per dimension), summed over dims."""
    totals = {"cross_entropy": 0.0, "entropy": 0.0, "kl": 0.0}
    for (mp, sp), (mq, sq) in zip(zip(*p, strict=True), zip(*q, strict=True), strict=True):
        x = np.linspace(
            min(mp - width * sp, mq - width * sq), max(mp + width * sp, mq + width * sq), points
        )
        log_p, log_q = _log_normal(x, mp, sp), _log_normal(x, mq, sq)
        density = np.exp(log_p)
        for key, integrand in (
            ("cross_entropy", -density * log_q),
            ("entropy", -density * log_p),
            ("kl", density * (log_p - log_q)),
        ):
            totals[key] += _trapezoid(integrand, x[1] - x[0])
    return totals


def _trapezoid(values: np.ndarray, step: float) -> float:
    return float(step * (values.sum() - 0.5 * (values[0] + values[-1])))


def gaussian_closed_form(p: tuple, q: tuple) -> float:
    """KL(N(p) ‖ N(q)) for diagonal Gaussians given as (means, stds)."""
    mp, sp = (np.asarray(v, dtype=np.float64) for v in p)
    mq, sq = (np.asarray(v, dtype=np.float64) for v in q)
    return float(np.sum(np.log(sq / sp) + (sp**2 + (mp - mq) ** 2) / (2 * sq**2) - 0.5))


def gaussian_kl(mu=DEFAULT_MU, sigma=DEFAULT_SIGMA, points: int = 20001, width: float = 12.0):
    """Both directions between the prior N(0, I) and N(μ, diag σ²), by sums and closed form."""
    mu = np.asarray(mu, dtype=np.float64)
    sigma = np.asarray(sigma, dtype=np.float64)
    if mu.shape != sigma.shape or mu.ndim != 1 or mu.size == 0:
        raise EmbedlabError(
            f"give {setting('mu')} and {setting('sigma')} with one number per dimension each"
        )
    if not np.all(np.isfinite(mu)) or not np.all(sigma > 0) or not np.all(np.isfinite(sigma)):
        raise EmbedlabError(
            f"μ must be finite and every σ positive, e.g. {setting('sigma', [0.5, 2])}"
        )
    points = check_int("points", points, minimum=101)
    width = check_float("width", width, minimum=1.0)
    prior = (np.zeros_like(mu), np.ones_like(sigma))
    encoder = (mu, sigma)
    return {
        "mu": mu.tolist(),
        "sigma": sigma.tolist(),
        "points": points,
        "directions": [
            _direction(
                "KL(N(0, I) ‖ N(μ, σ²))",
                _gaussian_sums(prior, encoder, points, width),
                gaussian_closed_form(prior, encoder),
            ),
            _direction(
                "KL(N(μ, σ²) ‖ N(0, I))",
                _gaussian_sums(encoder, prior, points, width),
                gaussian_closed_form(encoder, prior),
            ),
        ],
    }


def kl_lesson(p=None, q=None, mu=DEFAULT_MU, sigma=DEFAULT_SIGMA, exponent: float = 0.75) -> dict:
    """The identity on discrete ``p``, ``q`` (default: notes 001's unigram and noise
    distributions) and on the notes' Gaussians. Returns ``{"discrete", "gaussian",
    "max_abs_error"}``; each direction has ``cross_entropy``, ``entropy``, ``difference``
    (H(p, q) − H(p)), ``kl`` (summed on its own), ``error`` and, for the Gaussians,
    ``closed_form``."""
    if (p is None) != (q is None):
        raise EmbedlabError(f"give both {setting('p')} and {setting('q')}, or neither")
    if p is None:
        exponent = check_float("exponent", exponent, minimum=0.0)
        words, p, q = word_distributions(exponent=exponent)
        discrete = discrete_kl(p, q, words)
        discrete["names"] = ["unigram", f"noise (count^{exponent:g})"]
    else:
        discrete = discrete_kl(p, q)
        discrete["names"] = ["p", "q"]
    gaussian = gaussian_kl(mu, sigma)
    rows = discrete["directions"] + gaussian["directions"]
    return {
        "discrete": discrete,
        "gaussian": gaussian,
        "max_abs_error": max(r["error"] for r in rows),
    }
