"""The exact softmax over the whole vocabulary: O(|V| * dim) per prediction, for teaching and
small vocabularies."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from embedlab.methods.word2vec.objectives.base import Objective
from embedlab.methods.word2vec.objectives.logistic import (
    FAST,
    dot,
    like,
    logistic_step,
    softmax_in_place,
)

#: Full softmax scores every word for every prediction, O(|V| * dim): at 5,000 words and dim
#: 100 that is ~1.5M multiply-adds per prediction, ~800x negative sampling with 5 negatives, so
#: even a one-million-word corpus takes hours. Above this it is not a teaching tool any more.
MAX_VOCAB = 5_000


class SoftmaxState(NamedTuple):
    probs: np.ndarray  # float64[|V|]: the probabilities of the last prediction (per thread)


@njit(cache=True, nogil=True, fastmath=FAST, inline="always")
def full_softmax_update(h, target, out, grad_h, alpha, probs):
    """Exact softmax over the whole vocabulary: ``-log softmax(out @ h)[target]``.

    Costs O(|V| * dim) per call. ``probs`` (float64[|V|]) is left holding the probabilities.
    Every row moves by ``alpha * (onehot - p) * h``; ``grad_h`` gains ``alpha * (onehot - p) @
    out`` computed from the rows before they moved.
    """
    n = out.shape[0]
    top = -np.inf
    for j in range(n):
        probs[j] = dot(h, out, j)
        top = max(top, probs[j])
    loss = top - probs[target]  # read before the scores become probabilities
    loss += softmax_in_place(probs, n, top)
    for j in range(n):
        onehot = 1.0 if j == target else 0.0
        logistic_step(h, j, out, grad_h, like(h, alpha * (onehot - probs[j])))
    return loss


@njit(cache=True, nogil=True, fastmath=FAST, inline="always")
def _update(state, h, target, n, out, grad_h, alpha):
    return full_softmax_update(h, target, out, grad_h, alpha, state.probs)


OBJECTIVE = Objective(
    name="softmax",
    state=SoftmaxState,
    update=_update,
    tables=lambda counts, params: {},
    scratch=lambda n_words, params: {"probs": ((n_words,), np.float64)},
    table_bytes=lambda n_words, params: 0,
    max_vocab=MAX_VOCAB,
)
