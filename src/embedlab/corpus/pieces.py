"""Sentences cut into pieces no longer than a kernel's sentence buffer.

A sentence longer than ``MAX_PIECE`` words is cut every ``MAX_PIECE`` words (gensim cuts at 10k,
word2vec.c at 1k) and no window reaches across a cut. word2vec and the co-occurrence counts cut
at the same places, so both see the same text.
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: The longest piece, in words.
MAX_PIECE = 10_000


@njit(cache=True)
def _piece_bounds(starts, max_piece):
    total = 0
    for s in range(starts.shape[0] - 1):
        length = starts[s + 1] - starts[s]
        total += max(1, (length + max_piece - 1) // max_piece)
    bounds = np.empty(total + 1, dtype=np.int64)
    p = 0
    for s in range(starts.shape[0] - 1):
        b = starts[s]
        while True:
            bounds[p] = b
            p += 1
            b += max_piece
            if b >= starts[s + 1]:
                break
    bounds[p] = starts[starts.shape[0] - 1]
    return bounds


def piece_bounds(sentence_starts, max_piece: int = MAX_PIECE) -> np.ndarray:
    """Where each piece starts (int64), with the final sentinel of ``sentence_starts``."""
    return _piece_bounds(np.asarray(sentence_starts, dtype=np.int64), max_piece)
