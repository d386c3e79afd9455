"""The input piece: how a word becomes the hidden vector, beside architecture and objective.

fastText's ``Model::update`` takes a bag of input rows; word2vec's bag is the word's own row.
The kernels never index ``W`` themselves: they call the functions below, which Numba picks
from the type of the ``inputs`` argument while it compiles the kernel (as the objectives are
picked), so each piece costs nothing at run time and ``WordRows`` compiles to the code the
kernels had before the pieces existed.

- ``WordRows``: one row per word (word2vec).
- ``Subwords``: a word's row plus its character n-gram rows (fastText), averaged. The rows of
  every vocabulary word are listed once, before training, in a CSR table (``indptr``,
  ``indices``): no hashing in the hot loop. Skip-gram computes each position's hidden vector
  once for all the pairs it is the input of and scatters their summed gradient once (fastText
  does both once per pair; ``SubwordsEachPair`` does that, to measure the difference).

Every row of a bag receives the hidden vector's whole gradient, as in fastText and as CBOW's
context rows do in word2vec.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit
from numba.extending import overload

from embedlab.methods.word2vec.objectives.logistic import like


class WordRows(NamedTuple):
    """Row ``w`` of ``W`` is word ``w``'s input vector."""

    words: int  # rows of W (Numba takes no empty tuple)


class Subwords(NamedTuple):
    """Word ``w``'s bag is ``indices[indptr[w]:indptr[w + 1]]`` (its own row first)."""

    indptr: np.ndarray  # int64[words + 1]
    indices: np.ndarray  # int32 rows of W


class SubwordsEachPair(NamedTuple):
    """``Subwords`` with fastText's order: the bag averaged and updated once per pair."""

    indptr: np.ndarray
    indices: np.ndarray


def pair_input(inputs, W, sentence, c, h, hidden):
    """Numba only: the hidden vector of the word at position ``c`` as skip-gram's input (``h``
    and ``hidden`` are ``Scratch``'s buffers, taken out of it once per kernel call)."""
    raise TypeError("runs only inside Numba kernels")


def pair_done(inputs, W, sentence, c, x, grad_h, grads):
    """Numba only: after a pair, apply its gradient ``grad_h`` to the input ``x`` came from,
    now or (into ``grads``) later."""
    raise TypeError("runs only inside Numba kernels")


def window_reach(inputs, W, sentence, n, pos, window, hidden, grads):
    """Numba only: before skip-gram's centre ``pos``: have every position it can reach ready,
    and scatter the one that no later centre reaches."""
    raise TypeError("runs only inside Numba kernels")


def piece_done(inputs, W, sentence, n, window, grads):
    """Numba only: after skip-gram's last centre of a piece, scatter what is left."""
    raise TypeError("runs only inside Numba kernels")


def add_input(inputs, W, word, h, mean):
    """Numba only: add ``word``'s rows to CBOW's ``h``; return how many rows a mean divides
    by (``mean``: every row of the bag counts; else the word's rows are averaged first)."""
    raise TypeError("runs only inside Numba kernels")


def apply_input(inputs, W, word, grad):
    """Numba only: add ``grad`` to every input row of ``word``."""
    raise TypeError("runs only inside Numba kernels")


def _is(inputs, kind) -> bool:
    return getattr(inputs, "instance_class", None) is kind


_BAGS = (Subwords, SubwordsEachPair)


# -- the bag of rows ---------------------------------------------------------------------------


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def _average(indptr, indices, W, word, out):
    begin, end = indptr[word], indptr[word + 1]
    dim = W.shape[1]
    for k in range(dim):
        out[k] = 0.0
    for j in range(begin, end):
        row = indices[j]
        for k in range(dim):
            out[k] += W[row, k]
    scale = like(out, 1.0 / (end - begin))  # float32 keeps the loop's SIMD width
    for k in range(dim):
        out[k] *= scale


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def _scatter(indptr, indices, W, word, grad):
    dim = W.shape[1]
    for j in range(indptr[word], indptr[word + 1]):
        row = indices[j]
        for k in range(dim):
            W[row, k] += grad[k]


# -- skip-gram ---------------------------------------------------------------------------------


