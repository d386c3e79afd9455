"""The skip-gram kernel: each context word's input predicts the centre word.

As in word2vec.c, the hidden vector is the input of the CONTEXT word and the target is the
centre word (the pairs are the same as "centre predicts context", and this order lets the update
go straight into the row that was read). The input piece (``inputs.py``) says what the input is:
the word's row, or its row and n-gram rows averaged once per position.
"""

from __future__ import annotations

from numba import njit

from embedlab.corpus.windows import reduced_window
from embedlab.methods.word2vec._subsample import subsample
from embedlab.methods.word2vec.inputs import pair_done, pair_input, piece_done, window_reach
from embedlab.methods.word2vec.objectives.base import objective_update, prepare_target


@njit(cache=True, nogil=True, fastmath=True)
def train_skipgram(plan, model, inputs, objective, scratch):
    """Train on ``plan``'s pieces (the arguments: ``arguments.py``).

    ``plan.flag`` is ``shared_negatives``: the context words around one centre word predict it
    against the same negatives, drawn once: the handful of output rows stay in cache for the
    whole window instead of a fresh, mostly uncached, set per pair. ``scratch.stats`` gains
    words read, loss sum and number of predictions.
    """
    # Every field is taken out once: Numba counts references to arrays it takes out of a tuple,
    # and would do so for every pair inside the loops.
    tokens, bounds, keep, rng = plan.tokens, plan.bounds, plan.keep, plan.rng
    window, dynamic, shared, alpha = plan.window, plan.dynamic, plan.flag, plan.alpha
    W, C = model.W, model.C
    dim = W.shape[1]
    sentence, h, grad_h = scratch.sentence, scratch.h, scratch.grad_h
    hidden, grads = scratch.hidden, scratch.grads
    loss = 0.0
    predictions = 0
    for p in range(plan.first, plan.last):
        n = subsample(tokens, bounds[p], bounds[p + 1], keep, sentence, rng)
        for pos in range(n):
            win = reduced_window(window, rng) if dynamic else window
            centre = sentence[pos]
            drawn = prepare_target(objective, centre, rng) if shared else 0
            window_reach(inputs, W, sentence, n, pos, window, hidden, grads)
            for c in range(max(0, pos - win), min(n, pos + win + 1)):
                if c == pos:
                    continue
                if not shared:
                    drawn = prepare_target(objective, centre, rng)
                x = pair_input(inputs, W, sentence, c, h, hidden)
                for k in range(dim):
                    grad_h[k] = 0.0
                loss += objective_update(objective, x, centre, drawn, C, grad_h, alpha)
                pair_done(inputs, W, sentence, c, x, grad_h, grads)
                predictions += 1
        piece_done(inputs, W, sentence, n, window, grads)
    stats = scratch.stats
    stats[0] += bounds[plan.last] - bounds[plan.first]
    stats[1] += loss
    stats[2] += predictions
