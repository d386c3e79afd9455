"""The CBOW kernel: the sum (or mean) of the context inputs predicts the centre word."""

from __future__ import annotations

from numba import njit

from embedlab.corpus.windows import reduced_window
from embedlab.methods.word2vec._subsample import subsample
from embedlab.methods.word2vec.inputs import add_input, apply_input
from embedlab.methods.word2vec.objectives.base import objective_update, prepare_target


@njit(cache=True, nogil=True, fastmath=True)
def train_cbow(plan, model, inputs, objective, scratch):
    """Train on ``plan``'s pieces (the arguments: ``arguments.py``).

    ``plan.flag`` is ``cbow_mean``: the hidden vector is the mean of the context's input rows
    (with subwords, of every row of every context word's bag, as fastText averages them), else
    their sum (with subwords, of each context word's averaged bag). As in word2vec.c, the whole
    gradient goes to every context row, for the mean as well as the sum. ``scratch.stats``
    gains words read, loss sum and number of predictions.
    """
    # Every field is taken out once (see skipgram.py).
    tokens, bounds, keep, rng = plan.tokens, plan.bounds, plan.keep, plan.rng
    window, dynamic, mean, alpha = plan.window, plan.dynamic, plan.flag, plan.alpha
    W, C = model.W, model.C
    sentence, h, grad_h = scratch.sentence, scratch.h, scratch.grad_h
    dim = W.shape[1]
    loss = 0.0
    predictions = 0
    for p in range(plan.first, plan.last):
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
            rows = 0
            for c in range(lo, hi):
                if c != pos:
                    rows += add_input(inputs, W, sentence[c], h, mean)
            if mean:
                scale = 1.0 / rows
                for k in range(dim):
                    h[k] *= scale
            drawn = prepare_target(objective, sentence[pos], rng)
            loss += objective_update(objective, h, sentence[pos], drawn, C, grad_h, alpha)
            for c in range(lo, hi):
                if c != pos:
                    apply_input(inputs, W, sentence[c], grad_h)
            predictions += 1
    stats = scratch.stats
    stats[0] += bounds[plan.last] - bounds[plan.first]
    stats[1] += loss
    stats[2] += predictions
