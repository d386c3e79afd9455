"""One piece of a sentence, subsampled into a scratch buffer (shared by both architectures)."""

from __future__ import annotations

from numba import njit

from embedlab.corpus.random import uniform


@njit(cache=True, nogil=True, inline="always")
def subsample(tokens, begin, end, keep, buffer, state):
    """Copy the kept ids of ``tokens[begin:end]`` into ``buffer``; return how many were kept.

    A word whose keep-probability is 1 costs no random draw, so rare words are nearly free.
    """
    n = 0
    for i in range(begin, end):
        w = tokens[i]
        p = keep[w]
        if p < 1.0 and p < uniform(state):
            continue
        buffer[n] = w
        n += 1
    return n
