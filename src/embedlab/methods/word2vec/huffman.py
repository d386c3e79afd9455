"""The Huffman tree behind hierarchical softmax, built from the counts exactly as word2vec does.

Frequent words get short codes, so the average prediction visits about log2 of the perplexity
of the unigram distribution rather than log2 |V| inner nodes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit


@dataclass(frozen=True)
class HuffmanTree:
    """Codes and inner-node paths, one padded row per word.

    Attributes:
        codes: int8[|V|, max_len]; ``codes[w, :lengths[w]]`` is the word's path from the root,
            0 = first branch, 1 = second (word2vec's bit).
        points: int32[|V|, max_len]; the inner node visited at each step, 0..|V|-2, the root
            being |V|-2 (rows of the output matrix).
        lengths: int32[|V|]; the code length of each word.
    """

    codes: np.ndarray
    points: np.ndarray
    lengths: np.ndarray

    @classmethod
    def from_counts(cls, counts) -> HuffmanTree:
        """Build the tree for ``counts`` (any order; ties broken by index, deterministically)."""
        counts = np.asarray(counts, dtype=np.int64)
        # word2vec's two-queue construction needs counts sorted descending; a stable sort keeps
        # equal counts in index order, so ties always resolve the same way.
        order = np.argsort(-counts, kind="stable")
        codes, points, lengths = _build(counts[order])
        inverse = np.empty_like(order)
        inverse[order] = np.arange(order.size)
        return cls(codes[inverse], points[inverse], lengths[inverse])


@njit(cache=True)
def _build(counts):
    n = counts.shape[0]
    if n < 2:
        return (
            np.zeros((n, 1), dtype=np.int8),
            np.zeros((n, 1), dtype=np.int32),
            np.zeros(n, dtype=np.int32),
        )
    weight = np.empty(2 * n - 1, dtype=np.int64)
    weight[:n] = counts
    weight[n:] = np.iinfo(np.int64).max
    parent = np.zeros(2 * n - 1, dtype=np.int64)
    branch = np.zeros(2 * n - 1, dtype=np.int8)
    leaf = n - 1  # next unmerged leaf, scanned from the rarest
    inner = n  # next unmerged inner node, created in increasing weight
    for a in range(n - 1):
        pick = np.empty(2, dtype=np.int64)
        for j in range(2):
            if leaf >= 0 and weight[leaf] < weight[inner]:
                pick[j] = leaf
                leaf -= 1
            else:
                pick[j] = inner
                inner += 1
        weight[n + a] = weight[pick[0]] + weight[pick[1]]
        parent[pick[0]] = n + a
        parent[pick[1]] = n + a
        branch[pick[1]] = 1
    root = 2 * n - 2
    lengths = np.zeros(n, dtype=np.int32)
    for w in range(n):
        node = w
        while node != root:
            lengths[w] += 1
            node = parent[node]
    width = lengths.max()
    codes = np.zeros((n, width), dtype=np.int8)
    points = np.zeros((n, width), dtype=np.int32)
    for w in range(n):
        depth = lengths[w]
        node = w
        # Walk leaf -> root, filling the row from its end so it reads root -> leaf.
        for d in range(depth - 1, -1, -1):
            codes[w, d] = branch[node]
            node = parent[node]
            points[w, d] = node - n
    return codes, points, lengths
