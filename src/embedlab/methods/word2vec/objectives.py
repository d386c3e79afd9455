"""What a word2vec network predicts, as interchangeable Numba functions (fastText's split of
model and loss).

Every objective takes a hidden vector ``h`` and a target word, scores ``h`` against the output
matrix ``out``, updates the output rows it touched at once, adds the gradient for ``h`` (already
scaled by the learning rate ``alpha``) into ``grad_h`` and returns the loss (a natural log). The
architectures build ``h``, call ``objective_update`` and apply ``grad_h``; they never know which
objective ran.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, types
from numba.extending import overload

from embedlab.corpus.sampling import alias_draw

NEGATIVE = 0
HIERARCHICAL = 1
SOFTMAX = 2

#: Reassociation lets LLVM vectorise the dot products; unlike fastmath=True it keeps inf/NaN
#: semantics, which the overflow-free sigmoid and loss rely on.
_FAST = {"reassoc", "contract", "nsz", "arcp"}

#: objective name -> the int ``objective_update`` branches on.
KINDS = {"negative": NEGATIVE, "hierarchical": HIERARCHICAL, "softmax": SOFTMAX}


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
def _logistic(z, label):
    """``(label - sigmoid(z), 1 + exp(-|z|), hinge)`` sharing one exp.

    The log loss (``-log sigmoid(z)`` for label 1, ``-log sigmoid(-z)`` for label 0) is
    ``log(1 + exp(-|z|)) + hinge``; callers multiply the ``1 + exp(-|z|)`` factors of a whole
    prediction and take one log (see ``_fold``), since a log per sample costs as much as the
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
def _fold(log_sum, product):
    if product > _FOLD:
        return log_sum + math.log(product), 1.0
    return log_sum, product


@njit(cache=True, nogil=True, inline="always")
def _logistic_step(h, row, out, grad_h, g):
    # One fused pass: grad_h takes the OLD output row, then the row moves (word2vec's order).
    for k in range(h.shape[0]):
        o = out[row, k]
        grad_h[k] += g * o
        out[row, k] = o + g * h[k]


@njit(cache=True, nogil=True, inline="always")
def _dot(h, out, row):
    z = like(h, 0.0)
    for k in range(h.shape[0]):
        z += h[k] * out[row, k]
    return z


@njit(cache=True, nogil=True, fastmath=_FAST, inline="always")
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
        z = _dot(h, out, s)
        error, factor, linear = _logistic(z, label)
        product *= factor
        hinge += linear
        log_sum, product = _fold(log_sum, product)
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
        _logistic_step(h, s, out, grad_h, g)
    return log_sum + math.log(product) + hinge


@njit(cache=True, nogil=True, fastmath=_FAST, inline="always")
def hierarchical_softmax_update(h, codes, points, codelen, out, grad_h, alpha):
    """Walk the target's Huffman path: at inner node ``points[d]`` predict branch ``codes[d]``.

    Each node is a logistic unit whose label is ``1 - code`` (word2vec's convention); the loss is
    the sum of their log losses, i.e. ``-log P(target)`` under the tree.
    """
    log_sum = 0.0
    hinge = 0.0
    product = 1.0
    for d in range(codelen):
        node = points[d]
        z = _dot(h, out, node)
        error, factor, linear = _logistic(z, 1.0 - codes[d])
        product *= factor
        hinge += linear
        log_sum, product = _fold(log_sum, product)
        _logistic_step(h, node, out, grad_h, like(h, alpha) * error)
    return log_sum + math.log(product) + hinge


@njit(cache=True, nogil=True, fastmath=_FAST, inline="always")
def full_softmax_update(h, target, out, grad_h, alpha, probs):
    """Exact softmax over the whole vocabulary: ``-log softmax(out @ h)[target]``.

    Costs O(|V| * dim) per call. ``probs`` (float64[|V|]) is left holding the probabilities.
    Every row moves by ``alpha * (onehot - p) * h``; ``grad_h`` gains ``alpha * (onehot - p) @
    out`` computed from the rows before they moved.
    """
    n = out.shape[0]
    top = -np.inf
    for j in range(n):
        probs[j] = _dot(h, out, j)
        top = max(top, probs[j])
    # Shifting by the largest score keeps every exp in (0, 1]: no overflow for any scores.
    # log-sum-exp from the raw score, never log(exp(...)), which is -inf for a very unlikely target
    loss = top - probs[target]
    total = 0.0
    for j in range(n):
        probs[j] = math.exp(probs[j] - top)
        total += probs[j]
    loss += math.log(total)
    for j in range(n):
        probs[j] /= total
    for j in range(n):
        onehot = 1.0 if j == target else 0.0
        _logistic_step(h, j, out, grad_h, like(h, alpha * (onehot - probs[j])))
    return loss


@njit(cache=True, nogil=True, fastmath=_FAST, inline="always")
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


@njit(cache=True, nogil=True, fastmath=_FAST, inline="always")
def prepare_target(kind, target, objective, scratch, state):
    """Draw what predicting ``target`` needs at random: for NEGATIVE, the noise words (into
    ``scratch[0]``); returns how many samples ``objective_update`` then uses (0 otherwise).

    The architecture decides how often to draw: skip-gram may share one draw among all the
    context words that predict the same centre word.
    """
    if kind != NEGATIVE:
        return 0
    negative, noise_prob, noise_alias = objective[0], objective[1], objective[2]
    return draw_negatives(target, scratch[0], negative, noise_prob, noise_alias, state)


@njit(cache=True, nogil=True, fastmath=_FAST, inline="always")
def objective_update(kind, h, target, n_samples, out, grad_h, alpha, objective, scratch):
    """Run objective ``kind`` (NEGATIVE, HIERARCHICAL or SOFTMAX) for one prediction.

    ``objective`` is the tuple ``(negative, noise_prob, noise_alias, codes, points, codelens)``
    built by the trainer; ``scratch`` is ``(samples, probs, trace)``, allocated once per call of
    a kernel so that nothing is allocated per prediction; ``n_samples`` is what
    ``prepare_target`` returned for this target.
    """
    codes, points, codelens = objective[3], objective[4], objective[5]
    samples, probs, trace = scratch
    if kind == NEGATIVE:
        return negative_sampling_update(h, samples[:n_samples], out, grad_h, alpha, trace)
    if kind == HIERARCHICAL:
        return hierarchical_softmax_update(
            h, codes[target], points[target], codelens[target], out, grad_h, alpha
        )
    return full_softmax_update(h, target, out, grad_h, alpha, probs)
