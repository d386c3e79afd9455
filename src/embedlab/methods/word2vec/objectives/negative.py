"""Negative sampling (Mikolov et al. 2013): the target against a few noise words, each a
logistic unit; noise words are drawn from ``count ** ns_exponent`` by an alias table."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from embedlab.corpus.sampling import AliasTable, alias_draw, noise_distribution
from embedlab.methods.word2vec.objectives.base import Objective
from embedlab.methods.word2vec.objectives.logistic import (
    FAST,
    dot,
    fold,
    like,
    logistic,
    logistic_step,
)


class NegativeState(NamedTuple):
    negative: int  # noise words drawn per prediction
    noise_prob: np.ndarray  # the alias table of the noise distribution (shared)
    noise_alias: np.ndarray
    samples: np.ndarray  # int32[negative + 1]: the target, then the noise words (per thread)
    trace: np.ndarray  # float64 (0, 0): training records no trace


@njit(cache=True, nogil=True, fastmath=FAST, inline="always")
def negative_sampling_update(h, samples, out, grad_h, alpha, trace):
    """Logistic loss of the target ``samples[0]`` (label 1) against negatives ``samples[1:]``.

    Loss ``-log sigmoid(z_pos) - sum log sigmoid(-z_neg)`` with ``z = h . out[s]``. Each row moves
    by ``alpha * (label - sigmoid(z)) * h`` at once; ``grad_h`` gains ``alpha * (label -
    sigmoid(z)) * out[s]`` (the row before it moved). ``trace`` is float64 of shape
    ``(len(samples), 5 + 2 * dim)`` or ``(0, 0)``; when given, row ``i`` records ``[id, label, z,
    sigmoid, error, delta_focus (dim), delta_context (dim)]``.
    """
    dim = h.shape[0]
    tracing = trace.shape[0] > 0
    log_sum = 0.0
    hinge = 0.0
    product = 1.0
    for i in range(samples.shape[0]):
        s = samples[i]
        label = 1.0 if i == 0 else 0.0
        z = dot(h, out, s)
        error, factor, linear = logistic(z, label)
        product *= factor
        hinge += linear
        log_sum, product = fold(log_sum, product)
        g = like(h, alpha) * error
        if tracing:
            trace[i, 0] = s
            trace[i, 1] = label
            trace[i, 2] = z
            trace[i, 3] = label - error
            trace[i, 4] = error
            for k in range(dim):
                trace[i, 5 + k] = g * out[s, k]
                trace[i, 5 + dim + k] = g * h[k]
        logistic_step(h, s, out, grad_h, g)
    return log_sum + math.log(product) + hinge


@njit(cache=True, nogil=True, fastmath=FAST, inline="always")
def draw_negatives(target, samples, negative, noise_prob, noise_alias, state):
    """Fill ``samples`` with the target then ``negative`` noise words; return how many are used.

    A noise word equal to the target is dropped, as word2vec does, rather than redrawn (a
    one-word vocabulary would redraw forever).
    """
    samples[0] = target
    n = 1
    for _ in range(negative):
        w = alias_draw(noise_prob, noise_alias, state)
        if w != target:
            samples[n] = w
            n += 1
    return n


# Not inlined at Numba's level (LLVM still inlines it): three nested levels of Numba inlining
# trip an internal SSA check that warns on every compilation.
@njit(cache=True, nogil=True, fastmath=FAST)
def _prepare(state, target, rng):
    return draw_negatives(
        target, state.samples, state.negative, state.noise_prob, state.noise_alias, rng
    )


@njit(cache=True, nogil=True, fastmath=FAST, inline="always")
def _update(state, h, target, n, out, grad_h, alpha):
    return negative_sampling_update(h, state.samples[:n], out, grad_h, alpha, state.trace)


def _tables(counts, params) -> dict:
    table = AliasTable.from_probs(noise_distribution(counts, params.ns_exponent))
    return {"negative": params.negative, "noise_prob": table.prob, "noise_alias": table.alias}


def _scratch(n_words, params) -> dict:
    return {"samples": ((params.negative + 1,), np.int32), "trace": ((0, 0), np.float64)}


OBJECTIVE = Objective(
    name="negative",
    state=NegativeState,
    update=_update,
    prepare=_prepare,
    tables=_tables,
    scratch=_scratch,
    table_bytes=lambda n_words, params: n_words * (4 + 4),  # float32 probability, int32 alias
    backends={"torch": f"{__package__}.negative_torch:TorchNegativeSampling"},
)
