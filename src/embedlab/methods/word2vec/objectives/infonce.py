"""InfoNCE (van den Oord et al. 2018): the target against a few noise words in one softmax.

The contrastive method's loss (note 004, ``methods/neural/contrastive.py``) on the Numba
kernels: with scores ``z_i = h . out[s_i]`` of the target ``s_0`` and the noise words
``s_1..s_k`` (drawn as negative sampling draws them), the loss is
``-log(exp(z_0) / sum_i exp(z_i)) = logsumexp(z) - z_0``, whose gradient in ``z_i`` is
``p_i - [i = 0]`` with ``p = softmax(z)``. Negative sampling scores each sample with its own
logistic unit; here the samples compete for one unit of probability. The cost per prediction is
negative sampling's: k + 1 dot products and k + 1 row updates, plus k + 1 exps.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from embedlab.methods.word2vec.objectives import negative
from embedlab.methods.word2vec.objectives.base import Objective
from embedlab.methods.word2vec.objectives.logistic import (
    FAST,
    dot,
    like,
    logistic_step,
    softmax_in_place,
)


class InfoNCEState(NamedTuple):
    negative: int  # noise words drawn per prediction
    noise_prob: np.ndarray  # the alias table of the noise distribution (shared)
    noise_alias: np.ndarray
    samples: np.ndarray  # int32[negative + 1]: the target, then the noise words (per thread)
    scores: np.ndarray  # float64[negative + 1]: the prediction's scores, then exps (per thread)


@njit(cache=True, nogil=True, fastmath=FAST, inline="always")
def infonce_update(h, samples, out, grad_h, alpha, scores):
    """Softmax loss of the target ``samples[0]`` among ``samples`` (see the module docstring).

    Every sampled row moves by ``alpha * ([i = 0] - p_i) * h``; ``grad_h`` gains ``alpha *
    ([i = 0] - p_i) * out[s_i]``, from the rows before they moved. All scores are taken before
    any row moves (the softmax needs them together). ``scores`` (float64, at least
    ``len(samples)``) is left holding the probabilities.
    """
    n = samples.shape[0]
    top = -np.inf
    for i in range(n):
        scores[i] = dot(h, out, samples[i])
        top = max(top, scores[i])
    loss = top - scores[0]  # read before the scores become probabilities
    loss += softmax_in_place(scores, n, top)
    for i in range(n):
        label = 1.0 if i == 0 else 0.0
        logistic_step(h, samples[i], out, grad_h, like(h, alpha * (label - scores[i])))
    return loss


@njit(cache=True, nogil=True, fastmath=FAST, inline="always")
def _update(state, h, target, n, out, grad_h, alpha):
    return infonce_update(h, state.samples[:n], out, grad_h, alpha, state.scores)


def _scratch(n_words, params) -> dict:
    width = params.negative + 1
    return {"samples": ((width,), np.int32), "scores": ((width,), np.float64)}


OBJECTIVE = Objective(
    name="infonce",
    state=InfoNCEState,
    update=_update,
    prepare=negative.OBJECTIVE.prepare,  # the same draws as negative sampling
    tables=negative.OBJECTIVE.tables,
    scratch=_scratch,
    table_bytes=negative.OBJECTIVE.table_bytes,
)
