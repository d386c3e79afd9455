"""Hierarchical softmax (Morin & Bengio 2005, word2vec's ``-hs``): the target's path down a
Huffman tree, one logistic unit per inner node; output rows are the tree's inner nodes."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from embedlab.methods.word2vec.huffman import HuffmanTree
from embedlab.methods.word2vec.objectives.base import Objective
from embedlab.methods.word2vec.objectives.logistic import (
    FAST,
    dot,
    fold,
    like,
    logistic,
    logistic_step,
)

#: Huffman paths are rarely longer than this (word2vec.c's MAX_CODE_LENGTH); for estimates only.
TYPICAL_PATH = 40


class HierarchicalState(NamedTuple):
    codes: np.ndarray  # int8[|V|, max_len]: each word's branches from the root (shared)
    points: np.ndarray  # int32[|V|, max_len]: the inner nodes on its path
    lengths: np.ndarray  # int32[|V|]: its path length


@njit(cache=True, nogil=True, fastmath=FAST, inline="always")
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
        z = dot(h, out, node)
        error, factor, linear = logistic(z, 1.0 - codes[d])
        product *= factor
        hinge += linear
        log_sum, product = fold(log_sum, product)
        logistic_step(h, node, out, grad_h, like(h, alpha) * error)
    return log_sum + math.log(product) + hinge


@njit(cache=True, nogil=True, fastmath=FAST, inline="always")
def _update(state, h, target, n, out, grad_h, alpha):
    return hierarchical_softmax_update(
        h, state.codes[target], state.points[target], state.lengths[target], out, grad_h, alpha
    )


def _tables(counts, params) -> dict:
    tree = HuffmanTree.from_counts(counts)
    return {"codes": tree.codes, "points": tree.points, "lengths": tree.lengths}


OBJECTIVE = Objective(
    name="hierarchical",
    state=HierarchicalState,
    update=_update,
    tables=_tables,
    scratch=lambda n_words, params: {},
    table_bytes=lambda n_words, params: n_words * TYPICAL_PATH * (1 + 4),  # int8 + int32 a step
    word_rows=False,
)
