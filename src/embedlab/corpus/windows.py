"""Context windows: word2vec's dynamic window, and readable example generators for teaching.

The training kernels call ``reduced_window`` themselves; the Python generators below call the
same function, so what the lecture notes print is what training does.
"""

from __future__ import annotations

from collections.abc import Sequence

from numba import njit

from embedlab.corpus.random import randint, seed_state
from embedlab.errors import EmbedlabError


@njit(cache=True, nogil=True)
def reduced_window(window, state) -> int:
    """The effective window for one centre position: word2vec's ``window - b``, ``b`` in
    [0, window), so nearer words are used more often (a word at distance d with weight
    ``(window - d + 1) / window``)."""
    return window - randint(state, window)


def _windows(n: int, window: int, dynamic: bool, seed: int) -> list[int]:
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise EmbedlabError(f"window must be an integer of at least 1, got {window!r}")
    if not dynamic:
        return [window] * n
    state = seed_state(seed)
    return [int(reduced_window(window, state)) for _ in range(n)]


def skipgram_pairs(
    seq: Sequence, window: int, dynamic: bool = False, seed: int = 1
) -> list[tuple[int, object, object]]:
    """Skip-gram training pairs ``(position, centre, context)``, contexts left to right."""
    pairs = []
    for pos, win in enumerate(_windows(len(seq), window, dynamic, seed)):
        for c in range(max(0, pos - win), min(len(seq), pos + win + 1)):
            if c != pos:
                pairs.append((pos, seq[pos], seq[c]))
    return pairs


def cbow_examples(
    seq: Sequence, window: int, dynamic: bool = False, seed: int = 1
) -> list[tuple[int, tuple, object]]:
    """CBOW examples ``(position, contexts, centre)``: the window around each centre word."""
    examples = []
    for pos, win in enumerate(_windows(len(seq), window, dynamic, seed)):
        lo, hi = max(0, pos - win), min(len(seq), pos + win + 1)
        contexts = tuple(seq[c] for c in range(lo, hi) if c != pos)
        if contexts:
            examples.append((pos, contexts, seq[pos]))
    return examples


def next_word_examples(seq: Sequence, n: int) -> list[tuple[int, tuple, object]]:
    """Language-model examples ``(position, previous n words, target)`` for positions ``>= n``."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise EmbedlabError(f"n must be an integer of at least 1, got {n!r}")
    return [(pos, tuple(seq[pos - n : pos]), seq[pos]) for pos in range(n, len(seq))]
