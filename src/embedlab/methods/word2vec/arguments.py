"""What the word2vec kernels take: five NamedTuples instead of fifteen positional arguments.

``kernel(plan, model, inputs, objective, scratch)``:

- ``Plan``: the chunk to train (its pieces of the token stream, subsampling, window, the
  architecture's flag, the learning rate and the chunk's generator);
- ``Model``: the matrices being trained (input ``W``, output ``C``);
- ``inputs``: the input piece, how a word becomes rows of ``W`` (``inputs.py``: ``WordRows``
  or ``Subwords``), chosen when Numba compiles the kernel;
- ``objective``: the objective's state (``objectives/base.py``);
- ``Scratch``: the thread's buffers and its stats row.

A new field (a table, a buffer) is one field here, not an edit to every call site.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from embedlab.corpus.pieces import MAX_PIECE


class Plan(NamedTuple):
    """One chunk: pieces ``first..last-1`` (``tokens[bounds[p]:bounds[p + 1]]`` each)."""

    tokens: np.ndarray  # int32 word ids of the epoch's corpus
    bounds: np.ndarray  # int64 piece boundaries in ``tokens``
    first: int
    last: int
    keep: np.ndarray  # float32 keep-probability per word (subsampling)
    window: int  # largest distance to a context word
    dynamic: bool  # draw each position's window from 1..window (word2vec's)
    flag: bool  # the architecture's own parameter (``kernel_flag``)
    alpha: float  # the chunk's learning rate
    rng: np.ndarray  # the chunk's generator state (``corpus/random.py``)


class Model(NamedTuple):
    """The shared float32 matrices the threads train (Hogwild)."""

    W: np.ndarray  # input rows: one per word, then the subword buckets when there are any
    C: np.ndarray  # output rows: one per word (or Huffman inner node)


class Scratch(NamedTuple):
    """One thread's buffers: nothing is allocated per prediction."""

    sentence: np.ndarray  # int32[MAX_PIECE]: the piece after subsampling
    h: np.ndarray  # float32[dim]: CBOW's hidden vector (and SubwordsEachPair's)
    grad_h: np.ndarray  # float32[dim]: the objective's gradient for the hidden vector
    hidden: np.ndarray  # float32[ring, dim]: subword skip-gram's hidden vector per position
    grads: np.ndarray  # float32[ring, dim]: and its summed gradient, scattered once
    stats: np.ndarray  # float64[3+]: the kernel adds words read, loss sum, predictions


def ring_rows(window: int, subwords: bool) -> int:
    """Rows of ``Scratch.hidden``/``grads``: the positions one window can reach (a piece has at
    most MAX_PIECE), none without subwords."""
    return min(2 * window + 1, MAX_PIECE) if subwords else 0


def scratch(dim: int, window: int, subwords: bool) -> Scratch:
    """A thread's ``Scratch`` with an empty stats row (``with_stats`` gives each call its own)."""
    ring = ring_rows(window, subwords)
    return Scratch(
        np.empty(MAX_PIECE, np.int32),
        np.empty(dim, np.float32),
        np.empty(dim, np.float32),
        np.empty((ring, dim), np.float32),
        np.zeros((ring, dim), np.float32),
        np.zeros(0, np.float64),
    )


def ring_bytes(dim: int, window: int, subwords: bool) -> int:
    """Bytes of one thread's ``Scratch.hidden`` and ``grads`` (the rest is a few KiB)."""
    return 2 * ring_rows(window, subwords) * dim * 4
