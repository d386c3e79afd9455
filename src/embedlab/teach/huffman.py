"""Lesson: the Huffman tree of hierarchical softmax, built by the trainer's own code.

Each word is a leaf; its code is the branches taken from the root and its points are the inner
nodes passed on the way (rows of the output matrix). The probability of a word is the product of
one logistic unit per inner node, ``sigma(v_n . h)`` for branch 0 and ``sigma(-v_n . h)`` for
branch 1 (word2vec's label ``1 - code``), so the leaves' probabilities sum to 1 for any ``h``.
"""

from __future__ import annotations

import math

import numpy as np

from embedlab.checks import check_int
from embedlab.errors import EmbedlabError, setting
from embedlab.methods.word2vec.huffman import HuffmanTree
from embedlab.methods.word2vec.objectives.hierarchical import hierarchical_softmax_update
from embedlab.methods.word2vec.objectives.logistic import sigmoid

#: A small toy: five words, the two rarest tied (so a tie-break shows).
DEFAULT_COUNTS = (40, 20, 10, 5, 5)


def default_words(n: int) -> list[str]:
    """``A, B, C, ...`` for up to 26 words, else ``w0, w1, ...``."""
    if n <= 26:
        return [chr(ord("A") + i) for i in range(n)]
    return [f"w{i}" for i in range(n)]


def huffman_lesson(counts=DEFAULT_COUNTS, words=None, dim: int = 3, seed: int = 0) -> dict:
    """Codes, paths and path probabilities for ``counts`` under one random hidden vector.

    The hidden vector ``h`` and the inner-node vectors ``v_n`` are drawn from N(0, 1) with
    ``seed``. Each word's probability is computed twice: node by node from the formula, and as
    ``exp(-loss)`` of the trainer's ``hierarchical_softmax_update`` (run with alpha 0, which
    scores without moving anything). Returns ``{"words", "counts", "hidden", "inner_vectors",
    "rows", "total_probability", "expected_code_length", "log2_vocab"}``; each row has
    ``word, count, code`` (a string of 0s and 1s), ``points``, ``nodes`` (per inner node: ``node,
    branch, z, factor``), ``probability`` and ``trainer_probability``.
    """
    counts = np.asarray(counts, dtype=np.int64)
    if counts.ndim != 1 or counts.size < 2 or np.any(counts < 1):
        raise EmbedlabError(
            f"give at least two counts, each at least 1, e.g. {setting('counts', [40, 20, 10])}"
        )
    words = default_words(counts.size) if words is None else list(words)
    if len(words) != counts.size or len(set(words)) != len(words):
        raise EmbedlabError(
            f"{len(words)} words for {counts.size} counts: give one distinct word per count"
        )
    dim = check_int("dim", dim, minimum=1)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    hidden = rng.normal(0.0, 1.0, dim)
    inner = rng.normal(0.0, 1.0, (counts.size - 1, dim))
    tree = HuffmanTree.from_counts(counts)
    rows = [_word_row(tree, w, words[w], int(counts[w]), hidden, inner) for w in range(len(words))]
    probs = np.array([r["probability"] for r in rows])
    lengths = tree.lengths.astype(np.float64)
    return {
        "words": words,
        "counts": counts.tolist(),
        "hidden": hidden.tolist(),
        "inner_vectors": inner.tolist(),
        "rows": rows,
        "total_probability": float(probs.sum()),
        "expected_code_length": float(counts @ lengths / counts.sum()),
        "log2_vocab": math.log2(counts.size),
    }


def _word_row(tree: HuffmanTree, w: int, word: str, count: int, hidden, inner) -> dict:
    length = int(tree.lengths[w])
    codes, points = tree.codes[w, :length], tree.points[w, :length]
    nodes = []
    probability = 1.0
    for branch, node in zip(codes.tolist(), points.tolist(), strict=True):
        z = float(inner[node] @ hidden)
        factor = float(sigmoid(z) if branch == 0 else sigmoid(-z))
        probability *= factor
        nodes.append({"node": node, "branch": branch, "z": z, "factor": factor})
    loss = hierarchical_softmax_update(
        hidden.copy(), codes, points, length, inner.copy(), np.zeros(hidden.size), 0.0
    )
    return {
        "word": word,
        "count": count,
        "code": "".join(str(b) for b in codes.tolist()),
        "points": points.tolist(),
        "nodes": nodes,
        "probability": probability,
        "trainer_probability": math.exp(-loss),
    }
