"""The CBOW kernel: the sum (or mean) of the context rows predicts the centre word."""

from __future__ import annotations

from numba import njit

from embedlab.corpus.windows import reduced_window
from embedlab.methods.word2vec._subsample import subsample
from embedlab.methods.word2vec.objectives.base import objective_update, prepare_target


@njit(cache=True, nogil=True, fastmath=True)
def train_cbow(
    tokens,
    bounds,
    first,
    last,
    W,
    C,
    keep,
    window,
    dynamic,
    cbow_mean,
    alpha,
    objective,
    buffers,
    rng,
    stats,
):
    """Train on pieces ``first..last-1`` (``tokens[bounds[p]:bounds[p + 1]]`` each).

    ``objective`` is the objective's state (see ``objectives/base.py``); ``buffers`` is
    ``(sentence, h, grad_h)``; ``stats`` (float64[3]) gains words read, loss sum and number of
    predictions. As in word2vec.c, the whole gradient
    goes to every context row, for the mean as well as the sum.
    """
    sentence, h, grad_h = buffers
    dim = W.shape[1]
    loss = 0.0
    predictions = 0
    for p in range(first, last):
        n = subsample(tokens, bounds[p], bounds[p + 1], keep, sentence, rng)
        for pos in range(n):
            win = reduced_window(window, rng) if dynamic else window
            lo = max(0, pos - win)
            hi = min(n, pos + win + 1)
            if hi - lo < 2:
                continue  # a one-word piece has no context
            for k in range(dim):
                h[k] = 0.0
                grad_h[k] = 0.0
            for c in range(lo, hi):
                if c != pos:
                    row = sentence[c]
                    for k in range(dim):
                        h[k] += W[row, k]
            if cbow_mean:
                scale = 1.0 / (hi - lo - 1)
                for k in range(dim):
                    h[k] *= scale
            drawn = prepare_target(objective, sentence[pos], rng)
            loss += objective_update(objective, h, sentence[pos], drawn, C, grad_h, alpha)
            for c in range(lo, hi):
                if c != pos:
                    row = sentence[c]
                    for k in range(dim):
                        W[row, k] += grad_h[k]
            predictions += 1
    stats[0] += bounds[last] - bounds[first]
    stats[1] += loss
    stats[2] += predictions
