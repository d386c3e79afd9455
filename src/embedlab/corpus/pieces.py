"""Sentences cut into pieces no longer than a kernel's sentence buffer.

A sentence longer than ``MAX_PIECE`` words is cut every ``MAX_PIECE`` words (gensim cuts at 10k,
word2vec.c at 1k) and no window reaches across a cut. word2vec and the co-occurrence counts cut
at the same places, so both see the same text.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from embedlab.errors import setting
from embedlab.limits import PAIRS_PER_TOKEN

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


def window_pairs(sentence_starts, window: int) -> tuple[int, int]:
    """``(pairs, longest)``: the (centre, context) pairs a full window of ``window`` words gives
    over every piece, and the longest piece. A word pairs with each other word of its piece
    within ``window`` positions, so a piece of n words gives ``2 * sum(n - d for d in 1..m)``
    pairs, m = min(window, n - 1): n (n - 1) when the window spans it (``window="all"``)."""
    lengths = np.diff(piece_bounds(sentence_starts)).astype(np.int64)
    if lengths.size == 0:
        return 0, 0
    reach = np.clip(np.minimum(window, lengths - 1), 0, None)
    pairs = 2 * (reach * lengths - reach * (reach + 1) // 2)
    return int(pairs.sum()), int(lengths.max())


def check_window_work(sentence_starts, window: int, shown, cheaper: str) -> None:
    """Refuse, before training or counting, a window that gives more pairs per token than
    ``limits.PAIRS_PER_TOKEN`` (``shown`` is the window as the user gave it; ``cheaper`` names
    the settings that cost less)."""
    pairs, longest = window_pairs(sentence_starts, window)
    refuse_window_work(pairs, longest, int(sentence_starts[-1]), shown, cheaper)


def refuse_window_work(pairs: int, longest: int, tokens: int, shown, cheaper: str) -> None:
    """``check_window_work`` from its counts, summed elsewhere (a cluster's shards): ``pairs``
    over ``tokens``, ``longest`` the longest piece."""
    if tokens == 0:
        return
    PAIRS_PER_TOKEN.check(
        pairs / tokens,
        f"{setting('window', shown)} gives {pairs:,} pairs an epoch over {tokens:,} tokens (the "
        f"longest line, or piece of one, has {longest:,} words), that is",
        cheaper,
    )