@overload(pair_input, inline="always")
def _pair_input(inputs, W, sentence, c, h, hidden):
    if _is(inputs, WordRows):

        def row(inputs, W, sentence, c, h, hidden):
            return W[sentence[c]]

        return row
    if _is(inputs, Subwords):

        def ring(inputs, W, sentence, c, h, hidden):
            return hidden[c % hidden.shape[0]]

        return ring
    if _is(inputs, SubwordsEachPair):

        def each(inputs, W, sentence, c, h, hidden):
            _average(inputs.indptr, inputs.indices, W, sentence[c], h)
            return h

        return each
    return None


@overload(pair_done, inline="always")
def _pair_done(inputs, W, sentence, c, x, grad_h, grads):
    if _is(inputs, WordRows):

        def into_row(inputs, W, sentence, c, x, grad_h, grads):
            for k in range(x.shape[0]):
                x[k] += grad_h[k]

        return into_row
    if _is(inputs, Subwords):

        def later(inputs, W, sentence, c, x, grad_h, grads):
            summed = grads[c % grads.shape[0]]
            for k in range(summed.shape[0]):
                summed[k] += grad_h[k]

        return later
    if _is(inputs, SubwordsEachPair):

        def now(inputs, W, sentence, c, x, grad_h, grads):
            _scatter(inputs.indptr, inputs.indices, W, sentence[c], grad_h)

        return now
    return None


@overload(window_reach, inline="always")
def _window_reach(inputs, W, sentence, n, pos, window, hidden, grads):
    if _is(inputs, Subwords):

        def ring(inputs, W, sentence, n, pos, window, hidden, grads):
            ring = hidden.shape[0]
            done = pos - window - 1  # centre pos - 1 was the last to reach it
            if done >= 0:
                _flush(inputs, W, sentence, done, grads[done % ring])
            first = 0 if pos == 0 else pos + window
            for c in range(first, min(n, pos + window + 1)):
                _average(inputs.indptr, inputs.indices, W, sentence[c], hidden[c % ring])

        return ring
    if _is(inputs, WordRows) or _is(inputs, SubwordsEachPair):

        def nothing(inputs, W, sentence, n, pos, window, hidden, grads):
            pass

        return nothing
    return None


@overload(piece_done, inline="always")
def _piece_done(inputs, W, sentence, n, window, grads):
    if _is(inputs, Subwords):

        def ring(inputs, W, sentence, n, window, grads):
            for c in range(max(0, n - window - 1), n):
                _flush(inputs, W, sentence, c, grads[c % grads.shape[0]])

        return ring
    if _is(inputs, WordRows) or _is(inputs, SubwordsEachPair):

        def nothing(inputs, W, sentence, n, window, grads):
            pass

        return nothing
    return None


@njit(cache=True, nogil=True, fastmath=True)
def _flush(inputs, W, sentence, c, grad):
    """Scatter a position's summed gradient and clear it for the next word in its slot."""
    _scatter(inputs.indptr, inputs.indices, W, sentence[c], grad)
    for k in range(grad.shape[0]):
        grad[k] = 0.0


# -- CBOW --------------------------------------------------------------------------------------


@overload(add_input, inline="always")
def _add_input(inputs, W, word, h, mean):
    if _is(inputs, WordRows):

        def row(inputs, W, word, h, mean):
            for k in range(h.shape[0]):
                h[k] += W[word, k]
            return 1

        return row
    if any(_is(inputs, kind) for kind in _BAGS):

        def bag(inputs, W, word, h, mean):
            begin, end = inputs.indptr[word], inputs.indptr[word + 1]
            scale = like(h, 1.0 if mean else 1.0 / (end - begin))
            for j in range(begin, end):
                row = inputs.indices[j]
                for k in range(h.shape[0]):
                    h[k] += scale * W[row, k]
            return end - begin if mean else 1

        return bag
    return None


@overload(apply_input, inline="always")
def _apply_input(inputs, W, word, grad):
    if _is(inputs, WordRows):

        def row(inputs, W, word, grad):
            for k in range(grad.shape[0]):
                W[word, k] += grad[k]

        return row
    if any(_is(inputs, kind) for kind in _BAGS):

        def bag(inputs, W, word, grad):
            _scatter(inputs.indptr, inputs.indices, W, word, grad)

        return bag
    return None
