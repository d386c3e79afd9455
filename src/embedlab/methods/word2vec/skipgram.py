"""The skip-gram kernel: each context word's input row predicts the centre word.

As in word2vec.c, the hidden vector is the input row of the CONTEXT word and the target is the
centre word (the pairs are the same as "centre predicts context", and this order lets the update
go straight into the row that was read).
"""

from __future__ import annotations

from numba import njit

from embedlab.corpus.windows import reduced_window
from embedlab.methods.word2vec._subsample import subsample
from embedlab.methods.word2vec.objectives.base import objective_update, prepare_target


@njit(cache=True, nogil=True, fastmath=True)
def train_skipgram(
    tokens,
    bounds,
    first,
    last,
    W,
    C,
    keep,
    window,
    dynamic,
    shared,
    alpha,
    objective,
    buffers,
    rng,
    stats,
):
    """Train on pieces ``first..last-1`` (``tokens[bounds[p]:bounds[p + 1]]`` each).

    ``objective`` is the objective's state (see ``objectives/base.py``); ``buffers`` is
    ``(sentence, h, grad_h)``, of which skip-gram leaves ``h`` unused (its hidden vector is the
    context word's own row); ``stats`` (float64[3]) gains words read, loss sum and number of
    predictions. With ``shared``, the context words around
    one centre word predict it against the same negatives, drawn once: the handful of output
    rows stay in cache for the whole window instead of a fresh, mostly uncached, set per pair.
    """
    sentence, _, grad_h = buffers
    dim = W.shape[1]
    loss = 0.0
    predictions = 0
    for p in range(first, last):
        n = subsample(tokens, bounds[p], bounds[p + 1], keep, sentence, rng)
        for pos in range(n):
            win = reduced_window(window, rng) if dynamic else window
            centre = sentence[pos]
            drawn = prepare_target(objective, centre, rng) if shared else 0
            for c in range(max(0, pos - win), min(n, pos + win + 1)):
                if c == pos:
                    continue
                if not shared:
                    drawn = prepare_target(objective, centre, rng)
                h = W[sentence[c]]
                for k in range(dim):
                    grad_h[k] = 0.0
                loss += objective_update(objective, h, centre, drawn, C, grad_h, alpha)
                for k in range(dim):
                    h[k] += grad_h[k]
                predictions += 1
    stats[0] += bounds[last] - bounds[first]
    stats[1] += loss
    stats[2] += predictions
