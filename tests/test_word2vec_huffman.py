"""Huffman codes of hand-made vocabularies, worked out with word2vec's construction."""

from __future__ import annotations

import numpy as np

from embedlab.methods.word2vec.huffman import HuffmanTree


def _rows(tree, attribute):
    return [list(getattr(tree, attribute)[w, : tree.lengths[w]]) for w in range(len(tree.lengths))]


def test_codes_of_a_hand_made_vocabulary():
    # counts 5, 3, 2, 1 (words 0..3; inner nodes 4, 5, 6 -> rows 0, 1, 2, root = row 2):
    #   merge 1 (w3) + 2 (w2) -> node 4 (weight 3), w2 takes bit 1
    #   merge node 4 (3) + 3 (w1; not smaller than 3, so the inner node goes first) -> node 5 (6),
    #   w1 takes bit 1
    #   merge 5 (w0) + node 5 (6) -> root 6, node 5 takes bit 1
    tree = HuffmanTree.from_counts([5, 3, 2, 1])
    assert list(tree.lengths) == [1, 2, 3, 3]
    assert _rows(tree, "codes") == [[0], [1, 1], [1, 0, 1], [1, 0, 0]]
    assert _rows(tree, "points") == [[2], [2, 1], [2, 1, 0], [2, 1, 0]]


def test_ties_resolve_deterministically():
    # four equal counts: w3+w2 -> node 4, w1+w0 -> node 5 (the leaf wins a tie only when
    # strictly smaller), then node 4 + node 5 -> root
    tree = HuffmanTree.from_counts([1, 1, 1, 1])
    assert _rows(tree, "codes") == [[1, 1], [1, 0], [0, 1], [0, 0]]
    assert _rows(tree, "points") == [[2, 1], [2, 1], [2, 0], [2, 0]]


def test_unsorted_counts_give_each_word_its_own_code():
    tree = HuffmanTree.from_counts([2, 5, 1, 3])
    sorted_tree = HuffmanTree.from_counts([5, 3, 2, 1])
    order = [1, 3, 0, 2]  # the word holding each sorted rank
    for rank, word in enumerate(order):
        assert _rows(tree, "codes")[word] == _rows(sorted_tree, "codes")[rank]


def test_codes_are_a_complete_prefix_code():
    counts = np.random.default_rng(0).integers(1, 1000, size=50)
    tree = HuffmanTree.from_counts(counts)
    codes = ["".join(map(str, c)) for c in _rows(tree, "codes")]
    assert sum(2.0 ** -len(c) for c in codes) == 1.0  # Kraft equality: a full binary tree
    assert not any(a != b and b.startswith(a) for a in codes for b in codes)
    assert tree.points.max() == len(counts) - 2


def test_single_word_has_an_empty_code():
    tree = HuffmanTree.from_counts([4])
    assert list(tree.lengths) == [0]
