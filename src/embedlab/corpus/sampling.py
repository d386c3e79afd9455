"""Which words a training pass sees: subsampling of frequent words and the noise distribution.

Negative samples are drawn with the alias method (Walker/Vose): two small arrays of |V| entries
and O(1) per draw. word2vec's 1e8-entry unigram table misses the cache on nearly every draw, and
a bisection over a cumulative table costs log|V| dependent loads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from embedlab.corpus.random import randint, uniform
from embedlab.errors import EmbedlabError


def keep_probability(counts, sample: float) -> np.ndarray:
    """word2vec's probability of keeping each occurrence of a word when subsampling.

    ``p = (sqrt(f / t) + 1) * t / f`` with ``f`` the word's count and ``t = sample * total``,
    clipped to 1. ``sample=0`` keeps every word. Returns float32, aligned with ``counts``.
    """
    counts = np.asarray(counts, dtype=np.float64)
    if sample < 0:
        raise EmbedlabError(f"sample must be at least 0, got {sample:g}")
    if sample == 0 or counts.size == 0:
        return np.ones(counts.shape, dtype=np.float32)
    threshold = sample * counts.sum()
    with np.errstate(divide="ignore"):
        keep = (np.sqrt(counts / threshold) + 1.0) * threshold / counts
    return np.minimum(keep, 1.0).astype(np.float32)


def noise_distribution(counts, exponent: float = 0.75) -> np.ndarray:
    """The negative-sampling distribution ``count**exponent``, normalised (float64).

    A negative exponent favours rare words (Caselles-Dupré et al. 2018 tune it for
    recommendation); a word counted 0 times is never drawn, where ``0**exponent`` would be
    infinite for a negative exponent and 1 for exponent 0.
    """
    counts = np.asarray(counts, dtype=np.float64)
    weights = np.zeros_like(counts)
    seen = counts > 0
    weights[seen] = counts[seen] ** exponent
    total = weights.sum()
    if not total > 0:
        raise EmbedlabError("the vocabulary has no counted words: nothing to sample negatives from")
    return weights / total


@dataclass(frozen=True)
class AliasTable:
    """Walker's alias table: draw column ``i`` uniformly; keep it with ``prob[i]``, else take
    ``alias[i]``.

    Attributes:
        prob: float32[|V|] probability of keeping the drawn column.
        alias: int32[|V|] the other outcome sharing that column.
    """

    prob: np.ndarray
    alias: np.ndarray

    @classmethod
    def from_probs(cls, p) -> AliasTable:
        """Build the table for the distribution ``p`` (normalised here; Vose's stable method)."""
        p = np.asarray(p, dtype=np.float64)
        if p.ndim != 1 or p.size == 0 or np.any(p < 0) or not p.sum() > 0:
            raise EmbedlabError("alias table needs a non-empty vector of non-negative weights")
        prob, alias = _vose(p / p.sum() * p.size)
        return cls(prob.astype(np.float32), alias)

    def draw(self, state) -> int:
        """One draw (for tests and teaching; kernels call ``alias_draw`` directly)."""
        return int(alias_draw(self.prob, self.alias, state))


@njit(cache=True)
def _vose(scaled):
    n = scaled.shape[0]
    prob = np.ones(n, dtype=np.float64)
    alias = np.arange(n).astype(np.int32)
    small = np.empty(n, dtype=np.int64)
    large = np.empty(n, dtype=np.int64)
    n_small = 0
    n_large = 0
    work = scaled.copy()
    for i in range(n):
        if work[i] < 1.0:
            small[n_small] = i
            n_small += 1
        else:
            large[n_large] = i
            n_large += 1
    while n_small > 0 and n_large > 0:
        n_small -= 1
        s = small[n_small]
        g = large[n_large - 1]
        prob[s] = work[s]
        alias[s] = g
        work[g] = (work[g] + work[s]) - 1.0
        if work[g] < 1.0:
            n_large -= 1
            small[n_small] = g
            n_small += 1
    # Leftovers are 1 up to rounding error: they keep their own column.
    return prob, alias


@njit(cache=True, nogil=True)
def alias_draw(prob, alias, state) -> int:
    """One draw from an alias table: two random numbers, two array reads, no search."""
    i = randint(state, prob.shape[0])
    if uniform(state) < prob[i]:
        return i
    return alias[i]
