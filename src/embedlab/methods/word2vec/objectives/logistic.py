"""The logistic unit every objective is made of: overflow-free sigmoid and log loss, the fused
dot product and row update, and the folded loss product."""

from __future__ import annotations

import math

import numpy as np
from numba import njit, types
from numba.extending import overload

#: Reassociation lets LLVM vectorise the dot products; unlike fastmath=True it keeps inf/NaN
#: semantics, which the overflow-free sigmoid and loss rely on.
FAST = {"reassoc", "contract", "nsz", "arcp"}


def like(arr, x):
    """``x`` converted to the element type of ``arr`` (Numba only; see the overload below)."""
    return x


@overload(like, inline="always")
def _like(arr, x):
    # float32 matrices keep the whole update in float32: mixing in float64 halves the SIMD
    # width of the inner loops and doubles the cost of exp/log1p. float64 callers (teaching,
    # gradient checks) keep float64 throughout.
    dtype = arr.dtype if isinstance(arr, types.Array) else arr

    def impl(arr, x):
        return dtype(x)

    return impl


@njit(cache=True, nogil=True, inline="always")
def sigmoid(z):
    """``1 / (1 + exp(-z))`` for any finite ``z``: exp only ever sees a non-positive argument."""
    one = like(z, 1.0)
    e = math.exp(-abs(z))
    return one / (one + e) if z >= 0 else e / (one + e)


@njit(cache=True, nogil=True, inline="always")
def log_sigmoid(z):
    """``log(sigmoid(z))`` without overflow or ``log(0)``: ``-log1p(exp(-|z|)) + min(z, 0)``."""
    return -math.log1p(math.exp(-abs(z))) + min(z, like(z, 0.0))


@njit(cache=True, nogil=True, inline="always")
def logistic(z, label):
    """``(label - sigmoid(z), 1 + exp(-|z|), hinge)`` sharing one exp.

    The log loss (``-log sigmoid(z)`` for label 1, ``-log sigmoid(-z)`` for label 0) is
    ``log(1 + exp(-|z|)) + hinge``; callers multiply the ``1 + exp(-|z|)`` factors of a whole
    prediction and take one log (see ``fold``), since a log per sample costs as much as the
    sample's dot product and update together.
    """
    one = like(z, 1.0)
    e = math.exp(-abs(z))
    sig = one / (one + e) if z >= 0 else e / (one + e)
    # the linear part of the loss on whichever side of 0 z lies for this label
    margin = -z if label > 0.5 else z
    return like(z, label) - sig, 1.0 + np.float64(e), np.float64(max(margin, like(z, 0.0)))


#: A running product of ``1 + exp(-|z|)`` factors (each in (1, 2]) is folded into its log
#: before it could overflow float64.
_FOLD = 1e250


@njit(cache=True, nogil=True, inline="always")
def fold(log_sum, product):
    if product > _FOLD:
        return log_sum + math.log(product), 1.0
    return log_sum, product


@njit(cache=True, nogil=True, inline="always")
def logistic_step(h, row, out, grad_h, g):
    # One fused pass: grad_h takes the OLD output row, then the row moves (word2vec's order).
    for k in range(h.shape[0]):
        o = out[row, k]
        grad_h[k] += g * o
        out[row, k] = o + g * h[k]


@njit(cache=True, nogil=True, inline="always")
def dot(h, out, row):
    z = like(h, 0.0)
    for k in range(h.shape[0]):
        z += h[k] * out[row, k]
    return z


@njit(cache=True, nogil=True, fastmath=FAST, inline="always")
def softmax_in_place(scores, n, top):
    """Turn ``scores[:n]``, whose largest is ``top``, into their softmax; returns the log of
    the normaliser, so that ``-log p_k`` is ``top - score_k`` plus it. Shifting by the largest
    keeps every exp in (0, 1] (no overflow), and the loss comes from the raw score, never
    ``log(exp(...))``, which is -inf for a very unlikely word."""
    total = 0.0
    for i in range(n):
        scores[i] = math.exp(scores[i] - top)
        total += scores[i]
    for i in range(n):
        scores[i] /= total
    return math.log(total)
